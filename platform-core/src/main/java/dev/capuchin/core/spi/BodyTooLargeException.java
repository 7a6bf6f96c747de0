package dev.capuchin.core.spi;

/**
 * A request body grew past its location's {@code max-body-size} while a handler read it
 * through {@link Exchange#receiveBody()}. The kernel answers it with 413 and closes the
 * connection (the rest of the body is not read), or only closes the connection when the
 * response has begun. A handler that passes it on unchanged needs to do nothing else.
 */
public final class BodyTooLargeException extends RuntimeException {

	private final long limit;

	/**
	 * Create the exception.
	 * @param limit the limit the body outgrew, in bytes
	 */
	public BodyTooLargeException(long limit) {
		super("request body longer than " + limit + " bytes (max-body-size)");
		this.limit = limit;
	}

	/**
	 * The limit the body outgrew.
	 * @return the limit in bytes
	 */
	public long limit() {
		return this.limit;
	}

}
