package dev.capuchin.plugin.cgi;

import java.util.Locale;

/**
 * How a CGI request ended, as counted in {@link CgiStatus} and tagged on the
 * {@code capuchin.cgi.requests} metric.
 */
public enum CgiOutcome {

	/** The script ran and its response was sent whole. */
	OK,

	/** The script outran its timeout: its process group was killed, 504. */
	TIMEOUT,

	/** No place was free within the queue timeout: 503 with {@code Retry-After}. */
	OVERLOADED,

	/** The script's output was not a CGI response: 502. */
	MALFORMED,

	/**
	 * The script could not be started, or failed otherwise: 500 or a closed connection.
	 */
	FAILED,

	/** The client went away before the response was complete: the script was killed. */
	CLIENT_GONE,

	/** The request was refused before a script ran: 403 or 413. */
	REFUSED;

	private final String tag = name().toLowerCase(Locale.ROOT).replace('_', '-');

	/**
	 * The outcome as a metric tag: {@code ok}, {@code timeout}, {@code client-gone}...
	 * @return the tag
	 */
	public String tag() {
		return this.tag;
	}

}
