package dev.capuchin.core.internal.tls;

import java.time.Duration;
import java.util.Objects;

/**
 * How every TLS listener runs.
 *
 * @param engine {@code auto} (OpenSSL where it loads, else the JDK's), {@code openssl} or
 * {@code jdk}
 * @param ticketKeyRotation how often a new session-ticket key is made; a ticket stays
 * valid for one more period after its key is replaced, so this is also the session
 * lifetime
 * @param reloadInterval how often the certificate files are checked for a change (a
 * renewal by certbot, say); {@link Duration#ZERO} checks only when asked
 * @param ocspStapling whether certificates that name an OCSP responder get its answer
 * stapled to handshakes (OpenSSL engine only)
 */
public record TlsSettings(String engine, Duration ticketKeyRotation, Duration reloadInterval, boolean ocspStapling) {

	/** Default engine choice: OpenSSL where it loads, else the JDK's. */
	public static final String DEFAULT_ENGINE = "auto";

	/** Default ticket-key rotation period, in minutes. */
	public static final int DEFAULT_TICKET_KEY_ROTATION_MINUTES = 60;

	/** Default certificate-file check period, in seconds. */
	public static final int DEFAULT_RELOAD_INTERVAL_SECONDS = 60;

	/** Default OCSP stapling: on where the certificate names a responder. */
	public static final boolean DEFAULT_OCSP_STAPLING = true;

	/** The defaults. */
	public static final TlsSettings DEFAULTS = new TlsSettings(DEFAULT_ENGINE,
			Duration.ofMinutes(DEFAULT_TICKET_KEY_ROTATION_MINUTES),
			Duration.ofSeconds(DEFAULT_RELOAD_INTERVAL_SECONDS), DEFAULT_OCSP_STAPLING);

	public TlsSettings {
		Objects.requireNonNull(engine, "engine");
		Objects.requireNonNull(ticketKeyRotation, "ticketKeyRotation");
		Objects.requireNonNull(reloadInterval, "reloadInterval");
		if (ticketKeyRotation.compareTo(Duration.ofSeconds(1)) < 0) {
			throw new IllegalArgumentException(
					"capuchin.server.tls.ticket-key-rotation: " + ticketKeyRotation + " (expected: >= 1s)");
		}
		if (reloadInterval.isNegative()) {
			throw new IllegalArgumentException(
					"capuchin.server.tls.reload-interval: " + reloadInterval + " (expected: >= 0)");
		}
	}

	/**
	 * Settings with the default OCSP stapling.
	 * @param engine the engine choice
	 * @param ticketKeyRotation the ticket-key rotation period
	 * @param reloadInterval the certificate-file check period
	 */
	public TlsSettings(String engine, Duration ticketKeyRotation, Duration reloadInterval) {
		this(engine, ticketKeyRotation, reloadInterval, DEFAULT_OCSP_STAPLING);
	}

	/**
	 * A copy with another engine choice.
	 * @param name {@code auto}, {@code openssl} or {@code jdk}
	 * @return the copy
	 */
	public TlsSettings withEngine(String name) {
		return new TlsSettings(name, this.ticketKeyRotation, this.reloadInterval, this.ocspStapling);
	}

	/**
	 * A copy with OCSP stapling switched on or off.
	 * @param enabled whether to staple
	 * @return the copy
	 */
	public TlsSettings withOcspStapling(boolean enabled) {
		return new TlsSettings(this.engine, this.ticketKeyRotation, this.reloadInterval, enabled);
	}

}
