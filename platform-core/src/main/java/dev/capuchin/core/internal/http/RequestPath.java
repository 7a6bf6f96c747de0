package dev.capuchin.core.internal.http;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

import dev.capuchin.core.spi.StrictUtf8;

/**
 * Turns a request target into a safe path: percent-decoded (UTF-8), with {@code .} and
 * {@code ..} segments resolved and repeated slashes folded. A target that would climb
 * above the root, carries a NUL or a control character, or is not valid percent-encoded
 * UTF-8 is refused, so no encoding ({@code %2e%2e}, {@code %2f}, overlong UTF-8) can
 * escape a document root.
 */
public final class RequestPath {

	private static final char[] HEX = "0123456789ABCDEF".toCharArray();

	private RequestPath() {
	}

	/**
	 * Normalize the path part of a request target.
	 * @param rawPath the path as received, without query; starts with {@code /}
	 * @return the normalized path, starting with {@code /}, or {@code null} when it is
	 * refused
	 */
	public static String normalize(String rawPath) {
		if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
			return null;
		}
		String decoded = decode(rawPath);
		if (decoded == null) {
			return null;
		}
		if (isNormal(decoded)) {
			// the common case: nothing to fold or resolve
			return decoded;
		}
		StringBuilder out = new StringBuilder(decoded.length());
		int length = decoded.length();
		int i = 0;
		while (i < length) {
			// i is at a '/'
			int next = i + 1;
			while (next < length && decoded.charAt(next) != '/') {
				next++;
			}
			int segmentLength = next - i - 1;
			if (segmentLength == 0) {
				// '//' or trailing '/': keep a trailing slash only
				if (next == length) {
					out.append('/');
				}
			}
			else if (segmentLength == 1 && decoded.charAt(i + 1) == '.') {
				if (next == length) {
					out.append('/');
				}
			}
			else if (segmentLength == 2 && decoded.charAt(i + 1) == '.' && decoded.charAt(i + 2) == '.') {
				int cut = out.lastIndexOf("/");
				if (out.length() == 0) {
					return null;
				}
				out.setLength(cut);
				if (next == length) {
					out.append('/');
				}
			}
			else {
				out.append(decoded, i, next);
			}
			i = next;
		}
		if (out.length() == 0) {
			out.append('/');
		}
		return out.toString();
	}

	/**
	 * Whether a decoded path has no empty, {@code .} or {@code ..} segment to remove.
	 */
	private static boolean isNormal(String path) {
		int length = path.length();
		for (int i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
			if (i + 1 == length) {
				return true;
			}
			char next = path.charAt(i + 1);
			if (next == '/') {
				return false;
			}
			if (next == '.') {
				int after = i + 2;
				if (after < length && path.charAt(after) == '.') {
					after++;
				}
				if (after == length || path.charAt(after) == '/') {
					return false;
				}
			}
		}
		return true;
	}

	/**
	 * Percent-encode a normalized path for a header such as {@code Location}: UTF-8, with
	 * every character that is not allowed in a path segment (RFC 3986 {@code pchar}) or
	 * {@code /} encoded, so that a decoded {@code ?}, space or non-ASCII name survives.
	 * @param path a decoded path
	 * @return the encoded path
	 */
	public static String encode(String path) {
		StringBuilder out = null;
		byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
		for (int i = 0; i < bytes.length; i++) {
			int b = bytes[i] & 0xff;
			if (isPathChar(b)) {
				if (out != null) {
					out.append((char) b);
				}
				continue;
			}
			if (out == null) {
				out = new StringBuilder(bytes.length + 16);
				out.append(path, 0, i);
			}
			out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
		}
		return (out != null) ? out.toString() : path;
	}

	private static boolean isPathChar(int c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
				|| "-._~!$&'()*+,;=:@/".indexOf(c) >= 0;
	}

	private static String decode(String raw) {
		int percent = raw.indexOf('%');
		if (percent < 0) {
			for (int i = 0; i < raw.length(); i++) {
				char c = raw.charAt(i);
				if (c < 0x20 || c == 0x7f || c == '\\') {
					return null;
				}
			}
			return raw;
		}
		byte[] bytes = new byte[raw.length()];
		int n = 0;
		for (int i = 0; i < raw.length(); i++) {
			char c = raw.charAt(i);
			if (c == '%') {
				if (i + 2 >= raw.length()) {
					return null;
				}
				int hi = Character.digit(raw.charAt(i + 1), 16);
				int lo = Character.digit(raw.charAt(i + 2), 16);
				if (hi < 0 || lo < 0) {
					return null;
				}
				bytes[n++] = (byte) ((hi << 4) | lo);
				i += 2;
			}
			else if (c > 0x7f) {
				return null;
			}
			else {
				bytes[n++] = (byte) c;
			}
		}
		String text;
		try {
			text = StrictUtf8.decode(bytes, 0, n);
		}
		catch (CharacterCodingException ex) {
			return null;
		}
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < 0x20 || c == 0x7f || c == '\\') {
				return null;
			}
		}
		return text;
	}

}
