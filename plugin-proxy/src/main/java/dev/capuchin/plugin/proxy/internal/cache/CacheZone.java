package dev.capuchin.plugin.proxy.internal.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cache zone: entries by resource (site, scheme, host, target and the location's key
 * additions) and variant, in memory within a byte budget and, with a disk tier, on disk
 * within another. The least recently used entry leaves memory first, for the disk when
 * there is one (written off the event loop by the {@link DiskTier}), and the least
 * recently used file leaves the disk first. A lookup or a store takes the zone's lock for
 * a map operation and a relink of a recency list, never for I/O; bodies are copied once,
 * when stored.
 * <p>
 * Also the zone's flights: one request per missing entry goes upstream, the others wait
 * on its future (collapsed misses).
 */
public final class CacheZone {

	/** The longest a stop spends writing the entries in memory to disk. */
	static final java.time.Duration FLUSH_TIME = java.time.Duration.ofSeconds(5);

	private static final Logger logger = LoggerFactory.getLogger(CacheZone.class);

	private final CacheZoneSettings settings;

	private final @Nullable DiskTier disk;

	private final Clock clock;

	private final ReentrantLock lock = new ReentrantLock();

	private final Map<String, Resource> resources = new HashMap<>();

	private final ConcurrentHashMap<String, CompletableFuture<Void>> flights = new ConcurrentHashMap<>();

	private final RecencyList memory = new RecencyList();

	private final RecencyList onDisk = new RecencyList();

	/** Entries evicted from memory whose file is being written. */
	private int spillingEntries;

