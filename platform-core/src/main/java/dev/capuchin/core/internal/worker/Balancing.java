package dev.capuchin.core.internal.worker;

import java.util.Locale;

/**
 * How accepted connections are spread over the workers.
 */
public enum Balancing {

	/**
	 * One acceptor hands each connection to the worker with the fewest open connections.
	 */
	LEAST_LOADED,

	/**
	 * One {@code SO_REUSEPORT} listener per worker; the kernel spreads the connections.
	 */
	REUSEPORT;

	/** The configuration name of the mode used when none is configured. */
	public static final String DEFAULT_NAME = "least-loaded";

	/** The mode used when none is configured. */
	public static final Balancing DEFAULT = LEAST_LOADED;

	/**
	 * Parse a configuration value.
	 * @param value {@code least-loaded} or {@code reuseport}
	 * @return the mode
	 * @throws IllegalArgumentException for any other value
	 */
	public static Balancing of(String value) {
		String name = (value != null) ? value.trim().toLowerCase(Locale.ROOT) : "least-loaded";
		return switch (name) {
			case "least-loaded", "least_loaded" -> LEAST_LOADED;
			case "reuseport" -> REUSEPORT;
			default -> throw new IllegalArgumentException(
					"capuchin.server.balancing: '" + value + "' (expected: least-loaded or reuseport)");
		};
	}

	/**
	 * The configuration name of this mode.
	 * @return the lower-case, hyphenated name
	 */
	public String configName() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
