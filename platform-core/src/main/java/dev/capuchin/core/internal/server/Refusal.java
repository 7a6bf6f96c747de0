package dev.capuchin.core.internal.server;

/**
 * Why a request was refused before any plugin saw it, with the status it is answered
 * with. The reason is what the log and the LOG plugins' error reason say.
 */
enum Refusal {

	/** A major version other than 1 on an HTTP/1.x connection. */
	VERSION(505, "HTTP version not supported"),

	/** A method Capuchin does not know (methods are case-sensitive). */
	METHOD(501, "method not implemented"),

	/** More header fields than {@code max-header-count}. */
	HEADER_COUNT(431, "more headers than max-header-count"),

	/** No {@code Host} on HTTP/1.1. */
	HOST_MISSING(400, "no Host header"),

	/** {@code Host} more than once. */
	HOST_REPEATED(400, "more than one Host header"),

	/** A {@code Host} that is no valid authority. */
	HOST_INVALID(400, "invalid Host header"),

	/** A target in no form the method allows, or an authority with userinfo or none. */
	TARGET_FORM(400, "request target in an unsupported form"),

	/** A path that does not normalize inside the document root. */
	TARGET_PATH(400, "request path that does not normalize"),

	/** A {@code Content-Length} that is no number, or several that disagree. */
	LENGTH_INVALID(400, "invalid Content-Length"),

	/** A declared body larger than {@code max-body-size}. */
	BODY_TOO_LARGE(413, "body larger than max-body-size"),

	/** A body-carrying method with neither length nor chunked coding. */
	LENGTH_REQUIRED(411, "body without a length"),

	/** {@code Transfer-Encoding} on an HTTP/1.0 request (RFC 9112 §6.1). */
	CODING_ON_HTTP10(400, "Transfer-Encoding on HTTP/1.0"),

	/** {@code chunked} missing or not the last coding (RFC 9112 §6.3). */
	CHUNKED_NOT_LAST(400, "chunked is not the final transfer coding"),

	/** {@code chunked} applied more than once (RFC 9112 §7). */
	CHUNKED_TWICE(400, "chunked applied more than once"),

	/** A transfer coding other than {@code chunked} (RFC 9112 §6.1). */
	CODING_UNKNOWN(501, "transfer coding not implemented"),

	/** A request line or header block the decoder could not parse. */
	MALFORMED(400, "malformed request"),

	/** A body whose chunked framing broke after its request was answered. */
	BODY_UNDECODABLE(400, "body that does not decode"),

	/** A request whose headers did not arrive within the request-read timeout. */
	READ_TIMEOUT(408, "request not received in time");

	private final int status;

	private final String reason;

	Refusal(int status, String reason) {
		this.status = status;
		this.reason = reason;
	}

	/**
	 * The status the request is answered with.
	 * @return the status code
	 */
	int status() {
		return this.status;
	}

	/**
	 * The reason, for the log.
	 * @return a short phrase
	 */
	String reason() {
		return this.reason;
	}

}
