package dev.capuchin.core.spi;

/**
 * A site's HTTP Strict Transport Security policy (RFC 6797), sent as
 * {@code Strict-Transport-Security} on responses over TLS only: a browser ignores it over
 * plain HTTP, where an attacker could have added it.
 *
 * @param maxAge how long, in seconds, browsers keep to HTTPS for the site
 * @param includeSubdomains whether the policy covers every subdomain too
 * @param preload whether the site asks to be on browsers' preload lists
 */
public record Hsts(long maxAge, boolean includeSubdomains, boolean preload) {

	/** Default {@code max-age}: one year, in seconds. */
	public static final long DEFAULT_MAX_AGE = 31_536_000;

	/** The longest {@code max-age} accepted: two years, in seconds. */
	public static final long MAX_MAX_AGE = 2 * DEFAULT_MAX_AGE;

	public Hsts {
		if (maxAge < 0 || maxAge > MAX_MAX_AGE) {
			throw new IllegalArgumentException(
					"hsts.max-age: " + maxAge + " (expected: 0.." + MAX_MAX_AGE + " seconds)");
		}
		// the preload lists refuse anything less (https://hstspreload.org)
		if (preload && (!includeSubdomains || maxAge < DEFAULT_MAX_AGE)) {
			throw new IllegalArgumentException(
					"hsts.preload: true (expected: with include-subdomains: true and max-age >= " + DEFAULT_MAX_AGE
							+ ")");
		}
	}

	/**
	 * The header value.
	 * @return e.g. {@code max-age=31536000; includeSubDomains; preload}
	 */
	public String headerValue() {
		return "max-age=" + this.maxAge + (this.includeSubdomains ? "; includeSubDomains" : "")
				+ (this.preload ? "; preload" : "");
	}

}
