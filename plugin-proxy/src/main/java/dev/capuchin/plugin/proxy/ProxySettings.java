package dev.capuchin.plugin.proxy;

import java.time.Duration;
import java.util.Map;

/**
 * The proxy's node-wide settings ({@code capuchin.plugins.proxy.*}); everything per
 * upstream is in {@link Upstream}.
 *
 * @param maxConnections the most connections open to one server from this node (the
 * pool's size; bounds what a slow server can hold)
 * @param pendingAcquireTimeout how long a request waits for a pooled connection when all
 * are busy before it counts as a connect failure
 * @param maxIdleTime how long a pooled keep-alive connection may stay unused
 * @param cacheZones the cache zones by name ({@code capuchin.plugins.proxy.cache.zones})
 */
public record ProxySettings(int maxConnections, Duration pendingAcquireTimeout, Duration maxIdleTime,
		Map<String, CacheZoneSettings> cacheZones) {

	/** Default {@code max-connections} per server. */
	public static final int DEFAULT_MAX_CONNECTIONS = 512;

	/** Default {@code pending-acquire-timeout}. */
	public static final Duration DEFAULT_PENDING_ACQUIRE_TIMEOUT = Duration.ofSeconds(5);

	/** Default {@code max-idle-time}. */
	public static final Duration DEFAULT_MAX_IDLE_TIME = Duration.ofSeconds(30);

	/** The defaults. */
	public static final ProxySettings DEFAULTS = new ProxySettings(DEFAULT_MAX_CONNECTIONS,
			DEFAULT_PENDING_ACQUIRE_TIMEOUT, DEFAULT_MAX_IDLE_TIME);

	public ProxySettings {
		if (maxConnections < 1 || maxConnections > 100_000) {
			throw new IllegalArgumentException("max-connections: " + maxConnections + " (expected: 1..100000)");
		}
		if (pendingAcquireTimeout == null || pendingAcquireTimeout.isNegative() || pendingAcquireTimeout.isZero()) {
			throw new IllegalArgumentException(
					"pending-acquire-timeout: " + pendingAcquireTimeout + " (expected: > 0)");
		}
		if (maxIdleTime == null || maxIdleTime.isNegative() || maxIdleTime.isZero()) {
			throw new IllegalArgumentException("max-idle-time: " + maxIdleTime + " (expected: > 0)");
		}
		cacheZones = Map.copyOf(cacheZones);
		cacheZones.forEach((name, zone) -> {
			if (!name.equals(zone.name())) {
				throw new IllegalArgumentException("cache.zones." + name + ": named '" + zone.name() + "'");
			}
		});
	}

	/**
	 * Settings without cache zones.
	 * @param maxConnections the most connections open to one server
	 * @param pendingAcquireTimeout the wait for a pooled connection
	 * @param maxIdleTime how long a pooled connection may stay unused
	 */
	public ProxySettings(int maxConnections, Duration pendingAcquireTimeout, Duration maxIdleTime) {
		this(maxConnections, pendingAcquireTimeout, maxIdleTime, Map.of());
	}

	/**
	 * These settings with cache zones.
	 * @param zones the zones
	 * @return the settings
	 */
	public ProxySettings withCacheZones(CacheZoneSettings... zones) {
		Map<String, CacheZoneSettings> byName = new java.util.LinkedHashMap<>(this.cacheZones);
		for (CacheZoneSettings zone : zones) {
			byName.put(zone.name(), zone);
		}
		return new ProxySettings(this.maxConnections, this.pendingAcquireTimeout, this.maxIdleTime, byName);
	}

}
