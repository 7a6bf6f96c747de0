package dev.capuchin.plugin.auth.internal;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * Failed authentication attempts per client address: once a client has failed
 * {@code maxFailures} times within {@code window} (counted from its first failure), it is
 * refused for the rest of that window. This stops password guessing from one address at a
 * handful of bcrypt checks per window instead of as many as the hashing threads allow.
 * <p>
 * Bounded to {@code maxClients} addresses by a Caffeine cache whose entries expire with
 * their window, so failures from many addresses cannot exhaust memory.
 */
public final class FailureThrottle {

	private final int maxFailures;

	private final long windowNanos;

	private final Ticker ticker;

	private final Cache<InetAddress, Window> clients;

	/**
	 * Create a throttle on the system clock.
	 * @param maxFailures failures allowed per window; 0 for no limit
	 * @param window the window, from a client's first failure
	 * @param maxClients the most addresses remembered
	 */
	public FailureThrottle(int maxFailures, Duration window, int maxClients) {
		this(maxFailures, window, maxClients, Ticker.systemTicker());
	}

	/**
	 * Create a throttle.
	 * @param maxFailures failures allowed per window; 0 for no limit
	 * @param window the window, from a client's first failure
	 * @param maxClients the most addresses remembered
	 * @param ticker the clock, in nanoseconds
	 */
	public FailureThrottle(int maxFailures, Duration window, int maxClients, Ticker ticker) {
		this.maxFailures = maxFailures;
		this.windowNanos = window.toNanos();
		this.ticker = Objects.requireNonNull(ticker, "ticker");
		this.clients = Caffeine.newBuilder()
			.maximumSize(Math.max(0, maxClients))
			// a window ends a fixed time after its first failure: later failures in it do
			// not extend it
			.expireAfter(Expiry.creating((InetAddress client, Window failures) -> window))
			.ticker(ticker)
			.build();
	}

	/**
	 * How long a client is still refused.
	 * @param client the client's address
	 * @return the remaining nanoseconds of its window when it has used up its failures,
	 * else 0
	 */
	public long blockedFor(InetAddress client) {
		if (this.maxFailures <= 0) {
			return 0;
		}
		Window window = this.clients.getIfPresent(client);
		if (window == null || window.failures() < this.maxFailures) {
			return 0;
		}
		return Math.max(0, window.start() + this.windowNanos - this.ticker.read());
	}

	/**
	 * Count a failed attempt.
	 * @param client the client's address
	 */
	public void failed(InetAddress client) {
		if (this.maxFailures <= 0) {
			return;
		}
		long now = this.ticker.read();
		// an expired window reads as absent, so the next failure starts a new one
		this.clients.asMap()
			.compute(client, (address, window) -> (window != null) ? new Window(window.start(), window.failures() + 1)
					: new Window(now, 1));
	}

	/**
	 * The number of addresses remembered, after dropping expired and evicted ones.
	 * @return the size
	 */
	public long size() {
		this.clients.cleanUp();
		return this.clients.estimatedSize();
	}

	private record Window(long start, int failures) {

	}

}
