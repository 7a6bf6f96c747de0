package dev.capuchin.app.shared.api;

import java.util.Objects;

import org.springframework.http.HttpStatus;

/**
 * A refused API request: its status and a message that names the field or the resource.
 * {@link ApiExceptionHandler} turns it into {@code {"error": "<message>"}}.
 */
public class ApiException extends RuntimeException {

	private final HttpStatus status;

	/**
	 * Create the exception.
	 * @param status the response status
	 * @param message what is wrong, naming the field or resource
	 */
	public ApiException(HttpStatus status, String message) {
		super(message);
		this.status = Objects.requireNonNull(status, "status");
	}

	/**
	 * Invalid input: 400.
	 * @param message what is wrong, naming the field
	 * @return the exception
	 */
	public static ApiException badRequest(String message) {
		return new ApiException(HttpStatus.BAD_REQUEST, message);
	}

	/**
	 * An unknown resource: 404.
	 * @param what the resource, for example {@code site 'blog'}
	 * @return the exception
	 */
	public static ApiException notFound(String what) {
		return new ApiException(HttpStatus.NOT_FOUND, what + ": not found");
	}

	/**
	 * A conflict with what exists, such as a taken name: 409.
	 * @param message what conflicts, naming the field
	 * @return the exception
	 */
	public static ApiException conflict(String message) {
		return new ApiException(HttpStatus.CONFLICT, message);
	}

	/**
	 * The response status.
	 * @return the status
	 */
	public HttpStatus status() {
		return this.status;
	}

}
