package dev.capuchin.plugin.proxy.internal.cache;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

import dev.capuchin.plugin.proxy.CacheResult;
import dev.capuchin.plugin.proxy.CacheZoneSettings;
import dev.capuchin.plugin.proxy.CacheZoneState;
import dev.capuchin.plugin.proxy.internal.MinuteCounter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaders;
import org.jspecify.annotations.Nullable;

/**
 * One cache zone in memory: entries by resource (site, scheme, host, target and the
 * location's key additions) and variant, within a byte budget, the least recently used
 * evicted first. A lookup or a store takes the zone's lock for a map operation and a
 * relink of the recency list, never for I/O; bodies are copied once, when stored.
 * <p>
 * Also the zone's flights: one request per missing entry goes upstream, the others wait
 * on its future (collapsed misses).
 */
public final class CacheZone {

	private final CacheZoneSettings settings;

	private final Clock clock;

	private final ReentrantLock lock = new ReentrantLock();

	private final Map<String, Resource> resources = new HashMap<>();

	private final ConcurrentHashMap<String, CompletableFuture<Void>> flights = new ConcurrentHashMap<>();

	// most recently used at the head
	private @Nullable CacheEntry head;

	private @Nullable CacheEntry tail;

	private long bytes;

	private int entries;

	private final LongAdder[] results = new LongAdder[CacheResult.values().length];

	private final LongAdder stored = new LongAdder();

	private final LongAdder evicted = new LongAdder();

	private final MinuteCounter hitsPerMinute = new MinuteCounter();

	private final MinuteCounter requestsPerMinute = new MinuteCounter();

	private final MinuteCounter storedPerMinute = new MinuteCounter();

	private final MinuteCounter evictedPerMinute = new MinuteCounter();

	/**
	 * Create a zone.
	 * @param settings its settings
	 * @param clock the clock of ages and rates
	 */
	public CacheZone(CacheZoneSettings settings, Clock clock) {
		this.settings = settings;
		this.clock = clock;
		for (int i = 0; i < this.results.length; i++) {
			this.results[i] = new LongAdder();
		}
	}

	/**
	 * The zone's settings.
	 * @return the settings
	 */
	public CacheZoneSettings settings() {
		return this.settings;
	}

	Clock clock() {
		return this.clock;
	}

