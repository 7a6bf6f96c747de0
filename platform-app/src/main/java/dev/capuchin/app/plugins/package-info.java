/**
 * The plugins page and {@code /api/plugins}: every plugin module, whether it runs, its
 * profile and stages.
 */
package dev.capuchin.app.plugins;
