/**
 * Site files: reading a site's YAML into the {@code spi} site model, with messages that
 * name the file and key at fault, and writing it back. Internal: no compatibility
 * promise.
 */
@NullMarked
package dev.capuchin.core.internal.site;

import org.jspecify.annotations.NullMarked;
