package dev.capuchin.plugin.fastcgi.internal;

/**
 * Why a request to an application server failed, and the status the client gets for it.
 */
public final class FastCgiFailure extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final Kind kind;

	/**
	 * Create a failure.
	 * @param kind what failed
	 * @param message the detail, for the error log
	 */
	public FastCgiFailure(Kind kind, String message) {
		super(message, null, false, false);
		this.kind = kind;
	}

	/**
	 * What failed.
	 * @return the kind
	 */
	public Kind kind() {
		return this.kind;
	}

	/**
	 * What failed, and the status it costs the client.
	 */
	public enum Kind {

		/**
		 * The server could not be reached (refused, missing socket, connect timeout):
		 * 502, and the next address is tried.
		 */
		UNREACHABLE(502),

		/**
		 * The server broke the protocol, closed the connection early or sent malformed
		 * headers: 502.
		 */
		BAD_RESPONSE(502),
		/**
		 * A kept-alive connection that had served a request was closed by the server as
		 * it was handed the next one, before any byte of the answer (its child reached
		 * {@code pm.max_requests}, or was ended): the request is passed once more on a
		 * new connection when it has no body; else 502.
		 */
		STALE(502),

		/** The server stayed silent longer than the read timeout: 504. */
		TIMEOUT(504),

		/**
		 * Every connection to the server was busy for longer than the acquire timeout:
		 * 503.
		 */
		BUSY(503);

		private final int status;

		Kind(int status) {
			this.status = status;
		}

		/**
		 * The status the client gets.
		 * @return the status
		 */
		public int status() {
			return this.status;
		}

	}

}
