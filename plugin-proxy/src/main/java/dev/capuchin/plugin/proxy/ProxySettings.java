package dev.capuchin.plugin.proxy;

import java.time.Duration;

/**
 * The proxy's node-wide settings ({@code capuchin.plugins.proxy.*}); everything per
 * upstream is in {@link Upstream}.
 *
 * @param maxConnections the most connections open to one server from this node (the
 * pool's size; bounds what a slow server can hold)
 * @param pendingAcquireTimeout how long a request waits for a pooled connection when all
 * are busy before it counts as a connect failure
 * @param maxIdleTime how long a pooled keep-alive connection may stay unused
 */
public record ProxySettings(int maxConnections, Duration pendingAcquireTimeout, Duration maxIdleTime) {

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
	}

}
