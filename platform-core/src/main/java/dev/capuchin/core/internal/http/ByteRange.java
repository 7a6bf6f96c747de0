package dev.capuchin.core.internal.http;

import java.util.ArrayList;
import java.util.List;

/**
 * One satisfiable byte range of a representation, with inclusive bounds (RFC 9110 §14).
 *
 * @param first the first byte
 * @param last the last byte, inclusive
 */
public record ByteRange(long first, long last) {

	/**
	 * The most ranges one request may ask for; more are a resource-exhaustion attempt and
	 * the request is served whole instead.
	 */
	public static final int MAX_RANGES = 16;

	/**
	 * The number of bytes in the range.
	 * @return the length
	 */
	public long length() {
		return this.last - this.first + 1;
	}

	/**
	 * The {@code Content-Range} value for this range.
	 * @param size the full size
	 * @return e.g. {@code bytes 0-99/1000}
	 */
	public String contentRange(long size) {
		return "bytes " + this.first + "-" + this.last + "/" + size;
	}

	/**
	 * The outcome of reading a {@code Range} header.
	 *
	 * @param ranges the satisfiable ranges, in request order
	 * @param ignored whether the header is to be ignored (malformed, not bytes, or too
	 * many ranges): serve the whole representation
	 */
	public record Parsed(List<ByteRange> ranges, boolean ignored) {

		static final Parsed IGNORE = new Parsed(List.of(), true);

		/**
		 * Whether no range can be satisfied: answer 416.
		 * @return {@code true} for 416
		 */
		public boolean unsatisfiable() {
			return !this.ignored && this.ranges.isEmpty();
		}

	}

	/**
	 * Parse a {@code Range} header against a representation size.
	 * @param header the header value
	 * @param size the representation size
	 * @return the parsed ranges
	 */
	public static Parsed parse(String header, long size) {
		if (header == null) {
			return Parsed.IGNORE;
		}
		String value = header.trim();
		if (!value.regionMatches(true, 0, "bytes=", 0, 6)) {
			return Parsed.IGNORE;
		}
		String[] specs = value.substring(6).split(",", -1);
		if (specs.length > MAX_RANGES) {
			return Parsed.IGNORE;
		}
		List<ByteRange> ranges = new ArrayList<>();
		for (String raw : specs) {
			String spec = raw.trim();
			int dash = spec.indexOf('-');
			if (dash < 0) {
				return Parsed.IGNORE;
			}
			String start = spec.substring(0, dash).trim();
			String end = spec.substring(dash + 1).trim();
			if (start.isEmpty()) {
				long suffix = number(end);
				if (suffix < 0) {
					return Parsed.IGNORE;
				}
				if (suffix > 0 && size > 0) {
					ranges.add(new ByteRange(Math.max(0, size - suffix), size - 1));
				}
				continue;
			}
			long first = number(start);
			long last = end.isEmpty() ? Long.MAX_VALUE : number(end);
			if (first < 0 || last < 0 || last < first) {
				return Parsed.IGNORE;
			}
			if (first < size) {
				ranges.add(new ByteRange(first, Math.min(last, size - 1)));
			}
		}
		return new Parsed(List.copyOf(ranges), false);
	}

	private static long number(String digits) {
		if (digits.isEmpty() || digits.length() > 18) {
			return -1;
		}
		long value = 0;
		for (int i = 0; i < digits.length(); i++) {
			char c = digits.charAt(i);
			if (c < '0' || c > '9') {
				return -1;
			}
			value = value * 10 + (c - '0');
		}
		return value;
	}

}
