package dev.capuchin.plugin.proxy.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.capuchin.plugin.proxy.CacheZoneSettings;
import dev.capuchin.plugin.proxy.ProxySettings;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The {@code capuchin.plugins.proxy.*} configuration: the node-wide settings of the
 * reverse proxy. Upstreams and their servers are set in site files and the configuration
 * document ({@code upstreams:}), not here.
 *
 * @param enabled whether the plugin runs
 * @param maxConnections the most connections one worker keeps open to one server
 * @param pendingAcquireTimeout how long a request waits for a free connection before it
 * counts as a connect failure
 * @param maxIdleTime how long an unused keep-alive connection stays in the pool
 * @param cache the proxy cache's zones
 */
@ConfigurationProperties("capuchin.plugins.proxy")
public record ProxyProperties(@DefaultValue("false") boolean enabled,
		@DefaultValue("" + ProxySettings.DEFAULT_MAX_CONNECTIONS) int maxConnections,
		@DefaultValue("5s") Duration pendingAcquireTimeout, @DefaultValue("30s") Duration maxIdleTime,
		@DefaultValue Cache cache) {

	private static final String PREFIX = "capuchin.plugins.proxy.";

	public ProxyProperties {
		toSettings(maxConnections, pendingAcquireTimeout, maxIdleTime, cache);
	}

	/**
	 * The plugin's settings.
	 * @return the settings
	 */
	public ProxySettings toSettings() {
		return toSettings(this.maxConnections, this.pendingAcquireTimeout, this.maxIdleTime, this.cache);
	}

	private static ProxySettings toSettings(int maxConnections, Duration pendingAcquireTimeout, Duration maxIdleTime,
			@Nullable Cache cache) {
		try {
			Map<String, CacheZoneSettings> zones = new LinkedHashMap<>();
			if (cache != null) {
				cache.zones().forEach((name, zone) -> zones.put(name, zone.toSettings(name)));
			}
			return new ProxySettings(maxConnections, pendingAcquireTimeout, maxIdleTime, zones);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(PREFIX + ex.getMessage(), ex);
		}
	}

	/**
	 * The proxy cache ({@code capuchin.plugins.proxy.cache.*}).
	 *
	 * @param zones the zones by name; a proxied location opts in with {@code cache:
	 * {zone: NAME}}
	 */
	public record Cache(@DefaultValue Map<String, Zone> zones) {

		public Cache {
			zones = (zones != null) ? zones : Map.of();
		}

	}

	/**
	 * One cache zone ({@code capuchin.plugins.proxy.cache.zones.<name>.*}).
	 *
	 * @param memorySize the bytes its entries may take in memory; the least recently used
	 * go first
	 * @param diskPath the directory of its disk tier, where entries evicted from memory
	 * (or too large for it) go; its index is rebuilt at start
	 * @param diskSize the bytes its entries may take on disk; the least recently used
	 * file goes first
	 * @param maxEntrySize the largest body stored (also what one response holds in memory
	 * while it is stored)
	 * @param heuristicFraction the share of the time since {@code Last-Modified} a
	 * response without explicit freshness stays fresh (at most a day); 0 for none
	 * @param staleWhileRevalidate when set, replaces responses' own
	 * {@code stale-while-revalidate}
	 * @param staleIfError when set, replaces responses' own {@code stale-if-error}
	 * @param collapseTimeout how long concurrent requests for a missing entry wait for
	 * the one that went upstream
	 */
	public record Zone(@DefaultValue("64MB") DataSize memorySize, @Nullable String diskPath,
			@DefaultValue("1GB") DataSize diskSize, @DefaultValue("8MB") DataSize maxEntrySize,
			@DefaultValue("" + CacheZoneSettings.DEFAULT_HEURISTIC_FRACTION) double heuristicFraction,
			@Nullable Duration staleWhileRevalidate, @Nullable Duration staleIfError,
			@DefaultValue("5s") Duration collapseTimeout) {

		CacheZoneSettings toSettings(String name) {
			return new CacheZoneSettings(name, this.memorySize.toBytes(), this.diskPath, this.diskSize.toBytes(),
					Math.min(this.maxEntrySize.toBytes(),
							CacheZoneSettings.largestEntry(this.memorySize.toBytes(), this.diskPath,
									this.diskSize.toBytes())),
					this.heuristicFraction, this.staleWhileRevalidate, this.staleIfError, this.collapseTimeout);
		}

	}

}
