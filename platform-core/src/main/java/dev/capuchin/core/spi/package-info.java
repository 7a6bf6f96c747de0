/**
 * The plugin SPI: what a plugin implements ({@link dev.capuchin.core.spi.Plugin}, its
 * stages and per-stage results), what it is handed
 * ({@link dev.capuchin.core.spi.Exchange}, {@link dev.capuchin.core.spi.LogEvent},
 * {@link dev.capuchin.core.spi.ClientConnection}), the site model it reads
 * ({@link dev.capuchin.core.spi.Site}, {@link dev.capuchin.core.spi.SiteTable},
 * {@link dev.capuchin.core.spi.Location}) and the few kernel services it may call (error
 * pages, document-root resolution, path encoding, strict UTF-8). Plugins import nothing
 * else from the core; every type here is public API, and nothing here is {@code null}
 * unless marked {@code @Nullable}.
 */
@NullMarked
package dev.capuchin.core.spi;

import org.jspecify.annotations.NullMarked;
