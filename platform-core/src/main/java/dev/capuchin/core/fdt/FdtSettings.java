package dev.capuchin.core.fdt;

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
 */
public record FdtSettings(int buckets, int slots, boolean retainIdle, Duration idleTimeout) {

	/** Default bucket count, as in Monkey. */
	public static final int DEFAULT_BUCKETS = 64;

	/** Default slots per bucket, as in Monkey. */
	public static final int DEFAULT_SLOTS = 8;

	/** Default time a retained, unused entry stays open. */
	public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(10);

	/** The defaults: 64 × 8, retention on, 10 s idle timeout. */
	public static final FdtSettings DEFAULTS = new FdtSettings(DEFAULT_BUCKETS, DEFAULT_SLOTS, true,
			DEFAULT_IDLE_TIMEOUT);

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
	}

}
