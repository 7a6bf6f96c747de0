/**
 * Named proxy upstreams: the Proxy pages, {@code /api/upstreams}, the store, the
 * references from locations' {@code proxy:} blocks, the health indicators. The format of
 * an upstream is plugin-proxy's ({@code dev.capuchin.plugin.proxy.Upstreams}); this
 * package stores, validates and shows it.
 */
package dev.capuchin.app.upstreams;
