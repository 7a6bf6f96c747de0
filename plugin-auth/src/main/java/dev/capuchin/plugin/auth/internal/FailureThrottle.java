package dev.capuchin.plugin.auth.internal;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed authentication attempts per client address: once a client has failed
 * {@code maxFailures} times within {@code window} (counted from its first failure), it is
 * refused for the rest of that window. This stops password guessing from one address at a
 * handful of bcrypt checks per window instead of as many as the hashing threads allow.
 * <p>
 * Bounded to {@code maxClients} addresses: when full, expired windows are dropped first,
 * then arbitrary ones, so failures from many addresses cannot exhaust memory.
 */
public final class FailureThrottle {

	private final int maxFailures;

	private final long windowNanos;

	private final int maxClients;

	private final Map<InetAddress, Window> clients = new ConcurrentHashMap<>();

	/**
	 * Create a throttle.
	 * @param maxFailures failures allowed per window; 0 for no limit
	 * @param window the window, from a client's first failure
	 * @param maxClients the most addresses remembered
	 */
	public FailureThrottle(int maxFailures, Duration window, int maxClients) {
		this.maxFailures = maxFailures;
		this.windowNanos = window.toNanos();
		this.maxClients = maxClients;
	}

	/**
	 * How long a client is still refused.
	 * @param client the client's address
	 * @param now the time from {@link System#nanoTime()}
	 * @return the remaining nanoseconds of its window when it has used up its failures,
	 * else 0
	 */
	public long blockedFor(InetAddress client, long now) {
		if (this.maxFailures <= 0) {
			return 0;
		}
		Window window = this.clients.get(client);
		if (window == null) {
			return 0;
		}
		long left = window.start() + this.windowNanos - now;
		if (left <= 0) {
			this.clients.remove(client, window);
			return 0;
		}
		return (window.failures() >= this.maxFailures) ? left : 0;
	}

	/**
	 * Count a failed attempt.
	 * @param client the client's address
	 * @param now the time from {@link System#nanoTime()}
	 */
	public void failed(InetAddress client, long now) {
		if (this.maxFailures <= 0) {
			return;
		}
		if (this.clients.size() >= this.maxClients && !this.clients.containsKey(client)) {
			makeRoom(now);
		}
		this.clients.compute(client, (address, window) -> (window == null || now - window.start() >= this.windowNanos)
				? new Window(now, 1) : new Window(window.start(), window.failures() + 1));
	}

	/**
	 * The number of addresses remembered.
	 * @return the size
	 */
	public int size() {
		return this.clients.size();
	}

	private void makeRoom(long now) {
		this.clients.values().removeIf((window) -> now - window.start() >= this.windowNanos);
		Iterator<InetAddress> addresses = this.clients.keySet().iterator();
		while (this.clients.size() >= this.maxClients && addresses.hasNext()) {
			addresses.next();
			addresses.remove();
		}
	}

	private record Window(long start, int failures) {

	}

}
