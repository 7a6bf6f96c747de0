package dev.capuchin.plugin.logger;

/**
 * The two logs a site has.
 */
public enum LogKind {

	/** One line per request. */
	ACCESS("access", "access-log"),

	/** One line per response with status 400 or more. */
	ERROR("error", "error-log");

	private final String id;

	private final String key;

	LogKind(String id, String key) {
		this.id = id;
		this.key = key;
	}

	/**
	 * The kind with an identifier.
	 * @param id {@code access} or {@code error}
	 * @return the kind
	 * @throws IllegalArgumentException naming the expected identifiers
	 */
	public static LogKind of(String id) {
		for (LogKind kind : values()) {
			if (kind.id.equals(id)) {
				return kind;
			}
		}
		throw new IllegalArgumentException("log: '" + id + "' (expected: access or error)");
	}

	/**
	 * The identifier.
	 * @return {@code access} or {@code error}
	 */
	public String id() {
		return this.id;
	}

	/**
	 * The key in a {@code logger:} block and under {@code capuchin.plugins.logger}.
	 * @return {@code access-log} or {@code error-log}
	 */
	public String key() {
		return this.key;
	}

}
