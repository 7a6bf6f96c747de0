package dev.capuchin.plugin.proxy;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The live condition of an upstream server, written {@code up}, {@code down} or
 * {@code draining} in JSON.
 */
public enum ServerCondition {

	/** The server takes requests. */
	UP,

	/**
	 * The server is offline after failures, or its active health checks failed: it gets
	 * no requests until it is back.
	 */
	DOWN,

	/** The server is drained: no new requests, the ones in flight finish. */
	DRAINING;

	/**
	 * The condition's name in JSON and in metrics.
	 * @return {@code up}, {@code down} or {@code draining}
	 */
	@JsonValue
	public String key() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

	/**
	 * The condition as a gauge value: 1 up, 0 down, 2 draining.
	 * @return the value
	 */
	public int gauge() {
		return switch (this) {
			case UP -> 1;
			case DOWN -> 0;
			case DRAINING -> 2;
		};
	}

	@Override
	public String toString() {
		return key();
	}

}
