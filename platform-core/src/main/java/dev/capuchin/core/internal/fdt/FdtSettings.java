package dev.capuchin.core.internal.fdt;

import java.time.Duration;
import java.util.Objects;

/**
 * Shape and policy of each worker's open-file table.
 *
 * @param buckets hash buckets per table (Monkey: 64)
 * @param slots entries per bucket (Monkey: 8)
 * @param retainIdle whether an entry stays open after its last reader finished, to serve
 * the next request without an {@code open(2)}; it is revalidated by size and modification
 * time
 * @param idleTimeout how long a retained entry may stay open unused before it is closed
 * @param valid how long what a request path resolved to (the file, its size, modification
 * time and response validators) is trusted without a new {@code stat(2)}, as nginx's
 * {@code open_file_cache_valid} and lighttpd's stat cache; {@link Duration#ZERO} checks
 * the file on every request
 */
public record FdtSettings(int buckets, int slots, boolean retainIdle, Duration idleTimeout, Duration valid) {

	// Compile-time constants so that the @DefaultValue of capuchin.server.fdt.* can name
	// them: these are the only place each default is written.

	/** Default bucket count, as in Monkey. */
	public static final int DEFAULT_BUCKETS = 64;

	/** Default slots per bucket, as in Monkey. */
	public static final int DEFAULT_SLOTS = 8;

	/** Whether entries stay open after their last reader by default. */
	public static final boolean DEFAULT_RETAIN_IDLE = true;

	/** Default time a retained, unused entry stays open, in seconds. */
	public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 10;

	/** Default time a retained, unused entry stays open. */
	public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(DEFAULT_IDLE_TIMEOUT_SECONDS);

	/** Default time a resolved file is trusted without a new check, in seconds. */
	public static final int DEFAULT_VALID_SECONDS = 1;

	/** Default time a resolved file is trusted without a new check. */
	public static final Duration DEFAULT_VALID = Duration.ofSeconds(DEFAULT_VALID_SECONDS);

	/** The longest time a resolved file may be trusted. */
	public static final Duration MAX_VALID = Duration.ofHours(1);

	/** The defaults: 64 × 8, retention on, 10 s idle timeout, files trusted for 1 s. */
	public static final FdtSettings DEFAULTS = new FdtSettings(DEFAULT_BUCKETS, DEFAULT_SLOTS, DEFAULT_RETAIN_IDLE,
			DEFAULT_IDLE_TIMEOUT, DEFAULT_VALID);

	public FdtSettings {
		if (buckets < 1 || buckets > 65536) {
			throw new IllegalArgumentException("fdt.buckets: " + buckets + " (expected: 1..65536)");
		}
		if (slots < 1 || slots > 1024) {
			throw new IllegalArgumentException("fdt.slots: " + slots + " (expected: 1..1024)");
		}
		Objects.requireNonNull(idleTimeout, "idleTimeout");
		if (idleTimeout.isNegative() || idleTimeout.isZero()) {
			throw new IllegalArgumentException("fdt.idle-timeout: " + idleTimeout + " (expected: > 0)");
		}
		Objects.requireNonNull(valid, "valid");
		if (valid.isNegative() || valid.compareTo(MAX_VALID) > 0) {
			throw new IllegalArgumentException("fdt.valid: " + valid + " (expected: 0s..1h)");
		}
	}

	/**
	 * These settings with another validity.
	 * @param valid how long a resolved file is trusted
	 * @return the new settings
	 */
	public FdtSettings withValid(Duration valid) {
		return new FdtSettings(this.buckets, this.slots, this.retainIdle, this.idleTimeout, valid);
	}

}
