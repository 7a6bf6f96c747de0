package dev.capuchin.plugin.proxy.internal.cache;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import org.jspecify.annotations.Nullable;

/**
 * One stored response: its status, the headers as clients get them, and its body, either
 * in one buffer that every hit sends a duplicate of (no copy per hit) or in a file of the
 * zone's disk tier. The buffer is unreleasable and its memory belongs to a JDK direct
 * buffer, freed by the garbage collector once the zone and every hit in flight have let
 * go of it: eviction never races a hit.
 * <p>
 * What a revalidation refreshes (headers and freshness) is one immutable {@link Meta}
 * swapped as a whole. The tier and the links (the zone's recency list of that tier) are
 * guarded by the zone's lock.
 */
final class CacheEntry {

	final String url;

	final String variant;

	/** The request headers that select the variant, as the response named them. */
	final List<String> vary;

	final int status;

	/** The body in memory, or {@code null} for an entry on disk. */
	final @Nullable ByteBuf body;

	/** The body's file, or {@code null} for an entry in memory. */
	final @Nullable DiskFile file;

	final long cost;

	Tier tier;

	volatile Meta meta;

	/** Whether a background refresh is under way, so that only one runs. */
	final AtomicBoolean refreshing = new AtomicBoolean();

	@Nullable CacheEntry newer;

	@Nullable CacheEntry older;

	CacheEntry(String url, String variant, List<String> vary, int status, ByteBuf body, Meta meta) {
		this.url = url;
		this.variant = variant;
		this.vary = vary;
		this.status = status;
		this.body = body;
		this.file = null;
		this.meta = meta;
		this.tier = Tier.MEMORY;
		this.cost = body.readableBytes() + meta.headerBytes() + 2L * (url.length() + variant.length()) + 160;
	}

	CacheEntry(String url, String variant, List<String> vary, int status, DiskFile file, Meta meta) {
		this.url = url;
		this.variant = variant;
		this.vary = vary;
		this.status = status;
		this.body = null;
		this.file = file;
		this.meta = meta;
		this.tier = Tier.DISK;
		this.cost = file.size();
	}

	/**
	 * The body's length in bytes.
	 * @return the length
	 */
	long bodyLength() {
		return (this.body != null) ? this.body.readableBytes() : this.file.bodyLength();
	}

	/** Where an entry is. */
	enum Tier {

		/** In memory, on the memory recency list, counted in the memory budget. */
		MEMORY,

		/**
		 * Evicted from memory and being written to disk: still answered from its buffer,
		 * on no recency list, counted in no budget (the spills in flight have a bound of
		 * their own).
		 */
		SPILLING,

		/** On disk, on the disk recency list, counted in the disk budget. */
		DISK

	}

	/**
	 * An entry's file on disk.
	 *
	 * @param path the file
	 * @param bodyOffset where the body starts in it
	 * @param bodyLength the body's length
	 * @param size the file's whole size
	 * @param modified its modification time, milliseconds
	 */
	record DiskFile(Path path, long bodyOffset, long bodyLength, long size, long modified) {
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
