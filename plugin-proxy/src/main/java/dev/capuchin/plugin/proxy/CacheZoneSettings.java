package dev.capuchin.plugin.proxy;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * One cache zone ({@code capuchin.plugins.proxy.cache.zones.<name>.*}): the budget its
 * entries may take in memory, the rules' knobs, and the zone-wide overrides of stale
 * serving.
 *
 * @param name the zone's name, as locations name it in {@code cache: {zone: NAME}}
 * @param memorySize the bytes its entries may take in memory (bodies, headers and keys);
 * the least recently used go first when a new one would exceed it
 * @param diskPath the directory of its disk tier, or {@code null} for none: entries
 * leaving memory (or too large for it) are written there, and read back at start
 * @param diskSize the bytes its entries may take on disk (0: no disk tier), the least
 * recently used going first
 * @param maxEntrySize the largest body stored; a longer one streams through unstored (it
 * also bounds what one response holds in memory while it is being stored); at most the
 * memory size, or with a disk tier the larger budget
 * @param heuristicFraction the share of the time since {@code Last-Modified} that a
 * response without explicit freshness stays fresh (RFC 9111 §4.2.2), capped at
 * {@link #MAX_HEURISTIC_LIFETIME}; 0 turns heuristic freshness off
 * @param staleWhileRevalidate when set, how long after expiry an entry is served while it
 * is refreshed in the background, in place of the response's own directive
 * @param staleIfError when set, how long after expiry an entry is served when every
 * server fails, in place of the response's own directive
 * @param collapseTimeout how long concurrent requests for a missing entry wait for the
 * one that went upstream before going themselves
 */
public record CacheZoneSettings(String name, long memorySize, @Nullable String diskPath, long diskSize,
		long maxEntrySize, double heuristicFraction, @Nullable Duration staleWhileRevalidate,
		@Nullable Duration staleIfError, Duration collapseTimeout) {

	/** Default {@code memory-size}: 64 MB. */
	public static final long DEFAULT_MEMORY_SIZE = 64L * 1024 * 1024;

	/** Default {@code max-entry-size}: 8 MB. */
	public static final long DEFAULT_MAX_ENTRY_SIZE = 8L * 1024 * 1024;

	/** Default {@code heuristic-fraction}: 10 %, as RFC 9111 §4.2.2 suggests. */
	public static final double DEFAULT_HEURISTIC_FRACTION = 0.1;

	/** Default {@code collapse-timeout}, as nginx's {@code proxy_cache_lock_timeout}. */
	public static final Duration DEFAULT_COLLAPSE_TIMEOUT = Duration.ofSeconds(5);

	/** The longest heuristic freshness lifetime. */
	public static final Duration MAX_HEURISTIC_LIFETIME = Duration.ofDays(1);

	public CacheZoneSettings {
		String field = "cache.zones." + name + ".";
		if (name == null || name.isEmpty()
				|| !name.chars().allMatch((c) -> Character.isLetterOrDigit(c) || c == '-' || c == '_')
				|| !Character.isLetter(name.charAt(0))) {
			throw new IllegalArgumentException(
					"cache.zones: '" + name + "' (expected: a letter, then letters, digits, - or _)");
		}
		if (memorySize < 1024) {
			throw new IllegalArgumentException(field + "memory-size: " + memorySize + " (expected: >= 1KB)");
		}
		if (diskSize < 0) {
			throw new IllegalArgumentException(field + "disk-size: " + diskSize + " (expected: >= 0)");
		}
		long largest = largestEntry(memorySize, diskPath, diskSize);
		if (maxEntrySize < 1 || maxEntrySize > largest) {
			throw new IllegalArgumentException(field + "max-entry-size: " + maxEntrySize + " (expected: 1.." + largest
					+ ", the memory-size, or the disk-size with a disk-path)");
		}
		if (!(heuristicFraction >= 0 && heuristicFraction <= 1)) {
			throw new IllegalArgumentException(
					field + "heuristic-fraction: " + heuristicFraction + " (expected: 0..1)");
		}
		if (staleWhileRevalidate != null && staleWhileRevalidate.isNegative()) {
			throw new IllegalArgumentException(
					field + "stale-while-revalidate: " + staleWhileRevalidate + " (expected: >= 0)");
		}
		if (staleIfError != null && staleIfError.isNegative()) {
			throw new IllegalArgumentException(field + "stale-if-error: " + staleIfError + " (expected: >= 0)");
		}
		if (collapseTimeout == null || collapseTimeout.isNegative()
				|| collapseTimeout.compareTo(Duration.ofMinutes(1)) > 0) {
			throw new IllegalArgumentException(field + "collapse-timeout: " + collapseTimeout + " (expected: 0..1m)");
		}
	}

	/**
	 * The largest {@code max-entry-size} a zone may have: its memory budget, or with a
	 * disk tier the larger of both budgets (an entry too large for memory goes to disk).
	 * @param memorySize the memory budget
	 * @param diskPath the disk tier's directory, or {@code null}
	 * @param diskSize the disk budget
	 * @return bytes
	 */
	public static long largestEntry(long memorySize, @Nullable String diskPath, long diskSize) {
		return (diskPath != null && diskSize > 0) ? Math.max(memorySize, diskSize) : memorySize;
	}

	/**
	 * A zone in memory with the defaults.
	 * @param name the name
	 * @param memorySize its memory budget
	 * @return the settings
	 */
	public static CacheZoneSettings inMemory(String name, long memorySize) {
		return new CacheZoneSettings(name, memorySize, null, 0, Math.min(DEFAULT_MAX_ENTRY_SIZE, memorySize),
				DEFAULT_HEURISTIC_FRACTION, null, null, DEFAULT_COLLAPSE_TIMEOUT);
	}

}
