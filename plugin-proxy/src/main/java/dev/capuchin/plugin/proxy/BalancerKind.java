package dev.capuchin.plugin.proxy;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How an upstream picks the server for a request. Each kind is one class in
 * {@code dev.capuchin.plugin.proxy.internal.balancer}; every kind fails over to its next
 * choice when the chosen server cannot be used.
 */
public enum BalancerKind {

	/** Start at a varying server, take the first that connects (Monkey's naive). */
	NAIVE("naive"),

	/** Always the first available server in list order (Monkey's first-alive). */
	FIRST_ALIVE("first-alive"),

	/** Rotate over the available servers without a lock. */
	ROUND_ROBIN("round-robin"),

	/** Rotate over the server list under a lock: a strict rotation. */
	LOCKING_ROUND_ROBIN("locking-round-robin"),

	/** The server with the fewest requests in flight, ties in rotation. */
	LEAST_CONNECTIONS("least-connections"),

	/** A hash of the client address picks the server. */
	SOURCE_HASH("source-hash"),

	/** Smooth weighted rotation by each server's {@code weight} (nginx's). */
	WEIGHTED_ROUND_ROBIN("weighted-round-robin"),

	/** Two random servers, the one with fewer requests in flight wins. */
	RANDOM_TWO_CHOICES("random-two-choices"),

	/** A hash ring over a header, cookie or the URI: a change moves only its share. */
	CONSISTENT_HASH("consistent-hash");

	private final String key;

	BalancerKind(String key) {
		this.key = key;
	}

	/**
	 * The kind's name in configuration.
	 * @return such as {@code round-robin}
	 */
	public String key() {
		return this.key;
	}

	/**
	 * The kind of a configuration name.
	 * @param key such as {@code least-connections}
	 * @return the kind
	 * @throws IllegalArgumentException listing the names expected
	 */
	public static BalancerKind fromKey(String key) {
		for (BalancerKind kind : values()) {
			if (kind.key.equals(key)) {
				return kind;
			}
		}
		throw new IllegalArgumentException("'" + key + "' (expected: one of " + keys() + ")");
	}

	/**
	 * Every name, for messages.
	 * @return the names, comma separated
	 */
	public static String keys() {
		return Arrays.stream(values()).map(BalancerKind::key).collect(Collectors.joining(", "));
	}

	@Override
	public String toString() {
		return this.key;
	}

}
