package dev.capuchin.core.internal.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.Locale;

import io.netty.handler.codec.DateFormatter;

/**
 * HTTP dates (RFC 9110 §5.6.7): IMF-fixdate formatting, with the last value cached per
 * second, and parsing of all three forms.
 */
public final class HttpDates {

	// IMF-fixdate has a two-digit day; RFC_1123_DATE_TIME writes "2 Jan", which it only
	// accepts for parsing
	private static final DateTimeFormatter FORMAT = DateTimeFormatter
		.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
		.withZone(ZoneOffset.UTC);

	private static volatile Cached lastFormatted = new Cached(Long.MIN_VALUE, "");

	private HttpDates() {
	}

	/**
	 * Format epoch milliseconds (truncated to the second) as an HTTP date.
	 * @param millis the time
	 * @return the formatted date
	 */
	public static String format(long millis) {
		long second = Math.floorDiv(millis, 1000);
		Cached cached = lastFormatted;
		if (cached.second != second) {
			// the same few files are asked for over and over: remember the last one
			cached = new Cached(second, FORMAT.format(Instant.ofEpochSecond(second)));
			lastFormatted = cached;
		}
		return cached.text;
	}

	/**
	 * Parse an HTTP date in any of the three forms RFC 9110 §5.6.7 asks a recipient to
	 * accept: IMF-fixdate, RFC 850 and asctime, with Netty's {@link DateFormatter}.
	 * @param text the header value
	 * @return epoch milliseconds, or {@code -1} when it is not a valid date
	 */
	public static long parse(String text) {
		// Netty's parser throws on longer text; no valid date is that long
		if (text == null || text.length() > MAX_LENGTH) {
			return -1;
		}
		Date date = DateFormatter.parseHttpDate(text);
		return (date != null) ? date.getTime() : -1;
	}

	/** The longest text {@link DateFormatter} reads. */
	private static final int MAX_LENGTH = 64;

	private record Cached(long second, String text) {
	}

}
