package dev.capuchin.app.upstreams;

/**
 * An upstream, or a server of an upstream, that does not exist.
 */
public class UpstreamNotFoundException extends RuntimeException {

	/**
	 * Create the exception.
	 * @param message what is missing, such as {@code no upstream 'api'}
	 */
	public UpstreamNotFoundException(String message) {
		super(message);
	}

}
