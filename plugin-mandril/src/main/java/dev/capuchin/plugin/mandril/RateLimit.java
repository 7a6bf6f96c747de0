package dev.capuchin.plugin.mandril;

/**
 * A request-rate limit per client address: a token bucket that refills at
 * {@code requestsPerSecond} and holds at most {@code burst} requests. A client over the
 * limit gets 429 with {@code Retry-After}.
 *
 * @param requestsPerSecond the sustained rate; 0 for no limit
 * @param burst the requests a client may send at once; 0 for the rate rounded up (at
 * least 1)
 */
public record RateLimit(double requestsPerSecond, int burst) {

	/** No limit. */
	public static final RateLimit OFF = new RateLimit(0, 0);

	public RateLimit {
		if (!(requestsPerSecond >= 0) || Double.isInfinite(requestsPerSecond)) {
			throw new IllegalArgumentException(
					"requests-per-second: " + requestsPerSecond + " (expected: a finite number >= 0)");
		}
		if (burst < 0) {
			throw new IllegalArgumentException("burst: " + burst + " (expected: >= 0)");
		}
		if (requestsPerSecond > 0 && requestsPerSecond < 1e-6) {
			throw new IllegalArgumentException(
					"requests-per-second: " + requestsPerSecond + " (expected: 0 or at least 0.000001)");
		}
	}

	/**
	 * Whether requests are limited.
	 * @return {@code true} when the rate is above 0
	 */
	public boolean isOn() {
		return this.requestsPerSecond > 0;
	}

	/**
	 * The bucket size in use.
	 * @return {@code burst}, or the rate rounded up when it is 0
	 */
	public int effectiveBurst() {
		return (this.burst > 0) ? this.burst : (int) Math.max(1, Math.ceil(this.requestsPerSecond));
	}

}
