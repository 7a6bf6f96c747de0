package dev.capuchin.core.spi;

import dev.capuchin.core.internal.http.RequestPath;

/**
 * Request paths as the kernel writes them back to clients.
 */
public final class RequestPaths {

	private RequestPaths() {
	}

	/**
	 * Percent-encode a decoded path for a link or a header such as {@code Location}:
	 * UTF-8, with every character that is not allowed in a path segment (RFC 3986
	 * {@code pchar}) or {@code /} encoded, so that a decoded {@code ?}, space or
	 * non-ASCII name survives.
	 * @param path a decoded path ({@link Exchange#path()})
	 * @return the encoded path
	 */
	public static String encode(String path) {
		return RequestPath.encode(path);
	}

}
