/**
 * The proxy cache (RFC 9111, shared-cache rules): zones with a byte budget and least
 * recently used eviction, the freshness and storage rules, and the per-request logic that
 * answers hits, revalidates, serves stale and collapses concurrent misses.
 */
@NullMarked
package dev.capuchin.plugin.proxy.internal.cache;

import org.jspecify.annotations.NullMarked;
