package dev.capuchin.plugin.proxy;

import java.time.Duration;
import java.util.Objects;

/**
 * Active health checks of an upstream's servers, run off the request path: a
 * {@code GET path} every {@code interval}; {@code fall} failures in a row take a server
 * out, {@code rise} successes in a row bring it back.
 *
 * @param path the path requested, starting with {@code /}
 * @param interval the time between two checks of a server
 * @param timeout the time a check may take, less than the interval
 * @param expect the statuses that count as healthy
 * @param rise the successes in a row that bring a server back
 * @param fall the failures in a row that take a server out
 */
public record HealthCheck(String path, Duration interval, Duration timeout, StatusRange expect, int rise, int fall) {

	/** Default interval. */
	public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

	/** Default timeout. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

	/** Default statuses counted as healthy. */
	public static final StatusRange DEFAULT_EXPECT = new StatusRange(200, 399);

	/** Default successes to come back. */
	public static final int DEFAULT_RISE = 2;

	/** Default failures to go out. */
	public static final int DEFAULT_FALL = 3;

	/** The shortest interval accepted. */
	public static final Duration MIN_INTERVAL = Duration.ofMillis(100);

	public HealthCheck {
		Objects.requireNonNull(path, "path");
		Objects.requireNonNull(expect, "expect");
		if (!path.startsWith("/") || path.chars().anyMatch((c) -> c <= 0x20 || c >= 0x7f)) {
			throw new IllegalArgumentException("path: '" + path + "' (expected: starts with /, no spaces)");
		}
		if (interval.compareTo(MIN_INTERVAL) < 0 || interval.compareTo(Duration.ofHours(1)) > 0) {
			throw new IllegalArgumentException("interval: " + interval + " (expected: 100ms..1h)");
		}
		if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(interval) > 0) {
			throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0 and <= interval)");
		}
		if (rise < 1 || rise > 100) {
			throw new IllegalArgumentException("rise: " + rise + " (expected: 1..100)");
		}
		if (fall < 1 || fall > 100) {
			throw new IllegalArgumentException("fall: " + fall + " (expected: 1..100)");
		}
	}

	/**
	 * A check of {@code path} with every other value at its default.
	 * @param path the path
	 * @return the check
	 */
	public static HealthCheck of(String path) {
		return new HealthCheck(path, DEFAULT_INTERVAL, DEFAULT_TIMEOUT, DEFAULT_EXPECT, DEFAULT_RISE, DEFAULT_FALL);
	}

	/**
	 * An inclusive range of statuses.
	 *
	 * @param from the lowest status
	 * @param to the highest status
	 */
	public record StatusRange(int from, int to) {

		public StatusRange {
			if (from < 100 || to > 599 || from > to) {
				throw new IllegalArgumentException(
						"expect: " + from + "-" + to + " (expected: a status or a range such as 200-399)");
			}
		}

		/**
		 * Whether a status is in the range.
		 * @param status the status
		 * @return {@code true} when it is
		 */
		public boolean contains(int status) {
			return status >= this.from && status <= this.to;
		}

		/**
		 * The range as written in configuration.
		 * @param text such as {@code 200-399} or {@code 204}
		 * @return the range
		 */
		public static StatusRange parse(String text) {
			int dash = text.indexOf('-');
			try {
				if (dash < 0) {
					int status = Integer.parseInt(text.trim());
					return new StatusRange(status, status);
				}
				return new StatusRange(Integer.parseInt(text.substring(0, dash).trim()),
						Integer.parseInt(text.substring(dash + 1).trim()));
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException(
						"expect: '" + text + "' (expected: a status or a range such as 200-399)");
			}
		}

		@Override
		public String toString() {
			return (this.from == this.to) ? String.valueOf(this.from) : this.from + "-" + this.to;
		}

	}

}
