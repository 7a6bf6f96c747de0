package dev.capuchin.plugin.proxy;

import java.time.Duration;

/**
 * The times an exchange with an upstream server may take.
 *
 * @param connect to open a connection (and finish the TLS handshake)
 * @param firstByte from the request sent to the response's headers
 * @param idle between two reads of the response body
 * @param total for the whole exchange, body included
 * @param upgradeIdle between two frames either way of a WebSocket or other upgraded
 * connection
 */
public record Timeouts(Duration connect, Duration firstByte, Duration idle, Duration total, Duration upgradeIdle) {

	/** Default connect timeout. */
	public static final Duration DEFAULT_CONNECT = Duration.ofSeconds(5);

	/** Default first-byte timeout (nginx's proxy_read_timeout). */
	public static final Duration DEFAULT_FIRST_BYTE = Duration.ofSeconds(60);

	/** Default idle timeout. */
	public static final Duration DEFAULT_IDLE = Duration.ofSeconds(60);

	/** Default total timeout: long, as bodies stream; the idle timeout catches stalls. */
	public static final Duration DEFAULT_TOTAL = Duration.ofHours(1);

	/** Default idle timeout of upgraded connections. */
	public static final Duration DEFAULT_UPGRADE_IDLE = Duration.ofMinutes(10);

	/** The timeouts of an upstream that sets none. */
	public static final Timeouts DEFAULTS = new Timeouts(DEFAULT_CONNECT, DEFAULT_FIRST_BYTE, DEFAULT_IDLE,
			DEFAULT_TOTAL, DEFAULT_UPGRADE_IDLE);

	public Timeouts {
		check("connect", connect);
		check("first-byte", firstByte);
		check("idle", idle);
		check("total", total);
		check("upgrade-idle", upgradeIdle);
	}

	private static void check(String name, Duration value) {
		if (value == null || value.isNegative() || value.isZero() || value.compareTo(Duration.ofDays(1)) > 0) {
			throw new IllegalArgumentException(name + ": " + value + " (expected: > 0 and <= 1d)");
		}
	}

}
