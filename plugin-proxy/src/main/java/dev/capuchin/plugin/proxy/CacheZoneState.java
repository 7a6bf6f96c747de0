package dev.capuchin.plugin.proxy;

import java.util.Map;

/**
 * A cache zone's figures for monitoring ({@code GET /api/cache}, the console's Cache
 * page).
 *
 * @param name the zone's name
 * @param entries the entries stored, in memory and on disk
 * @param memoryBytes the bytes the entries in memory take
 * @param memorySize the zone's memory budget
 * @param hitRatio the share of the last minute's requests answered from the cache (0..1)
 * @param requests requests since start, by {@link CacheResult#key() result}
 * @param stored entries stored since start
 * @param evicted entries evicted for room since start
 * @param storedPerMinute entries stored in the last minute
 * @param evictedPerMinute entries evicted in the last minute
 * @param diskEntries the entries on disk
 * @param diskBytes the bytes their files take
 * @param diskSize the zone's disk budget (0 without a disk tier)
 * @param diskCorrupt damaged or cut-short files found since start (each deleted, never
 * served)
 * @param diskIndexing whether the disk's index is still being rebuilt after start
 */
public record CacheZoneState(String name, int entries, long memoryBytes, long memorySize, double hitRatio,
		Map<String, Long> requests, long stored, long evicted, long storedPerMinute, long evictedPerMinute,
		int diskEntries, long diskBytes, long diskSize, long diskCorrupt, boolean diskIndexing) {
}
