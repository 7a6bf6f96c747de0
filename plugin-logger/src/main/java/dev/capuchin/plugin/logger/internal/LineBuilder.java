package dev.capuchin.plugin.logger.internal;

import java.nio.charset.StandardCharsets;

/**
 * A reusable byte buffer that one thread formats log lines into: ASCII appends, numbers
 * without allocation, and the two escapes that keep a client from forging log lines.
 * <p>
 * Text escape (combined, common, patterns, the error log), as nginx's default: {@code "},
 * {@code \}, bytes below 0x20 and above 0x7E become {@code \xNN}; a character above
 * U+00FF is escaped byte by byte in UTF-8. Request fields arrive as ISO-8859-1 characters
 * (one per byte on the wire), so {@code \xNN} shows the bytes the client sent.
 * <p>
 * JSON escape: {@code "} and {@code \} get a backslash, every character outside 0x20–0x7E
 * becomes a six-character {@code \}{@code u} escape of its code unit, so a JSON line is
 * always pure ASCII, one line, and valid.
 */
public final class LineBuilder {

	private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

	private static final int INITIAL = 512;

	/** A buffer grown past this by one huge line is given back after the line. */
	private static final int RETAINED = 64 * 1024;

	private byte[] bytes = new byte[INITIAL];

	private int length;

	/**
	 * Start a new line.
	 */
	public void reset() {
		if (this.bytes.length > RETAINED) {
			this.bytes = new byte[INITIAL];
		}
		this.length = 0;
	}

	public byte[] bytes() {
		return this.bytes;
	}

	public int length() {
		return this.length;
	}

	@Override
	public String toString() {
		return new String(this.bytes, 0, this.length, StandardCharsets.ISO_8859_1);
	}

	public LineBuilder append(byte b) {
		ensure(1);
		this.bytes[this.length++] = b;
		return this;
	}

	public LineBuilder append(char ascii) {
		return append((byte) ascii);
	}

	public LineBuilder append(byte[] ascii) {
		ensure(ascii.length);
		System.arraycopy(ascii, 0, this.bytes, this.length, ascii.length);
		this.length += ascii.length;
		return this;
	}

	/**
	 * Append text that is known to be safe ASCII (literals of a format).
	 * @param ascii the text
	 * @return this builder
	 */
	public LineBuilder appendAscii(String ascii) {
		int n = ascii.length();
		ensure(n);
		for (int i = 0; i < n; i++) {
			this.bytes[this.length++] = (byte) ascii.charAt(i);
		}
		return this;
	}

	/**
	 * Append a non-negative or negative decimal number.
	 * @param value the number
	 * @return this builder
	 */
	public LineBuilder append(long value) {
		if (value < 0) {
			if (value == Long.MIN_VALUE) {
				return appendAscii(Long.toString(value));
			}
			append('-');
			value = -value;
		}
		int digits = 1;
		for (long rest = value / 10; rest > 0; rest /= 10) {
			digits++;
		}
		ensure(digits);
		int end = this.length + digits;
		for (int i = end - 1; i >= this.length; i--) {
			this.bytes[i] = (byte) ('0' + (value % 10));
			value /= 10;
		}
		this.length = end;
		return this;
	}

	/**
	 * Append a number zero-padded to a width.
	 * @param value a non-negative number
	 * @param width the least number of digits
	 * @return this builder
	 */
	public LineBuilder appendPadded(long value, int width) {
		long limit = 10;
		for (int i = 1; i < width; i++) {
			if (value < limit) {
				append('0');
			}
			limit *= 10;
		}
		return append(value);
	}

	/**
	 * Append nanoseconds as seconds with microsecond resolution ({@code 0.000153}).
	 * @param nanos the duration
	 * @return this builder
	 */
	public LineBuilder appendSeconds(long nanos) {
		long micros = Math.max(0, nanos) / 1000;
		append(micros / 1_000_000).append('.');
		return appendPadded(micros % 1_000_000, 6);
	}

	/**
	 * Append text with the text escape.
	 * @param text the text
	 * @param max the most characters taken from the text
	 * @return this builder
	 */
	public LineBuilder appendEscaped(CharSequence text, int max) {
		int n = Math.min(text.length(), max);
		ensure(n);
		for (int i = 0; i < n; i++) {
			char c = text.charAt(i);
			if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
				if (this.length == this.bytes.length) {
					ensure(n - i);
				}
				this.bytes[this.length++] = (byte) c;
			}
			else if (c <= 0xff) {
				escapeByte(c);
			}
			else {
				int cp = Character.codePointAt(text, i);
				if (Character.charCount(cp) == 2) {
					i++;
				}
				for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
					escapeByte(b & 0xff);
				}
			}
		}
		if (text.length() > max) {
			appendAscii("...");
		}
		return this;
	}

	public LineBuilder appendEscaped(CharSequence text) {
		return appendEscaped(text, Integer.MAX_VALUE);
	}

	/**
	 * Append a JSON string literal (with its quotes) with the JSON escape.
	 * @param text the text
	 * @return this builder
	 */
	public LineBuilder appendJsonString(CharSequence text) {
		int n = text.length();
		ensure(n + 2);
		this.bytes[this.length++] = '"';
		for (int i = 0; i < n; i++) {
			char c = text.charAt(i);
			if (c >= 0x20 && c < 0x7f) {
				if (c == '"' || c == '\\') {
					ensure(2 + n - i);
					this.bytes[this.length++] = '\\';
				}
				this.bytes[this.length++] = (byte) c;
			}
			else {
				ensure(6 + n - i);
				this.bytes[this.length++] = '\\';
				this.bytes[this.length++] = 'u';
				this.bytes[this.length++] = HEX[(c >> 12) & 0xf];
				this.bytes[this.length++] = HEX[(c >> 8) & 0xf];
				this.bytes[this.length++] = HEX[(c >> 4) & 0xf];
				this.bytes[this.length++] = HEX[c & 0xf];
			}
		}
		this.bytes[this.length++] = '"';
		return this;
	}

	private void escapeByte(int b) {
		ensure(4);
		this.bytes[this.length++] = '\\';
		this.bytes[this.length++] = 'x';
		this.bytes[this.length++] = HEX[(b >> 4) & 0xf];
		this.bytes[this.length++] = HEX[b & 0xf];
	}

	private void ensure(int more) {
		int needed = this.length + more;
		if (needed > this.bytes.length) {
			byte[] grown = new byte[Math.max(needed, this.bytes.length * 2)];
			System.arraycopy(this.bytes, 0, grown, 0, this.length);
			this.bytes = grown;
		}
	}

}
