package dev.capuchin.core.internal.http;

import java.util.List;

import io.netty.util.AsciiString;

/**
 * The registered spelling of response header names for HTTP/1.x (RFC 9110 and the IANA
 * field name registry), as nginx, Apache and Go write them: {@code Content-Length},
 * {@code ETag}, {@code WWW-Authenticate}. HTTP/2 keeps lower case, which it requires.
 * <p>
 * The lookup runs for every header of every HTTP/1.x response, so it is an open-addressed
 * table probed with {@link AsciiString}'s case-insensitive hash: no allocation, one or
 * two comparisons. A name it does not know is written as it was set.
 */
public final class HeaderNames {

	private static final List<String> REGISTERED = List.of("Accept", "Accept-Encoding", "Accept-Language",
			"Accept-Ranges", "Access-Control-Allow-Credentials", "Access-Control-Allow-Headers",
			"Access-Control-Allow-Methods", "Access-Control-Allow-Origin", "Access-Control-Expose-Headers",
			"Access-Control-Max-Age", "Age", "Allow", "Alt-Svc", "Authentication-Info", "Cache-Control", "Connection",
			"Content-Disposition", "Content-Encoding", "Content-Language", "Content-Length", "Content-Location",
			"Content-Range", "Content-Security-Policy", "Content-Type", "Cross-Origin-Opener-Policy", "Date", "ETag",
			"Expires", "Keep-Alive", "Last-Modified", "Link", "Location", "Permissions-Policy", "Pragma",
			"Proxy-Authenticate", "Proxy-Authentication-Info", "Referrer-Policy", "Retry-After", "Server", "Set-Cookie",
			"Strict-Transport-Security", "Trailer", "Transfer-Encoding", "Upgrade", "Vary", "Via", "WWW-Authenticate",
			"X-Content-Type-Options", "X-Frame-Options", "X-Request-Id", "X-XSS-Protection");

	/** Power of two, at least four times the names: short probe chains. */
	private static final int SIZE = 256;

	private static final AsciiString[] TABLE = new AsciiString[SIZE];

	static {
		for (String name : REGISTERED) {
			AsciiString registered = AsciiString.cached(name);
			int slot = registered.hashCode() & (SIZE - 1);
			while (TABLE[slot] != null) {
				slot = (slot + 1) & (SIZE - 1);
			}
			TABLE[slot] = registered;
		}
	}

	private HeaderNames() {
	}

	/**
	 * The registered spelling of a header name.
	 * @param name a header name in any case
	 * @return the registered spelling, or {@code name} itself when it is not registered
	 */
	public static CharSequence registered(CharSequence name) {
		// AsciiString's hash ignores case, whatever kind of sequence it hashes
		int slot = AsciiString.hashCode(name) & (SIZE - 1);
		AsciiString candidate;
		while ((candidate = TABLE[slot]) != null) {
			if (candidate.contentEqualsIgnoreCase(name)) {
				return candidate;
			}
			slot = (slot + 1) & (SIZE - 1);
		}
		return name;
	}

}
