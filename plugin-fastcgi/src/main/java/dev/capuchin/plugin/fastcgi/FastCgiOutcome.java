package dev.capuchin.plugin.fastcgi;

/**
 * How a request passed to an application server ended, as the
 * {@code capuchin.fastcgi.requests} metric's {@code outcome} tag says it.
 */
public enum FastCgiOutcome {

	/** The server answered and the answer was sent, whatever its status. */
	RESPONDED,

	/** No server could be reached, or one broke the protocol: 502. */
	BAD_GATEWAY,

	/** The server stayed silent longer than the read timeout: 504 (or a cut response). */
	TIMEOUT,

	/** Every connection to the server was busy: 503. */
	BUSY,

	/** The client went away before the response was complete. */
	CLIENT_GONE;

	/**
	 * The outcome's tag value.
	 * @return the name in lower case
	 */
	public String tag() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

}
