package dev.capuchin.plugin.fastcgi.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.netty.buffer.ByteBuf;

/**
 * The CGI response headers an application writes at the start of its {@code FCGI_STDOUT}
 * stream (RFC 3875, section 6): {@code Status}, {@code Location}, {@code Content-Type}
 * and the rest, up to the first empty line. The status is {@code Status}'s code, else 302
 * for a {@code Location}, else 200. Hop-by-hop headers are dropped: the framing towards
 * the client is Capuchin's.
 *
 * @param status the status code
 * @param headers the headers to send, in order, names as written
 */
public record ResponseHead(int status, List<Map.Entry<String, String>> headers) {

	private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "upgrade",
			"proxy-connection", "te", "trailer");

	public ResponseHead {
		headers = List.copyOf(headers);
	}

	/**
	 * Find the end of the head in the bytes read so far.
	 * @param buffer the bytes of the stream read so far
	 * @return the index just after the empty line, or -1 when it has not arrived yet
	 */
	public static int end(ByteBuf buffer) {
		int from = buffer.readerIndex();
		int to = buffer.writerIndex();
		for (int i = from; i < to; i++) {
			if (buffer.getByte(i) != '\n') {
				continue;
			}
			if (i == from) {
				return i + 1;
			}
			if (buffer.getByte(i - 1) == '\n') {
				return i + 1;
			}
			if (buffer.getByte(i - 1) == '\r' && (i - 1 == from || buffer.getByte(i - 2) == '\n')) {
				return i + 1;
			}
		}
		return -1;
	}

	/**
	 * Parse a complete head.
	 * @param head the head's bytes, ending with the empty line
	 * @return the head
	 * @throws IllegalArgumentException when a line is not a header or the status is not a
	 * three-digit code from 100 to 599
	 */
	public static ResponseHead parse(ByteBuf head) {
		String text = head.toString(StandardCharsets.ISO_8859_1);
		List<Map.Entry<String, String>> headers = new ArrayList<>();
		int status = 0;
		boolean location = false;
		for (String line : text.split("\n")) {
			if (line.endsWith("\r")) {
				line = line.substring(0, line.length() - 1);
			}
			if (line.isEmpty()) {
				continue;
			}
			int colon = line.indexOf(':');
			if (colon <= 0 || !isToken(line, colon)) {
				throw new IllegalArgumentException("malformed header line '" + printable(line) + "'");
			}
			String name = line.substring(0, colon);
			String value = line.substring(colon + 1).strip();
			if (!isFieldValue(value)) {
				throw new IllegalArgumentException("control character in header " + name);
			}
			String lower = name.toLowerCase(Locale.ROOT);
			if (lower.equals("status")) {
				status = status(value);
			}
			else if (!HOP_BY_HOP.contains(lower)) {
				location |= lower.equals("location");
				headers.add(Map.entry(name, value));
			}
		}
		if (status == 0) {
			status = location ? 302 : 200;
		}
		return new ResponseHead(status, headers);
	}

	private static int status(String value) {
		if (value.length() >= 3 && (value.length() == 3 || value.charAt(3) == ' ')) {
			try {
				int code = Integer.parseInt(value.substring(0, 3));
				if (code >= 100 && code <= 599) {
					return code;
				}
			}
			catch (NumberFormatException ex) {
				// reported below
			}
		}
		throw new IllegalArgumentException("malformed Status '" + printable(value) + "'");
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

	/** RFC 9110 field-value: visible characters, obs-text, spaces and tabs. */
	private static boolean isFieldValue(String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if ((c < 0x20 && c != '\t') || c == 0x7f) {
				return false;
			}
		}
		return true;
	}

	private static String printable(String text) {
		String cut = (text.length() > 200) ? text.substring(0, 200) + "..." : text;
		return cut.replaceAll("[^\\x20-\\x7e]", "?");
	}

}
