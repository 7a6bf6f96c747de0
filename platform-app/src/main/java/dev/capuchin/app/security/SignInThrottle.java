package dev.capuchin.app.security;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * Counts failed console sign-ins per client address and per user name. After
 * {@code maxFailures} failures within a window that starts at the first failure, every
 * further attempt for that address or name is refused until the window ends, whatever the
 * password: this stops password guessing against one account from many addresses and
 * against many accounts from one address.
 * <p>
 * Memory is bounded: each table is a Caffeine cache of at most {@code maxTracked} keys,
 * whose entries expire when their window ends; beyond the bound, Caffeine evicts the keys
 * least likely to be asked for again. Time comes from a {@link Ticker}, so tests advance
 * it without sleeping.
 */
public final class SignInThrottle {

	/** Failures allowed in a window by default. */
	public static final int DEFAULT_MAX_FAILURES = 5;

	/** The default window. */
	public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);

	/** Addresses and names tracked at most, each, by default. */
	public static final int DEFAULT_MAX_TRACKED = 10_000;

	private static final int MAX_NAME_LENGTH = 64;

	private final int maxFailures;

	private final long windowNanos;

	private final Ticker ticker;

	private final Cache<String, Window> byAddress;

	private final Cache<String, Window> byName;

	/**
	 * Create a throttle on the system ticker.
	 * @param maxFailures failures allowed in a window
	 * @param window the window, from the first failure
	 * @param maxTracked addresses and names tracked at most, each
	 */
	public SignInThrottle(int maxFailures, Duration window, int maxTracked) {
		this(maxFailures, window, maxTracked, Ticker.systemTicker());
	}

	/**
	 * Create a throttle.
	 * @param maxFailures failures allowed in a window
	 * @param window the window, from the first failure
	 * @param maxTracked addresses and names tracked at most, each
	 * @param ticker the source of time, in nanoseconds
	 */
	public SignInThrottle(int maxFailures, Duration window, int maxTracked, Ticker ticker) {
		if (maxFailures < 1) {
			throw new IllegalArgumentException("max-failures: " + maxFailures + " (expected: > 0)");
		}
		if (window.isNegative() || window.isZero()) {
			throw new IllegalArgumentException("window: " + window + " (expected: > 0)");
		}
		if (maxTracked < 1) {
			throw new IllegalArgumentException("max-tracked: " + maxTracked + " (expected: > 0)");
		}
		this.maxFailures = maxFailures;
		this.windowNanos = window.toNanos();
		this.ticker = Objects.requireNonNull(ticker, "ticker");
		this.byAddress = table(maxTracked, window);
		this.byName = table(maxTracked, window);
	}

	private Cache<String, Window> table(int maxTracked, Duration window) {
		return Caffeine.newBuilder()
			.maximumSize(maxTracked)
			// a window ends a fixed time after its first failure, whatever follows
			.expireAfter(Expiry.creating((String key, Window failures) -> window))
			.ticker(this.ticker)
			// evict on the calling thread: the bound holds as soon as a failure is
			// counted
			.executor(Runnable::run)
			.build();
	}

	/**
	 * How long an attempt from this address for this name is still refused.
	 * @param address the client address
	 * @param username the submitted name, or {@code null}
	 * @return the time left, or {@link Duration#ZERO} when the attempt may go on
	 */
	public Duration refusedFor(String address, String username) {
		long now = this.ticker.read();
		String name = key(username);
		long left = Math.max(left((address != null) ? this.byAddress.getIfPresent(address) : null, now),
				left((name != null) ? this.byName.getIfPresent(name) : null, now));
		return Duration.ofNanos(left);
	}

	/**
	 * Record a failed attempt.
	 * @param address the client address
	 * @param username the submitted name, or {@code null}
	 */
	public void failed(String address, String username) {
		long now = this.ticker.read();
		count(this.byAddress, address, now);
		count(this.byName, key(username), now);
	}

	/**
	 * Forget the failures of a name that signed in. The address keeps its count, so one
	 * valid account cannot clear the way for guessing others.
	 * @param username the name
	 */
	public void succeeded(String username) {
		String name = key(username);
		if (name != null) {
			this.byName.invalidate(name);
		}
	}

	/**
	 * How many addresses and names are tracked.
	 * @return the count
	 */
	long tracked() {
		this.byAddress.cleanUp();
		this.byName.cleanUp();
		return this.byAddress.estimatedSize() + this.byName.estimatedSize();
	}

	private long left(Window window, long now) {
		if (window == null || window.failures() < this.maxFailures) {
			return 0;
		}
		return Math.max(0, window.start() + this.windowNanos - now);
	}

	private static void count(Cache<String, Window> table, String key, long now) {
		if (key != null) {
			// an expired window reads as absent, so the next failure starts a new one
			table.asMap()
				.compute(key, (ignored, window) -> (window != null) ? new Window(window.start(), window.failures() + 1)
						: new Window(now, 1));
		}
	}

	private static String key(String username) {
		if (username == null || username.isBlank()) {
			return null;
		}
		String name = username.trim().toLowerCase(Locale.ROOT);
		return (name.length() > MAX_NAME_LENGTH) ? name.substring(0, MAX_NAME_LENGTH) : name;
	}

	/** Failures since a window started. */
	private record Window(long start, int failures) {
	}

}
