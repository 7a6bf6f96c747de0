package dev.capuchin.plugin.proxy.internal.cache;

import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import org.jspecify.annotations.Nullable;

/**
 * One stored response: its status, the headers as clients get them, and its body in one
 * buffer that every hit sends a duplicate of (no copy per hit). The body is unreleasable
 * and its memory belongs to a JDK direct buffer, freed by the garbage collector once the
 * zone and every hit in flight have let go of it: eviction never races a hit.
 * <p>
 * What a revalidation refreshes (headers and freshness) is one immutable {@link Meta}
 * swapped as a whole. The links are the zone's recency list, guarded by its lock.
 */
final class CacheEntry {

	final String url;

	final String variant;

	final int status;

	final ByteBuf body;

	final long cost;

	volatile Meta meta;

	/** Whether a background refresh is under way, so that only one runs. */
	final AtomicBoolean refreshing = new AtomicBoolean();

	@Nullable CacheEntry newer;

	@Nullable CacheEntry older;

	CacheEntry(String url, String variant, int status, ByteBuf body, Meta meta) {
		this.url = url;
		this.variant = variant;
		this.status = status;
		this.body = body;
		this.meta = meta;
		this.cost = body.readableBytes() + meta.headerBytes() + 2L * (url.length() + variant.length()) + 160;
	}

	/**
	 * The headers and freshness of an entry.
	 *
	 * @param headers the response headers as clients get them, less {@code Date},
	 * {@code Age}, {@code Content-Length} and {@code Transfer-Encoding}
	 * @param responseTime when the response was received, clock milliseconds
	 * @param initialAge its corrected initial age (RFC 9111 §4.2.3), milliseconds
	 * @param lifetime its freshness lifetime, milliseconds
	 * @param staleWhileRevalidate how long it may be served stale while refreshed,
	 * milliseconds (0: not at all)
	 * @param staleIfError how long it may be served stale when servers fail, milliseconds
	 * @param mustRevalidate whether it must never be served stale
	 * @param noCache whether every use must be revalidated first
	 * @param etag its entity tag, or {@code null}
	 * @param lastModified its modification date in milliseconds, or -1
	 */
	record Meta(HttpHeaders headers, long responseTime, long initialAge, long lifetime, long staleWhileRevalidate,
			long staleIfError, boolean mustRevalidate, boolean noCache, @Nullable String etag, long lastModified) {

		long age(long now) {
			return this.initialAge + Math.max(0, now - this.responseTime);
		}

		boolean fresh(long now) {
			return !this.noCache && age(now) < this.lifetime;
		}

		/** How long past its lifetime it is, milliseconds (negative while fresh). */
		long staleness(long now) {
			return age(now) - this.lifetime;
		}

		boolean hasValidator() {
			return this.etag != null || this.lastModified >= 0;
		}

		long headerBytes() {
			long bytes = 0;
			for (var header : this.headers) {
				bytes += header.getKey().length() + header.getValue().length() + 4;
			}
			return bytes;
		}

	}

}
