package dev.capuchin.plugin.proxy;

import java.util.Locale;

/**
 * How one try of a request at an upstream server ended, as counted in metrics.
 */
public enum ProxyOutcome {

	/** The server answered (any status but 502, 503, 504 and 508). */
	SUCCESS,

	/** The server answered 502, 503 or 504. */
	BAD_STATUS,

	/**
	 * The connection could not be opened (refused, unreachable, TLS handshake failed).
	 */
	CONNECT_FAILURE,

	/** A connect, first-byte, idle or total timeout. */
	TIMEOUT,

	/** The connection was reset or closed before the response was complete. */
	RESET,

	/** The server answered 508: the request looped back through it. */
	LOOP,

	/** The client went away and the try was cancelled. */
	CANCELLED;

	/**
	 * The outcome's name in metrics.
	 * @return such as {@code connect-failure}
	 */
	public String key() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/**
	 * Whether the outcome counts as a failure of the server.
	 * @return {@code true} for every outcome but success and cancelled
	 */
	public boolean failure() {
		return this != SUCCESS && this != CANCELLED;
	}

}
