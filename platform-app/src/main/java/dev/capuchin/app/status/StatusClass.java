package dev.capuchin.app.status;

/**
 * The classes of response status the dashboard counts answers by (RFC 9110 section 15).
 * Informational answers (1xx) are counted in a site's total only.
 */
public enum StatusClass {

	/** 200–299: the request succeeded. */
	SUCCESS("2xx"),

	/** 300–399: the client is sent elsewhere (or its copy is still good). */
	REDIRECTION("3xx"),

	/** 400–499: the request was refused (not found, not allowed, malformed). */
	CLIENT_ERROR("4xx"),

	/** 500–599: the server or a backend failed. */
	SERVER_ERROR("5xx");

	private final String label;

	StatusClass(String label) {
		this.label = label;
	}

	/**
	 * How the class is written.
	 * @return for example {@code 4xx}
	 */
	public String label() {
		return this.label;
	}

	/**
	 * The class of a status.
	 * @param status the status
	 * @return its class, or {@code null} for 1xx and anything outside 100–599
	 */
	public static StatusClass of(int status) {
		return switch (status / 100) {
			case 2 -> SUCCESS;
			case 3 -> REDIRECTION;
			case 4 -> CLIENT_ERROR;
			case 5 -> SERVER_ERROR;
			default -> null;
		};
	}

}
