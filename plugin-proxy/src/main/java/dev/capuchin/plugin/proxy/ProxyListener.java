package dev.capuchin.plugin.proxy;

import java.time.Duration;

/**
 * Observes the proxy for metrics. Called on event loops (request outcomes) or the health
 * checker's thread (state changes): implementations must be quick and thread-safe, and an
 * exception is logged and ignored.
 */
public interface ProxyListener {

	/** A listener that observes nothing. */
	ProxyListener NONE = new ProxyListener() {
	};

	/**
	 * One try of a request at a server ended.
	 * @param upstream the upstream's name
	 * @param server the server's URL
	 * @param outcome how it ended
	 * @param duration from the try's start to its end (the response's last byte, or the
	 * failure)
	 */
	default void onResponse(String upstream, String server, ProxyOutcome outcome, Duration duration) {
	}

	/**
	 * A server's condition changed (also called once for each server when it first
	 * appears).
	 * @param upstream the upstream's name
	 * @param server the server's URL
	 * @param condition the new condition
	 */
	default void onServerState(String upstream, String server, ServerCondition condition) {
	}

	/**
	 * A request of a cached location was answered.
	 * @param zone the cache zone's name
	 * @param result what the cache did
	 */
	default void onCache(String zone, CacheResult result) {
	}

}
