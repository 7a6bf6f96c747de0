/**
 * Export and import of the whole configuration as one YAML document: the document, the
 * difference shown before an import, the Import/Export page and {@code /api/config}.
 */
package dev.capuchin.app.transfer;
