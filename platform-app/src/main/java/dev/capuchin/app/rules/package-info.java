/**
 * Access rules: the mandril plugin's rule lists of every site and location, edited
 * through the plugin's {@code MandrilBlocks} by the rules page and {@code /api/access-
 * rules}, and kept as rows by the store.
 */
package dev.capuchin.app.rules;