	/** The variants a resource's last response named in {@code Vary}, or empty. */
	List<String> vary(String url) {
		this.lock.lock();
		try {
			Resource resource = this.resources.get(url);
			return (resource != null) ? resource.vary : List.of();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * The entry for a request, made the most recently used.
	 * @param url the resource key
	 * @param extras the location's key additions
	 * @param request the request headers (for {@code Vary})
	 * @return the entry, or {@code null}
	 */
	@Nullable CacheEntry lookup(String url, String extras, HttpHeaders request) {
		this.lock.lock();
		try {
			Resource resource = this.resources.get(url);
			if (resource == null) {
				return null;
			}
			CacheEntry entry = resource.variants.get(extras + CachePolicy.variant(resource.vary, request));
			if (entry != null) {
				unlink(entry);
				linkFirst(entry);
			}
			return entry;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Store a response; the body's bytes are copied into one buffer of the entry's own.
	 * @return the entry, or {@code null} when it does not fit the zone
	 */
	@Nullable CacheEntry store(String url, String extras, List<String> vary, HttpHeaders request, int status, List<ByteBuf> parts,
			long length, CacheEntry.Meta meta) {
		if (length > this.settings.maxEntrySize()) {
			return null;
		}
		ByteBuffer memory = ByteBuffer.allocateDirect((int) length);
		for (ByteBuf part : parts) {
			int size = part.readableBytes();
			part.getBytes(part.readerIndex(), memory.slice(memory.position(), size));
			memory.position(memory.position() + size);
		}
		memory.flip();
		// unreleasable: hits send duplicates that the transport releases; the memory is
		// the JDK buffer's, freed by the garbage collector once nothing refers to it
		ByteBuf body = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(memory));
		CacheEntry entry = new CacheEntry(url, extras + CachePolicy.variant(vary, request), status, body, meta);
		if (entry.cost > this.settings.memorySize()) {
			return null;
		}
		this.lock.lock();
		try {
			Resource resource = this.resources.get(url);
			if (resource == null || !resource.vary.equals(vary)) {
				// a new Vary makes the old variants unreachable: they go
				if (resource != null) {
					removeResource(url, resource, false);
				}
				resource = new Resource(List.copyOf(vary));
				this.resources.put(url, resource);
			}
			CacheEntry previous = resource.variants.put(entry.variant, entry);
			if (previous != null) {
				unlink(previous);
				account(previous, -1);
			}
			linkFirst(entry);
			account(entry, 1);
			evict();
		}
		finally {
			this.lock.unlock();
		}
		this.stored.increment();
		this.storedPerMinute.add(this.clock.millis());
		return entry;
	}

	/**
	 * Remove every variant of a resource.
	 * @param url the resource key
	 * @return whether there was one
	 */
	boolean invalidate(String url) {
		this.lock.lock();
		try {
			Resource resource = this.resources.get(url);
			if (resource == null) {
				return false;
			}
			removeResource(url, resource, false);
			return true;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Remove one entry, if it is still the stored one. */
	void remove(CacheEntry entry) {
		this.lock.lock();
		try {
			Resource resource = this.resources.get(entry.url);
			if (resource != null && resource.variants.get(entry.variant) == entry) {
				resource.variants.remove(entry.variant);
				unlink(entry);
				account(entry, -1);
				if (resource.variants.isEmpty()) {
					this.resources.remove(entry.url);
				}
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Remove the resources whose URL matches.
	 * @param matches tests a resource's URL ({@code scheme://host/target})
	 * @return the number of entries removed
	 */
	public int purge(Predicate<String> matches) {
		this.lock.lock();
		try {
			int before = this.entries;
			Iterator<Map.Entry<String, Resource>> each = this.resources.entrySet().iterator();
			while (each.hasNext()) {
				Map.Entry<String, Resource> resource = each.next();
				if (matches.test(CacheKeys.urlOf(resource.getKey()))) {
					for (CacheEntry entry : resource.getValue().variants.values()) {
						unlink(entry);
						account(entry, -1);
					}
					each.remove();
				}
			}
			return before - this.entries;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * The flight for a missing entry: {@code null} when this request is to go upstream.
	 */
	@Nullable CompletableFuture<Void> join(String key, CompletableFuture<Void> mine) {
		return this.flights.putIfAbsent(key, mine);
	}

	void land(String key, CompletableFuture<Void> mine) {
		this.flights.remove(key, mine);
		mine.complete(null);
	}

	void count(CacheResult result) {
		this.results[result.ordinal()].increment();
		long now = this.clock.millis();
		this.requestsPerMinute.add(now);
		if (result == CacheResult.HIT || result == CacheResult.STALE || result == CacheResult.REVALIDATED
				|| result == CacheResult.COLLAPSED) {
			this.hitsPerMinute.add(now);
		}
	}

	/**
	 * The zone's figures.
	 * @return a snapshot
	 */
	public CacheZoneState state() {
		long now = this.clock.millis();
		int count;
		long size;
		this.lock.lock();
		try {
			count = this.entries;
			size = this.bytes;
		}
		finally {
			this.lock.unlock();
		}
		Map<String, Long> byResult = new java.util.LinkedHashMap<>();
		for (CacheResult result : CacheResult.values()) {
			byResult.put(result.key(), this.results[result.ordinal()].sum());
		}
		long requests = this.requestsPerMinute.sum(now);
		double ratio = (requests == 0) ? 0 : (double) this.hitsPerMinute.sum(now) / requests;
		return new CacheZoneState(this.settings.name(), count, size, this.settings.memorySize(), ratio, byResult,
				this.stored.sum(), this.evicted.sum(), this.storedPerMinute.sum(now), this.evictedPerMinute.sum(now));
	}

	/** The bytes in memory, for the size gauge. */
	public long memoryBytes() {
		this.lock.lock();
		try {
			return this.bytes;
		}
		finally {
			this.lock.unlock();
		}
	}

	private void evict() {
		while (this.bytes > this.settings.memorySize() && this.tail != null) {
			CacheEntry victim = this.tail;
			Resource resource = this.resources.get(victim.url);
			if (resource != null) {
				resource.variants.remove(victim.variant);
				if (resource.variants.isEmpty()) {
					this.resources.remove(victim.url);
				}
			}
			unlink(victim);
			account(victim, -1);
			this.evicted.increment();
			this.evictedPerMinute.add(this.clock.millis());
		}
	}

	private void removeResource(String url, Resource resource, boolean counted) {
		for (CacheEntry entry : new ArrayList<>(resource.variants.values())) {
			unlink(entry);
			account(entry, -1);
		}
		this.resources.remove(url);
	}

	private void account(CacheEntry entry, int sign) {
		this.bytes += sign * entry.cost;
		this.entries += sign;
	}

	private void linkFirst(CacheEntry entry) {
		entry.older = this.head;
		entry.newer = null;
		if (this.head != null) {
			this.head.newer = entry;
		}
		this.head = entry;
		if (this.tail == null) {
			this.tail = entry;
		}
	}

	private void unlink(CacheEntry entry) {
		if (entry.newer != null) {
			entry.newer.older = entry.older;
		}
		else if (this.head == entry) {
			this.head = entry.older;
		}
		if (entry.older != null) {
			entry.older.newer = entry.newer;
		}
		else if (this.tail == entry) {
			this.tail = entry.newer;
		}
		entry.newer = null;
		entry.older = null;
	}

	/** A resource's variants and the request headers that select among them. */
	private static final class Resource {

		final List<String> vary;

		final Map<String, CacheEntry> variants = new HashMap<>(2);

		Resource(List<String> vary) {
			this.vary = vary;
		}

	}

}