	/**
	 * Purges made while the disk's index is rebuilt: they apply to the files not read yet
	 * too.
	 */
	private final List<Predicate<String>> purgedWhileIndexing = new ArrayList<>();

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
		this.disk = (settings.diskPath() != null && settings.diskSize() > 0)
				? new DiskTier(settings.name(), Path.of(settings.diskPath()), settings.diskSize()) : null;
		if (this.disk != null) {
			this.disk.scan(this::indexed, this::indexingEnded);
		}
	}

	/**
	 * Stop the disk tier: the writes queued finish, then the entries still in memory are
	 * written too, most recently used first, for at most {@link #FLUSH_TIME}, so that a
	 * restart finds them. Without a disk tier, nothing to do.
	 */
	public void close() {
		DiskTier tier = this.disk;
		if (tier == null) {
			return;
		}
		tier.close();
		List<CacheEntry> inMemory = new ArrayList<>();
		this.lock.lock();
		try {
			for (CacheEntry entry = this.memory.mostRecent(); entry != null; entry = entry.older) {
				inMemory.add(entry);
			}
		}
		finally {
			this.lock.unlock();
		}
		long deadline = System.nanoTime() + FLUSH_TIME.toNanos();
		int written = 0;
		for (CacheEntry entry : inMemory) {
			if (System.nanoTime() > deadline) {
				logger.info("cache {}: {} entries in memory were not written to disk in time", this.settings.name(),
						inMemory.size() - written);
				break;
			}
			try {
				EntryFiles.write(tier.newFile(entry.url, entry.variant), entry);
				written++;
			}
			catch (IOException | RuntimeException ex) {
				logger.warn("cache {}: an entry cannot be written to {}: {}", this.settings.name(), tier.directory(),
						ex.toString());
				break;
			}
		}
	}

	@Nullable DiskTier disk() {
		return this.disk;
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
			if (entry != null && entry.tier != CacheEntry.Tier.SPILLING) {
				list(entry).touch(entry);
			}
			return entry;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Store a response; the body's bytes are copied into one buffer of the entry's own.
	 * An entry too large for the memory budget goes straight to the disk tier, if any.
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
		CacheEntry entry = new CacheEntry(url, extras + CachePolicy.variant(vary, request), List.copyOf(vary), status,
				body, meta);
		boolean tooLarge = entry.cost > this.settings.memorySize();
		if (tooLarge && (this.disk == null || this.disk.spilling.get() + entry.cost > spillLimit())) {
			return null;
		}
		List<CacheEntry> spills = new ArrayList<>();
		this.lock.lock();
		try {
			Resource resource = this.resources.get(url);
			if (resource == null || !resource.vary.equals(entry.vary)) {
				// a new Vary makes the old variants unreachable: they go
				if (resource != null) {
					removeResource(url, resource);
				}
				resource = new Resource(entry.vary);
				this.resources.put(url, resource);
			}
			CacheEntry previous = resource.variants.put(entry.variant, entry);
			if (previous != null) {
				drop(previous);
			}
			if (tooLarge) {
				entry.tier = CacheEntry.Tier.SPILLING;
				this.spillingEntries++;
				spills.add(entry);
			}
			else {
				this.memory.linkFirst(entry);
				evict(spills);
			}
		}
		finally {
			this.lock.unlock();
		}
		this.stored.increment();
		this.storedPerMinute.add(this.clock.millis());
		spill(spills);
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
			removeResource(url, resource);
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
				drop(entry);
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
			if (this.disk != null && this.disk.indexing) {
				this.purgedWhileIndexing.add(matches);
			}
			int before = count();
			Iterator<Map.Entry<String, Resource>> each = this.resources.entrySet().iterator();
			while (each.hasNext()) {
				Map.Entry<String, Resource> resource = each.next();
				if (matches.test(CacheKeys.urlOf(resource.getKey()))) {
					for (CacheEntry entry : resource.getValue().variants.values()) {
						drop(entry);
					}
					each.remove();
				}
			}
			return before - count();
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
		int diskEntries;
		long diskBytes;
		this.lock.lock();
		try {
			count = count();
			size = this.memory.bytes;
			diskEntries = this.onDisk.entries;
			diskBytes = this.onDisk.bytes;
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
		DiskTier tier = this.disk;
		return new CacheZoneState(this.settings.name(), count, size, this.settings.memorySize(), ratio, byResult,
				this.stored.sum(), this.evicted.sum(), this.storedPerMinute.sum(now), this.evictedPerMinute.sum(now),
				diskEntries, diskBytes, (tier != null) ? tier.budget() : 0, (tier != null) ? tier.corrupt.sum() : 0,
				tier != null && tier.indexing);
	}

	/** The bytes in memory, for the size gauge. */
	public long memoryBytes() {
		this.lock.lock();
		try {
			return this.memory.bytes;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** The bytes on disk, for the size gauge. */
	public long diskBytes() {
		this.lock.lock();
		try {
			return this.onDisk.bytes;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * An entry whose file turned out damaged or cut short when it was to be served: it
	 * goes, its file is deleted, and it is counted.
	 */
	void corrupt(CacheEntry entry, String reason) {
		remove(entry);
		DiskTier tier = this.disk;
		if (tier != null && entry.file != null) {
			tier.corrupt.increment();
			tier.delete(entry.file.path());
			logger.warn("cache {}: {} is damaged ({}): deleted", this.settings.name(), entry.file.path(), reason);
		}
	}

	private int count() {
		return this.memory.entries + this.spillingEntries + this.onDisk.entries;
	}

	private RecencyList list(CacheEntry entry) {
		return (entry.tier == CacheEntry.Tier.DISK) ? this.onDisk : this.memory;
	}

	/** Take an entry, already out of its resource, out of its tier. */
	private void drop(CacheEntry entry) {
		switch (entry.tier) {
			case MEMORY -> this.memory.unlink(entry);
			case SPILLING -> this.spillingEntries--;
			case DISK -> {
				this.onDisk.unlink(entry);
				this.disk.delete(entry.file.path());
			}
		}
	}

	/**
	 * Bring memory within its budget: the least recently used leave, for the disk when
	 * there is one and the spills in flight hold less than another memory budget.
	 */
	private void evict(List<CacheEntry> spills) {
		long now = this.clock.millis();
		long pending = (this.disk != null) ? this.disk.spilling.get() : 0;
		while (this.memory.bytes > this.settings.memorySize() && this.memory.leastRecent() != null) {
			CacheEntry victim = this.memory.leastRecent();
			this.memory.unlink(victim);
			if (this.disk != null && pending + victim.cost <= spillLimit()) {
				// it stays in its resource, answered from its buffer until its file is
				// written; not counted as evicted, as it stays in the cache
				pending += victim.cost;
				victim.tier = CacheEntry.Tier.SPILLING;
				this.spillingEntries++;
				spills.add(victim);
			}
			else {
				forget(victim);
				this.evicted.increment();
				this.evictedPerMinute.add(now);
			}
		}
	}

	/**
	 * The most bytes of entries waiting for their file to be written: another memory
	 * budget, or one largest entry when that is larger.
	 */
	private long spillLimit() {
		return Math.max(this.settings.memorySize(), this.settings.maxEntrySize());
	}

	/** Take an entry out of its resource (its tier is the caller's). */
	private void forget(CacheEntry entry) {
		Resource resource = this.resources.get(entry.url);
		if (resource != null && resource.variants.get(entry.variant) == entry) {
			resource.variants.remove(entry.variant);
			if (resource.variants.isEmpty()) {
				this.resources.remove(entry.url);
			}
		}
	}

	/** Hand entries that left memory to the disk tier's thread, outside the lock. */
	private void spill(List<CacheEntry> spills) {
		for (CacheEntry entry : spills) {
			this.disk.spilling.addAndGet(entry.cost);
			if (!this.disk.submit(() -> write(entry))) {
				this.disk.spilling.addAndGet(-entry.cost);
				unspill(entry);
			}
		}
	}

	/** On the disk tier's thread: write a spilled entry and put its file in its place. */
	private void write(CacheEntry entry) {
		DiskTier tier = this.disk;
		CacheEntry.DiskFile file;
		try {
			file = EntryFiles.write(tier.newFile(entry.url, entry.variant), entry);
		}
		catch (IOException | RuntimeException ex) {
			tier.writeFailures.increment();
			logger.warn("cache {}: an entry cannot be written to {}: {}", this.settings.name(), tier.directory(),
					ex.toString());
			unspill(entry);
			return;
		}
		finally {
			tier.spilling.addAndGet(-entry.cost);
		}
		CacheEntry onDisk = new CacheEntry(entry.url, entry.variant, entry.vary, entry.status, file, entry.meta);
		List<CacheEntry.DiskFile> deleted = new ArrayList<>();
		this.lock.lock();
		try {
			Resource resource = this.resources.get(entry.url);
			if (resource == null || resource.variants.get(entry.variant) != entry) {
				// removed or replaced while it was written
				deleted.add(file);
			}
			else {
				this.spillingEntries--;
				resource.variants.put(entry.variant, onDisk);
				this.onDisk.linkFirst(onDisk);
				evictDisk(deleted);
			}
		}
		finally {
			this.lock.unlock();
		}
		for (CacheEntry.DiskFile gone : deleted) {
			tier.deleteNow(gone.path());
		}
	}

	/** A spill that cannot be written: the entry leaves the cache. */
	private void unspill(CacheEntry entry) {
		this.lock.lock();
		try {
			Resource resource = this.resources.get(entry.url);
			if (resource != null && resource.variants.get(entry.variant) == entry) {
				forget(entry);
				this.spillingEntries--;
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * On the scan's thread: an entry read back from disk at start, behind the ones read
	 * before it. A variant stored since start is newer: the file goes.
	 */
	private void indexed(CacheEntry entry) {
		List<CacheEntry.DiskFile> deleted = new ArrayList<>();
		this.lock.lock();
		try {
			Resource resource = this.resources.get(entry.url);
			if (resource == null) {
				resource = new Resource(entry.vary);
				this.resources.put(entry.url, resource);
			}
			String url = CacheKeys.urlOf(entry.url);
			if (!resource.vary.equals(entry.vary) || resource.variants.containsKey(entry.variant)
					|| this.purgedWhileIndexing.stream().anyMatch((purged) -> purged.test(url))) {
				if (resource.variants.isEmpty()) {
					this.resources.remove(entry.url);
				}
				deleted.add(entry.file);
			}
			else {
				resource.variants.put(entry.variant, entry);
				this.onDisk.linkLast(entry);
				evictDisk(deleted);
			}
		}
		finally {
			this.lock.unlock();
		}
		for (CacheEntry.DiskFile gone : deleted) {
			this.disk.deleteNow(gone.path());
		}
	}

	private void indexingEnded() {
		this.lock.lock();
		try {
			this.purgedWhileIndexing.clear();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Bring the disk within its budget, least recently used first; files to delete. */
	private void evictDisk(List<CacheEntry.DiskFile> deleted) {
		long now = this.clock.millis();
		while (this.onDisk.bytes > this.disk.budget() && this.onDisk.leastRecent() != null) {
			CacheEntry victim = this.onDisk.leastRecent();
			this.onDisk.unlink(victim);
			forget(victim);
			deleted.add(victim.file);
			this.evicted.increment();
			this.evictedPerMinute.add(now);
		}
	}

	private void removeResource(String url, Resource resource) {
		for (CacheEntry entry : new ArrayList<>(resource.variants.values())) {
			drop(entry);
		}
		this.resources.remove(url);
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
