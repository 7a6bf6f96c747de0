/**
 * The proxy cache's control plane: {@code /api/cache} lists each zone's figures as the
 * running proxy plugin reports them and purges a URL, a prefix or a whole zone, on this
 * node at once and on every node sharing the store within its poll interval
 * ({@code cache_purge}). The cache itself is plugin-proxy's
 * ({@code dev.capuchin.plugin.proxy}).
 */
package dev.capuchin.app.cache;
