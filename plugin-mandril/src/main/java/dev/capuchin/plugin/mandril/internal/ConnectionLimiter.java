package dev.capuchin.plugin.mandril.internal;

import java.net.InetAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.capuchin.core.spi.ClientConnection;

/**
 * Open connections per client address. A connection is counted when it is admitted and
 * uncounted when it closes; the kernel reports every close, also of connections that were
 * refused before they were counted, so the counted ones are remembered.
 */
public final class ConnectionLimiter {

	private final int max;

	private final ConcurrentHashMap<InetAddress, AtomicInteger> open = new ConcurrentHashMap<>();

	private final Set<ClientConnection> counted = ConcurrentHashMap.newKeySet();

	/**
	 * A limiter.
	 * @param max the most open connections per address
	 */
	public ConnectionLimiter(int max) {
		if (max < 1) {
			throw new IllegalArgumentException("max-connections-per-ip: " + max + " (expected: > 0)");
		}
		this.max = max;
	}

	/**
	 * Count a new connection unless its address holds the most already.
	 * @param connection the connection
	 * @return {@code true} when it is admitted
	 */
	public boolean open(ClientConnection connection) {
		InetAddress client = connection.remoteAddress().getAddress();
		int count = this.open.compute(client, (key, current) -> {
			AtomicInteger counter = (current != null) ? current : new AtomicInteger();
			counter.incrementAndGet();
			return counter;
		}).get();
		if (count > this.max) {
			release(client);
			return false;
		}
		this.counted.add(connection);
		return true;
	}

	/**
	 * Uncount a closed connection.
	 * @param connection the connection
	 */
	public void close(ClientConnection connection) {
		if (this.counted.remove(connection)) {
			release(connection.remoteAddress().getAddress());
		}
	}

	/**
	 * Open connections of one address.
	 * @param client the address
	 * @return the count
	 */
	public int openConnections(InetAddress client) {
		AtomicInteger count = this.open.get(client);
		return (count != null) ? count.get() : 0;
	}

	private void release(InetAddress client) {
		this.open.computeIfPresent(client, (key, count) -> (count.decrementAndGet() <= 0) ? null : count);
	}

}
