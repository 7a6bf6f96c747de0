package dev.capuchin.plugin.cgi.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The header block a script writes before its body (RFC 3875 §6), read from its stdout
 * and checked: each line a {@code Name: value} field, no folding, no control characters,
 * {@code Status} as three digits and a reason, and at least one of {@code Content-Type},
 * {@code Location} or {@code Status}. A non-parsed-header script starts with its own
 * status line ({@code HTTP/1.1 200 OK}) instead.
 *
 * @param status the response status
 * @param reason the reason phrase the script gave, or {@code null}
 * @param headers the fields to pass on, in order, without {@code Status} and the
 * hop-by-hop fields that only Capuchin may set
 * @param location the {@code Location} field, or {@code null}
 * @param localRedirect whether the response is a local redirect (RFC 3875 §6.2.2): a
 * {@code Location} path and nothing else, served by Capuchin itself
 * @param contentLength the {@code Content-Length} the script gave, or -1
 * @param rest the first body bytes, read with the header block
 */
public record CgiHead(int status, @Nullable String reason, List<Map.Entry<String, String>> headers,
		@Nullable String location, boolean localRedirect, long contentLength, byte[] rest) {

	private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "upgrade",
			"proxy-connection", "te", "trailer");

	/**
	 * Read and check a script's header block.
	 * @param in the script's stdout
	 * @param limit the most bytes the block may take
	 * @param nph whether the script is a non-parsed-header script
	 * @return the head
	 * @throws IOException when the stream fails
	 * @throws Malformed when the output is not a CGI response
	 */
	public static CgiHead read(InputStream in, int limit, boolean nph) throws IOException {
		byte[] buffer = new byte[Math.min(limit, 4096)];
		int length = 0;
		int scanned = 0;
		while (true) {
			int end = blankLine(buffer, scanned, length);
			if (end >= 0) {
				int body = end;
				return parse(new String(buffer, 0, body, StandardCharsets.ISO_8859_1), nph,
						Arrays.copyOfRange(buffer, body, length));
			}
			scanned = Math.max(0, length - 3);
			if (length == buffer.length) {
				if (length >= limit) {
					throw new Malformed("header block longer than " + limit + " bytes");
				}
				buffer = Arrays.copyOf(buffer, Math.min(limit, buffer.length * 2));
			}
			int read = in.read(buffer, length, buffer.length - length);
			if (read < 0) {
				if (length == 0) {
					throw new Malformed("no output");
				}
				// a header block cut by the end of the output is a response without a
				// body when its lines are sound, and names its first bad line when not
				return parse(new String(buffer, 0, length, StandardCharsets.ISO_8859_1), nph, new byte[0]);
			}
			length += read;
		}
	}

	/** The end of the blank line that ends the block (LF LF or CRLF CRLF), or -1. */
	private static int blankLine(byte[] buffer, int from, int length) {
		for (int i = from; i < length; i++) {
			if (buffer[i] != '\n') {
				continue;
			}
			if (i + 1 < length && buffer[i + 1] == '\n') {
				return i + 2;
			}
			if (i + 2 < length && buffer[i + 1] == '\r' && buffer[i + 2] == '\n') {
				return i + 3;
			}
		}
		return -1;
	}

	static CgiHead parse(String block, boolean nph, byte[] rest) {
		String[] lines = block.split("\n");
		int status = 0;
		String reason = null;
		String location = null;
		boolean contentType = false;
		long contentLength = -1;
		int others = 0;
		List<Map.Entry<String, String>> headers = new ArrayList<>();
		int first = 0;
		if (nph) {
			// a block of line breaks only splits into no line at all
			String line = (lines.length > 0) ? strip(lines[0]) : "";
			if (!line.startsWith("HTTP/1.") || line.length() < 12 || line.charAt(8) != ' ') {
				throw new Malformed("nph status line '" + abbreviate(line) + "' (expected: HTTP/1.x NNN reason)");
			}
			status = status(line.substring(9), "nph status line");
			reason = reason(line.substring(9));
			first = 1;
		}
		for (int i = first; i < lines.length; i++) {
			String line = strip(lines[i]);
			if (line.isEmpty()) {
				continue;
			}
			if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
				throw new Malformed("folded header line '" + abbreviate(line) + "'");
			}
			int colon = line.indexOf(':');
			if (colon <= 0 || !isToken(line, colon)) {
				throw new Malformed("header line '" + abbreviate(line) + "' (expected: Name: value)");
			}
			String name = line.substring(0, colon);
			String value = line.substring(colon + 1).strip();
			for (int c = 0; c < value.length(); c++) {
				char ch = value.charAt(c);
				if ((ch < 0x20 && ch != '\t') || ch == 0x7f) {
					throw new Malformed("control character in header " + name);
				}
			}
			String lower = name.toLowerCase(Locale.ROOT);
			switch (lower) {
				case "status" -> {
					if (nph) {
						headers.add(Map.entry(name, value));
						others++;
					}
					else {
						status = status(value, "Status header");
						reason = reason(value);
					}
				}
				case "location" -> {
					location = value;
					headers.add(Map.entry("Location", value));
				}
				case "content-type" -> {
					contentType = true;
					headers.add(Map.entry("Content-Type", value));
					others++;
				}
				case "content-length" -> {
					contentLength = length(value);
					headers.add(Map.entry("Content-Length", value));
					others++;
				}
				default -> {
					if (!HOP_BY_HOP.contains(lower)) {
						headers.add(Map.entry(name, value));
					}
					others++;
				}
			}
		}
		if (nph) {
			return new CgiHead(status, reason, headers, location, false, contentLength, rest);
		}
		if (status == 0 && location == null && !contentType) {
			throw new Malformed("no Content-Type, Location or Status header");
		}
		boolean local = location != null && status == 0 && others == 0 && location.startsWith("/")
				&& !location.startsWith("//");
		if (status == 0) {
			status = (location != null) ? 302 : 200;
		}
		return new CgiHead(status, reason, headers, location, local, contentLength, rest);
	}

	private static int status(String value, String what) {
		if (value.length() < 3 || (value.length() > 3 && value.charAt(3) != ' ')) {
			throw new Malformed(what + " '" + abbreviate(value) + "' (expected: three digits and a reason)");
		}
		int status = 0;
		for (int i = 0; i < 3; i++) {
			char c = value.charAt(i);
			if (c < '0' || c > '9') {
				throw new Malformed(what + " '" + abbreviate(value) + "' (expected: three digits and a reason)");
			}
			status = status * 10 + (c - '0');
		}
		if (status < 200 || status > 599) {
			throw new Malformed(what + " " + status + " (expected: 200 to 599)");
		}
		return status;
	}

	private static @Nullable String reason(String value) {
		return (value.length() > 4) ? value.substring(4).strip() : null;
	}

	private static long length(String value) {
		if (value.isEmpty() || value.length() > 18) {
			throw new Malformed("Content-Length '" + abbreviate(value) + "' (expected: digits)");
		}
		for (int i = 0; i < value.length(); i++) {
			if (value.charAt(i) < '0' || value.charAt(i) > '9') {
				throw new Malformed("Content-Length '" + abbreviate(value) + "' (expected: digits)");
			}
		}
		return Long.parseLong(value);
	}

	private static boolean isToken(String line, int end) {
		for (int i = 0; i < end; i++) {
			char c = line.charAt(i);
			boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
					|| "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
			if (!ok) {
				return false;
			}
		}
		return true;
	}

	private static String strip(String line) {
		return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
	}

	private static String abbreviate(String text) {
		String shown = (text.length() > 60) ? text.substring(0, 60) + "..." : text;
		StringBuilder safe = new StringBuilder(shown.length());
		for (int i = 0; i < shown.length(); i++) {
			char c = shown.charAt(i);
			safe.append((c < 0x20 || c >= 0x7f) ? '?' : c);
		}
		return safe.toString();
	}

	/** Script output that is not a CGI response. */
	public static final class Malformed extends RuntimeException {

		/**
		 * Create the failure.
		 * @param message what is wrong, for the error log
		 */
		public Malformed(String message) {
			super(message, null, false, false);
		}

	}

}
