package dev.capuchin.plugin.fastcgi.internal;

/**
 * The record types of FastCGI 1.0 that Capuchin writes or reads, with their numbers on
 * the wire.
 */
public enum RecordType {

	/** Starts a request (web server to application). */
	BEGIN_REQUEST(1),

	/** Aborts a request (web server to application). */
	ABORT_REQUEST(2),

	/**
	 * Ends a request, with its application and protocol status (application to web
	 * server).
	 */
	END_REQUEST(3),

	/** A part of the name-value pairs of a request (web server to application). */
	PARAMS(4),

	/** A part of the request body (web server to application). */
	STDIN(5),

	/** A part of the response: CGI headers, then the body (application to web server). */
	STDOUT(6),

	/** Diagnostic output of the application (application to web server). */
	STDERR(7),

	/** Asks for the application's limits (management, either way). */
	GET_VALUES(9),

	/** Answers {@link #GET_VALUES}. */
	GET_VALUES_RESULT(10),

	/** Answers a management record the application does not know. */
	UNKNOWN_TYPE(11);

	private static final RecordType[] BY_CODE = new RecordType[12];

	static {
		for (RecordType type : values()) {
			BY_CODE[type.code] = type;
		}
	}

	private final int code;

	RecordType(int code) {
		this.code = code;
	}

	/**
	 * The type's number on the wire.
	 * @return the number
	 */
	public int code() {
		return this.code;
	}

	/**
	 * The type of a number read from the wire.
	 * @param code the number
	 * @return the type, or {@code null} for a number Capuchin does not know
	 */
	public static RecordType of(int code) {
		return (code > 0 && code < BY_CODE.length) ? BY_CODE[code] : null;
	}

}
