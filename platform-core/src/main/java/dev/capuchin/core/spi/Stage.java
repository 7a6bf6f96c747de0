package dev.capuchin.core.spi;

/**
 * The request stages a plugin can take part in, in the order a connection meets them
 * (Monkey's stages 10 to 50).
 */
public enum Stage {

	/**
	 * Stage 10: a connection was accepted; a plugin may close it before a byte is read.
	 */
	CONNECT,

	/**
	 * Stage 20: headers parsed and site resolved; a plugin may answer now (401, 403,
	 * redirect).
	 */
	REQUEST,

	/**
	 * Stage 30: the content handler is chosen; a plugin may claim the request and
	 * respond.
	 */
	HANDLE,

	/**
	 * Stage 40: the response is complete; a plugin may observe status, bytes and timing.
	 */
	LOG,

	/** Stage 50: the connection closed; a plugin may release per-connection state. */
	CLOSE

}
