package dev.capuchin.core.internal.server;

import dev.capuchin.core.internal.http.EncodedResponse;
import dev.capuchin.core.internal.http.HttpDates;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * {@code Server} and {@code Date}, the headers every response starts with, checked once a
 * second and copied into each response without being checked again. A published set is
 * never changed, so every worker may copy from it at once.
 */
final class ServerHeaders {

	/** The {@code Server} header. */
	static final String SERVER = "Capuchin";

	private static volatile Current current = new Current(Long.MIN_VALUE, null, null);

	private ServerHeaders() {
	}

	/**
	 * The headers for this second.
	 * @return {@code Server} and {@code Date}; do not change them
	 */
	static HttpHeaders now() {
		return current().headers();
	}

	/**
	 * The headers for this second encoded as header lines, for a response encoded once.
	 * @return {@code Server} and {@code Date}; do not change them
	 */
	static byte[] linesNow() {
		return current().lines();
	}

	private static Current current() {
		long second = System.currentTimeMillis() / 1000;
		Current headers = current;
		if (headers.second() != second) {
			HttpHeaders fresh = DefaultHttpHeadersFactory.headersFactory().newHeaders();
			fresh.set(HttpHeaderNames.SERVER, SERVER);
			fresh.set(HttpHeaderNames.DATE, HttpDates.format(second * 1000));
			headers = new Current(second, fresh, EncodedResponse.lines(fresh));
			current = headers;
		}
		return headers;
	}

	private record Current(long second, HttpHeaders headers, byte[] lines) {
	}

}
