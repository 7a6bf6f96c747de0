package dev.capuchin.app.security;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Counts failed console sign-ins per client address and per user name. After
 * {@code maxFailures} failures within a window that starts at the first failure, every
 * further attempt for that address or name is refused until the window ends, whatever the
 * password: this stops password guessing against one account from many addresses and
 * against many accounts from one address.
 * <p>
 * Memory is bounded: each table tracks at most {@code maxTracked} keys; expired windows
 * are dropped first, then the oldest.
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

	private final long windowMillis;

	private final int maxTracked;

	private final Clock clock;

	private final Map<String, Window> byAddress = new LinkedHashMap<>();

	private final Map<String, Window> byName = new LinkedHashMap<>();

	/**
	 * Create a throttle.
	 * @param maxFailures failures allowed in a window
	 * @param window the window, from the first failure
	 * @param maxTracked addresses and names tracked at most, each
	 * @param clock the clock
	 */
	public SignInThrottle(int maxFailures, Duration window, int maxTracked, Clock clock) {
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
		this.windowMillis = window.toMillis();
		this.maxTracked = maxTracked;
		this.clock = Objects.requireNonNull(clock, "clock");
	}

	/**
	 * How long an attempt from this address for this name is still refused.
	 * @param address the client address
	 * @param username the submitted name, or {@code null}
	 * @return the time left, or {@link Duration#ZERO} when the attempt may go on
	 */
	public synchronized Duration refusedFor(String address, String username) {
		long now = this.clock.millis();
		long left = Math.max(left(this.byAddress.get(address), now), left(this.byName.get(key(username)), now));
		return Duration.ofMillis(left);
	}

	/**
	 * Record a failed attempt.
	 * @param address the client address
	 * @param username the submitted name, or {@code null}
	 */
	public synchronized void failed(String address, String username) {
		long now = this.clock.millis();
		count(this.byAddress, address, now);
		count(this.byName, key(username), now);
	}

	/**
	 * Forget the failures of a name that signed in. The address keeps its count, so one
	 * valid account cannot clear the way for guessing others.
	 * @param username the name
	 */
	public synchronized void succeeded(String username) {
		this.byName.remove(key(username));
	}

	/**
	 * How many addresses and names are tracked.
	 * @return the count
	 */
	synchronized int tracked() {
		return this.byAddress.size() + this.byName.size();
	}

	private long left(Window window, long now) {
		if (window == null || window.failures < this.maxFailures) {
			return 0;
		}
		return Math.max(0, window.start + this.windowMillis - now);
	}

	private void count(Map<String, Window> table, String key, long now) {
		if (key == null) {
			return;
		}
		Window window = table.get(key);
		if (window == null || now - window.start >= this.windowMillis) {
			table.remove(key);
			if (table.size() >= this.maxTracked) {
				evict(table, now);
			}
			table.put(key, new Window(now));
		}
		else {
			window.failures++;
		}
	}

	private void evict(Map<String, Window> table, long now) {
		table.values().removeIf((window) -> now - window.start >= this.windowMillis);
		Iterator<Window> oldest = table.values().iterator();
		while (table.size() >= this.maxTracked && oldest.hasNext()) {
			oldest.next();
			oldest.remove();
		}
	}

	private static String key(String username) {
		if (username == null || username.isBlank()) {
			return null;
		}
		String name = username.trim().toLowerCase(Locale.ROOT);
		return (name.length() > MAX_NAME_LENGTH) ? name.substring(0, MAX_NAME_LENGTH) : name;
	}

	private static final class Window {

		private final long start;

		private int failures = 1;

		Window(long start) {
			this.start = start;
		}

	}

}
