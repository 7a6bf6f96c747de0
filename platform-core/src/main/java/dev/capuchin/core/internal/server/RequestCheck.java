package dev.capuchin.core.internal.server;

import java.util.List;
import java.util.Set;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/**
 * The one check every request passes before it is answered, whichever path answers it:
 * the {@link DirectFileHandler} hands a request that fails it on, and the
 * {@link Dispatcher} refuses it. Version, method, header count, {@code Host}, target form
 * and body length are checked here; the transfer codings, which decide where the request
 * ends, are checked by {@link #framing} as soon as the request is decoded.
 */
final class RequestCheck {

	private static final Set<HttpMethod> KNOWN_METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST,
			HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.OPTIONS, HttpMethod.PATCH, HttpMethod.TRACE,
			HttpMethod.CONNECT);

	private RequestCheck() {
	}

	/**
	 * Protocol and limit checks that need no site.
	 * @param method the method
	 * @param version the protocol version
	 * @param headers the request headers
	 * @param target the request target as sent
	 * @param http2 whether the request is an HTTP/2 stream
	 * @param limits the limits
	 * @param maxBodySize the largest declared body allowed here: the server's limit, or
	 * {@link Long#MAX_VALUE} where the location's limit is checked later
	 * ({@link #bodyTooLarge})
	 * @return why the request is refused, or {@code null} when it passes
	 */
	static Refusal check(HttpMethod method, HttpVersion version, HttpHeaders headers, String target, boolean http2,
			Limits limits, long maxBodySize) {
		if (version.majorVersion() != 1 && !http2) {
			return Refusal.VERSION;
		}
		if (!KNOWN_METHODS.contains(method)) {
			return Refusal.METHOD;
		}
		if (headers.size() > limits.maxHeaderCount()) {
			return Refusal.HEADER_COUNT;
		}
		List<String> hosts = headers.getAll(HttpHeaderNames.HOST);
		if (hosts.size() > 1) {
			return Refusal.HOST_REPEATED;
		}
		if (!http2 && version.minorVersion() >= 1 && hosts.isEmpty()) {
			return Refusal.HOST_MISSING;
		}
		if (!hosts.isEmpty() && !HostHeader.isValid(hosts.get(0))) {
			return Refusal.HOST_INVALID;
		}
		if (target.equals("*")) {
			return HttpMethod.OPTIONS.equals(method) ? null : Refusal.TARGET_FORM;
		}
		String authority = authorityOf(target);
		if (!target.startsWith("/") && authority == null) {
			return Refusal.TARGET_FORM;
		}
		// RFC 9110 4.2: an http(s) URI must have a host, and userinfo in it is an error
		if (authority != null && (authority.isEmpty() || authority.indexOf('@') >= 0)) {
			return Refusal.TARGET_FORM;
		}
		long length = contentLength(headers);
		if (length == -2) {
			return Refusal.LENGTH_INVALID;
		}
		if (length > maxBodySize) {
			return Refusal.BODY_TOO_LARGE;
		}
		if (!http2 && length < 0 && !headers.contains(HttpHeaderNames.TRANSFER_ENCODING)
				&& (HttpMethod.POST.equals(method) || HttpMethod.PUT.equals(method)
						|| HttpMethod.PATCH.equals(method))) {
			return Refusal.LENGTH_REQUIRED;
		}
		return null;
	}

	/**
	 * The framing check of an HTTP/1.x request (RFC 9112 §6): its transfer codings must
	 * be {@code chunked} alone, applied once and last. Anything else leaves the end of
	 * the body in doubt, and a request whose end is in doubt must never fall back to its
	 * {@code Content-Length}: bytes a front end sent as body would be read as the next
	 * request.
	 * @param version the protocol version
	 * @param headers the request headers
	 * @return why the request is refused, or {@code null} when its framing is sound
	 */
	static Refusal framing(HttpVersion version, HttpHeaders headers) {
		if (!headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
			return null;
		}
		if (version.minorVersion() == 0) {
			return Refusal.CODING_ON_HTTP10;
		}
		boolean chunked = false;
		boolean chunkedLast = false;
		boolean unknown = false;
		// in the order the lines came: Netty's value iterator gives the last line first
		for (String value : headers.getAll(HttpHeaderNames.TRANSFER_ENCODING)) {
			int start = 0;
			while (start <= value.length()) {
				int end = indexOf(value, ',', start);
				int from = skipSpace(value, start, end);
				int to = trimSpace(value, from, end);
				// a list may hold empty elements (RFC 9110 §5.6.1)
				if (to > from) {
					if (isChunked(value, from, to)) {
						if (chunked) {
							return Refusal.CHUNKED_TWICE;
						}
						chunked = true;
						chunkedLast = true;
					}
					else {
						unknown = true;
						chunkedLast = false;
					}
				}
				start = end + 1;
			}
		}
		if (!chunkedLast) {
			return Refusal.CHUNKED_NOT_LAST;
		}
		return unknown ? Refusal.CODING_UNKNOWN : null;
	}

	/**
	 * Whether a coding is {@code chunked}: the whole element, as Netty's decoder frames
	 * it. {@code chunked} has no parameters (RFC 9112 §7.1); one sent with them is framed
	 * by Netty as no chunked coding at all, so it must not pass as one here.
	 */
	private static boolean isChunked(CharSequence value, int from, int to) {
		return to - from == 7 && AsciiString.regionMatches(value, true, from, HttpHeaderValues.CHUNKED, 0, 7);
	}

	/**
	 * Where {@code c} first occurs from {@code from} on, or the value's length.
	 */
	private static int indexOf(CharSequence value, char c, int from) {
		for (int i = from; i < value.length(); i++) {
			if (value.charAt(i) == c) {
				return i;
			}
		}
		return value.length();
	}

	private static int skipSpace(CharSequence value, int from, int to) {
		while (from < to && (value.charAt(from) == ' ' || value.charAt(from) == '\t')) {
			from++;
		}
		return from;
	}

	private static int trimSpace(CharSequence value, int from, int to) {
		while (to > from && (value.charAt(to - 1) == ' ' || value.charAt(to - 1) == '\t')) {
			to--;
		}
		return to;
	}

	/**
	 * The declared body length: -1 when absent, -2 when malformed or contradictory.
	 */
	/**
	 * Whether a request declares a body longer than a limit: the check that needs the
	 * location, after {@link #check} passed.
	 * @param headers the request headers
	 * @param maxBodySize the location's limit
	 * @return {@link Refusal#BODY_TOO_LARGE}, or {@code null}
	 */
	static Refusal bodyTooLarge(HttpHeaders headers, long maxBodySize) {
		return (contentLength(headers) > maxBodySize) ? Refusal.BODY_TOO_LARGE : null;
	}

	private static long contentLength(HttpHeaders headers) {
		// most requests have none: no list for them, on the direct path's hot loop
		if (!headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
			return -1;
		}
		List<String> values = headers.getAll(HttpHeaderNames.CONTENT_LENGTH);
		long length = -1;
		for (String value : values) {
			long parsed;
			try {
				parsed = Long.parseLong(value.trim());
			}
			catch (NumberFormatException ex) {
				return -2;
			}
			if (parsed < 0 || (length >= 0 && parsed != length)) {
				return -2;
			}
			length = parsed;
		}
		return length;
	}

	/**
	 * The authority of an absolute-form target ({@code http://host:port/path?query}): the
	 * text between the scheme and the first {@code /}, {@code ?} or {@code #}; or
	 * {@code null} when the target is in another form.
	 */
	static String authorityOf(String target) {
		int start;
		if (target.regionMatches(true, 0, "http://", 0, 7)) {
			start = 7;
		}
		else if (target.regionMatches(true, 0, "https://", 0, 8)) {
			start = 8;
		}
		else {
			return null;
		}
		int end = start;
		while (end < target.length() && "/?#".indexOf(target.charAt(end)) < 0) {
			end++;
		}
		return target.substring(start, end);
	}

}
