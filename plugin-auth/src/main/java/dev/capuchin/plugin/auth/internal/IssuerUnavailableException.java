package dev.capuchin.plugin.auth.internal;

/**
 * An issuer could not be asked (refused connection, timeout, an answer that is not a
 * valid document): the request gets 503, not 401, since its token was not judged.
 */
public final class IssuerUnavailableException extends RuntimeException {

	/**
	 * Create the exception.
	 * @param message what failed, naming the URL (never a secret or a token)
	 */
	public IssuerUnavailableException(String message) {
		super(message, null, false, false);
	}

}
