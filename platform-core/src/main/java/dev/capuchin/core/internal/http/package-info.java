/**
 * HTTP semantics of static files: request-path normalization, document-root resolution,
 * conditional requests, byte ranges, MIME types, precompressed siblings, error pages, and
 * the direct path's encoded answers. Internal: no compatibility promise.
 */
@NullMarked
package dev.capuchin.core.internal.http;

import org.jspecify.annotations.NullMarked;
