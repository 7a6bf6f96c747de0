package dev.capuchin.core.internal.server;

import java.util.Iterator;
import java.util.Map;

import dev.capuchin.core.internal.http.EncodedResponse;
import dev.capuchin.core.internal.http.HttpDates;
import dev.capuchin.core.spi.ResponseHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

/**
 * {@code Server}, {@code Date} and {@code X-Content-Type-Options: nosniff}, the headers
 * every response starts with, checked once a second and copied into each response without
 * being checked again. A published set is never changed, so every worker may copy from it
 * at once.
 */
final class ServerHeaders {

	/** The {@code Server} header. */
	static final String SERVER = "Capuchin";

	/**
	 * {@code X-Content-Type-Options: nosniff}: browsers take the {@code Content-Type} as
	 * sent instead of guessing from the bytes, so an uploaded text file cannot run as a
	 * script or a style sheet. Safe for files served with the MIME table's types, and a
	 * site may remove it with its {@code headers} block.
	 */
	static final AsciiString X_CONTENT_TYPE_OPTIONS = AsciiString.cached("X-Content-Type-Options");

	/** The value of {@link #X_CONTENT_TYPE_OPTIONS}. */
	static final AsciiString NOSNIFF = AsciiString.cached("nosniff");

	private static volatile Current current = new Current(Long.MIN_VALUE, null, null);

	private ServerHeaders() {
	}

	/**
	 * The headers for this second.
	 * @return {@code Server}, {@code Date} and {@code X-Content-Type-Options}; do not
	 * change them
	 */
	static HttpHeaders now() {
		return current().headers();
	}

	/**
	 * The headers for this second encoded as header lines, for a response encoded once.
	 * @return {@code Server}, {@code Date} and {@code X-Content-Type-Options}; do not
	 * change them
	 */
	static byte[] linesNow() {
		return current().lines();
	}

	/**
	 * The headers for this second with a site's {@code headers} block applied, encoded as
	 * header lines. Encoded on each call: callers keep the answer for the second.
	 * @param site the site's block
	 * @return the header lines
	 */
	static byte[] linesNow(ResponseHeaders site) {
		return EncodedResponse.lines(now(site));
	}

	/**
	 * The headers for this second with a site's {@code headers} block applied. Made on
	 * each call: callers keep the answer for the second.
	 * @param site the site's block
	 * @return a copy of the headers, the block applied
	 */
	static HttpHeaders now(ResponseHeaders site) {
		HttpHeaders headers = DefaultHttpHeadersFactory.headersFactory().newHeaders().add(current().headers());
		for (String name : site.remove()) {
			headers.remove(name);
		}
		site.add().forEach(headers::set);
		return headers;
	}

	/**
	 * Headers as an HTTP/2 response carries them, for a response made once.
	 * @param headers the headers, validated when they were set
	 * @return name, value, name, value, ..., each name in lower case (RFC 9113 §8.2.1)
	 */
	static CharSequence[] fields(HttpHeaders headers) {
		CharSequence[] fields = new CharSequence[headers.size() * 2];
		int i = 0;
		Iterator<Map.Entry<CharSequence, CharSequence>> entries = headers.iteratorCharSequence();
		while (entries.hasNext()) {
			Map.Entry<CharSequence, CharSequence> header = entries.next();
			fields[i++] = AsciiString.of(header.getKey()).toLowerCase();
			fields[i++] = AsciiString.of(header.getValue());
		}
		return fields;
	}

	private static Current current() {
		long second = System.currentTimeMillis() / 1000;
		Current headers = current;
		if (headers.second() != second) {
			HttpHeaders fresh = DefaultHttpHeadersFactory.headersFactory().newHeaders();
			fresh.set(HttpHeaderNames.SERVER, SERVER);
			fresh.set(HttpHeaderNames.DATE, HttpDates.format(second * 1000));
			fresh.set(X_CONTENT_TYPE_OPTIONS, NOSNIFF);
			headers = new Current(second, fresh, EncodedResponse.lines(fresh));
			current = headers;
		}
		return headers;
	}

	private record Current(long second, HttpHeaders headers, byte[] lines) {
	}

}
