package dev.capuchin.plugin.auth;

import java.time.Duration;
import java.util.Objects;

/**
 * The global settings of the auth plugin; locations choose realm, users and mode in their
 * own {@code auth:} blocks.
 *
 * @param cacheTtl how long a verified user name and password are accepted without hashing
 * again; {@link Duration#ZERO} hashes on every request
 * @param cacheSize the most verified credentials kept; 0 keeps none
 * @param maxFailures failed attempts one client address may make within
 * {@code failureWindow} before it gets 429 for the rest of the window; 0 for no limit
 * @param failureWindow the window in which failures are counted, from the first one
 * @param hashThreads the most threads that verify passwords at once
 */
public record AuthSettings(Duration cacheTtl, int cacheSize, int maxFailures, Duration failureWindow, int hashThreads) {

	/** Default {@link #cacheTtl()}: one minute. */
	public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(60);

	/**
	 * Default {@link #cacheSize()}. One entry is about 100 bytes, so the cache stays
	 * around a megabyte even when full.
	 */
	public static final int DEFAULT_CACHE_SIZE = 10_000;

	/**
	 * Default {@link #maxFailures()}: enough for a person's typing, too few for a
	 * password-guessing run (which also pays a bcrypt check per guess).
	 */
	public static final int DEFAULT_MAX_FAILURES = 10;

	/** Default {@link #failureWindow()}: one minute. */
	public static final Duration DEFAULT_FAILURE_WINDOW = Duration.ofSeconds(60);

	/**
	 * Client addresses whose failures are remembered at once. The map is bounded so that
	 * a flood of failures from many addresses cannot exhaust memory: when it is full,
	 * expired windows go first, then arbitrary ones.
	 */
	public static final int MAX_THROTTLED_CLIENTS = 65_536;

	/**
	 * Password checks that may wait for a hashing thread. Beyond it a request gets 503 at
	 * once rather than queueing without bound behind slow bcrypt checks.
	 */
	public static final int MAX_QUEUED_CHECKS = 1000;

	public AuthSettings {
		Objects.requireNonNull(cacheTtl, "cacheTtl");
		Objects.requireNonNull(failureWindow, "failureWindow");
		if (cacheTtl.isNegative()) {
			throw new IllegalArgumentException("cache-ttl: " + cacheTtl + " (expected: >= 0)");
		}
		if (cacheSize < 0) {
			throw new IllegalArgumentException("cache-size: " + cacheSize + " (expected: >= 0)");
		}
		if (maxFailures < 0) {
			throw new IllegalArgumentException("max-failures: " + maxFailures + " (expected: >= 0)");
		}
		if (failureWindow.isNegative() || failureWindow.isZero()) {
			throw new IllegalArgumentException("failure-window: " + failureWindow + " (expected: > 0)");
		}
		if (hashThreads < 1 || hashThreads > 1024) {
			throw new IllegalArgumentException("hash-threads: " + hashThreads + " (expected: 1..1024)");
		}
	}

	/**
	 * The default settings.
	 * @return the defaults
	 */
	public static AuthSettings defaults() {
		return new AuthSettings(DEFAULT_CACHE_TTL, DEFAULT_CACHE_SIZE, DEFAULT_MAX_FAILURES, DEFAULT_FAILURE_WINDOW,
				defaultHashThreads());
	}

	/**
	 * Default hashing threads: twice the number of cores, as bcrypt is pure CPU work and
	 * a few extra threads cover the file checks that share the pool.
	 * @return the default thread count
	 */
	public static int defaultHashThreads() {
		return 2 * Runtime.getRuntime().availableProcessors();
	}

	/**
	 * A copy with another cache time-to-live.
	 * @param ttl the time-to-live
	 * @return the copy
	 */
	public AuthSettings withCacheTtl(Duration ttl) {
		return new AuthSettings(ttl, this.cacheSize, this.maxFailures, this.failureWindow, this.hashThreads);
	}

	/**
	 * A copy with another failure limit.
	 * @param failures the failures allowed per window
	 * @param window the window
	 * @return the copy
	 */
	public AuthSettings withFailureLimit(int failures, Duration window) {
		return new AuthSettings(this.cacheTtl, this.cacheSize, failures, window, this.hashThreads);
	}

}
