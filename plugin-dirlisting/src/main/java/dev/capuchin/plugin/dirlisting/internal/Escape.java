package dev.capuchin.plugin.dirlisting.internal;

/**
 * Escaping for the three listing formats. Every value that reaches a listing (a file
 * name, a README, a path) goes through one of these, so no name can open a tag, an
 * attribute, a JSON string or a new text line.
 */
public final class Escape {

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private Escape() {
	}

	/**
	 * Escape text for HTML element content and quoted attribute values: {@code &},
	 * {@code <}, {@code >}, {@code "} and {@code '} become character references, and
	 * control characters other than tab, line feed and carriage return become U+FFFD.
	 * @param text the text
	 * @param out where the escaped text goes
	 */
	public static void html(CharSequence text, StringBuilder out) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '&' -> out.append("&amp;");
				case '<' -> out.append("&lt;");
				case '>' -> out.append("&gt;");
				case '"' -> out.append("&quot;");
				case '\'' -> out.append("&#39;");
				case '\t', '\n', '\r' -> out.append(c);
				default -> out.append((c < 0x20 || c == 0x7f) ? '\uFFFD' : c);
			}
		}
	}

	/**
	 * Escape text for HTML.
	 * @param text the text
	 * @return the escaped text
	 * @see #html(CharSequence, StringBuilder)
	 */
	public static String html(CharSequence text) {
		StringBuilder out = new StringBuilder(text.length() + 16);
		html(text, out);
		return out.toString();
	}

	/**
	 * Append a JSON string literal, quotes included: {@code "} and {@code \} escaped,
	 * control characters as {@code \}{@code uXXXX}, and {@code <}, {@code >}, {@code &},
	 * U+2028 and U+2029 escaped too so the value stays inert wherever it is embedded.
	 * @param text the text
	 * @param out where the literal goes
	 */
	public static void json(CharSequence text, StringBuilder out) {
		out.append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				default -> {
					if (c < 0x20 || c == 0x7f || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
						unicode(c, out);
					}
					else {
						out.append(c);
					}
				}
			}
		}
		out.append('"');
	}

	/**
	 * Append a file name to a plain-text line: a backslash doubled and control characters
	 * as {@code \}{@code xHH}, so that a name never breaks a line.
	 * @param text the name
	 * @param out where it goes
	 */
	public static void text(CharSequence text, StringBuilder out) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '\\') {
				out.append("\\\\");
			}
			else if (c < 0x20 || c == 0x7f) {
				out.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
			}
			else {
				out.append(c);
			}
		}
	}

	private static void unicode(char c, StringBuilder out) {
		out.append("\\u")
			.append(HEX[c >> 12])
			.append(HEX[(c >> 8) & 0xf])
			.append(HEX[(c >> 4) & 0xf])
			.append(HEX[c & 0xf]);
	}

}
