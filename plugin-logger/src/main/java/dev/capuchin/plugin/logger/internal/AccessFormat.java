package dev.capuchin.plugin.logger.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import dev.capuchin.core.spi.Exchange;
import dev.capuchin.core.spi.LogEvent;
import io.netty.handler.codec.http.HttpHeaderNames;

/**
 * A compiled access-log format: {@code combined}, {@code common}, {@code json}, or
 * {@code pattern:} followed by text with {@code %{field}} placeholders ({@code %%} is a
 * percent sign). See {@link Field} for the fields.
 */
public final class AccessFormat {

	/** The NCSA combined format (Apache's and nginx's default). */
	public static final String COMBINED = "combined";

	/** The NCSA common log format. */
	public static final String COMMON = "common";

	/** One JSON object per line. */
	public static final String JSON = "json";

	/** The prefix of a custom pattern. */
	public static final String PATTERN_PREFIX = "pattern:";

	/** Longest error reason written, in characters. */
	static final int MAX_REASON = 2048;

	private static final String COMMON_PATTERN = "%{client} - - [%{time}] \"%{method} %{target} %{protocol}\" %{status} ";

	private static final byte[] JSON_NULL = ascii("null");

	private final String spec;

	private final boolean json;

	/** literals[i] comes before fields[i]; the last literal ends the line. */
	private final byte[][] literals;

	private final Field[] fields;

	private AccessFormat(String spec, boolean json, byte[][] literals, Field[] fields) {
		this.spec = spec;
		this.json = json;
		this.literals = literals;
		this.fields = fields;
	}

	/**
	 * Compile a format.
	 * @param spec {@code combined}, {@code common}, {@code json} or {@code pattern:...}
	 * @return the format
	 * @throws IllegalArgumentException saying what is wrong
	 */
	public static AccessFormat parse(String spec) {
		Objects.requireNonNull(spec, "spec");
		String name = spec.trim();
		switch (name.toLowerCase(Locale.ROOT)) {
			case COMBINED -> {
				AccessFormat common = pattern(COMMON_PATTERN + "%{bytes-clf} \"%{referer}\" \"%{user-agent}\"", true);
				return new AccessFormat(COMBINED, false, common.literals, common.fields);
			}
			case COMMON -> {
				AccessFormat common = pattern(COMMON_PATTERN + "%{bytes-clf}", true);
				return new AccessFormat(COMMON, false, common.literals, common.fields);
			}
			case JSON -> {
				return new AccessFormat(JSON, true, new byte[0][], new Field[0]);
			}
			default -> {
				if (!name.startsWith(PATTERN_PREFIX)) {
					throw new IllegalArgumentException(
							"'" + spec + "' (expected: combined, common, json or pattern:<text with %{field}>)");
				}
				AccessFormat parsed = pattern(spec.substring(spec.indexOf(':') + 1), false);
				return new AccessFormat(spec, false, parsed.literals, parsed.fields);
			}
		}
	}

	private static AccessFormat pattern(String text, boolean internal) {
		List<byte[]> literals = new ArrayList<>();
		List<Field> fields = new ArrayList<>();
		StringBuilder literal = new StringBuilder();
		int i = 0;
		while (i < text.length()) {
			char c = text.charAt(i);
			if (c == '%') {
				if (i + 1 < text.length() && text.charAt(i + 1) == '%') {
					literal.append('%');
					i += 2;
					continue;
				}
				if (i + 1 >= text.length() || text.charAt(i + 1) != '{') {
					throw new IllegalArgumentException("pattern: '%' at " + i + " (expected: %{field} or %%)");
				}
				int close = text.indexOf('}', i + 2);
				if (close < 0) {
					throw new IllegalArgumentException("pattern: '%{' at " + i + " is not closed with '}'");
				}
				literals.add(ascii(literal.toString()));
				literal.setLength(0);
				fields.add(Field.of(text.substring(i + 2, close), internal));
				i = close + 1;
				continue;
			}
			if ((c < 0x20 && c != '\t') || c == 0x7f) {
				throw new IllegalArgumentException(
						"pattern: control character 0x" + Integer.toHexString(c) + " at " + i + " (expected: text)");
			}
			if (c > 0x7e) {
				throw new IllegalArgumentException(
						"pattern: non-ASCII character '" + c + "' at " + i + " (expected: ASCII text)");
			}
			literal.append(c);
			i++;
		}
		literals.add(ascii(literal.append('\n').toString()));
		return new AccessFormat(text, false, literals.toArray(byte[][]::new), fields.toArray(Field[]::new));
	}

	/**
	 * The format as configured.
	 * @return the specification
	 */
	public String spec() {
		return this.spec;
	}

	/**
	 * Format one access-log line, ending with a newline.
	 * @param event the answered request, direct or through the stages
	 * @param nowMillis the time of the line
	 * @param context the thread's formatting state
	 * @param out the line
	 */
	public void format(LogEvent event, long nowMillis, FormatContext context, LineBuilder out) {
		int status = event.status();
		long durationNanos = event.durationNanos();
		if (this.json) {
			json(event, status, durationNanos, nowMillis, context, out);
			return;
		}
		Field[] fields = this.fields;
		for (int i = 0; i < fields.length; i++) {
			out.append(this.literals[i]);
			text(fields[i], event, status, durationNanos, nowMillis, context, out);
		}
		out.append(this.literals[fields.length]);
	}

	private static void text(Field field, LogEvent event, int status, long durationNanos, long nowMillis,
			FormatContext context, LineBuilder out) {
		switch (field) {
			case TIME -> context.time().appendClf(nowMillis, out);
			case CLIENT -> context.appendClient(event.clientAddress(), false, out);
			case METHOD -> out.appendEscaped(event.method().name());
			case TARGET -> out.appendEscaped(event.target());
			case PROTOCOL -> out.appendEscaped(event.protocol().text());
			case STATUS -> out.append(status);
			case BYTES -> out.append(event.bytes());
			case BYTES_CLF -> {
				long bytes = event.bytes();
				if (bytes > 0) {
					out.append(bytes);
				}
				else {
					out.append('-');
				}
			}
			case DURATION -> out.appendSeconds(durationNanos);
			default -> {
				CharSequence value = value(field, event);
				if (value == null || value.length() == 0) {
					out.append('-');
				}
				else {
					out.appendEscaped(value);
				}
			}
		}
	}

	private static void json(LogEvent event, int status, long durationNanos, long nowMillis, FormatContext context,
			LineBuilder out) {
		out.appendAscii("{\"time\":\"");
		context.time().appendIso(nowMillis, out);
		out.appendAscii("\",\"client\":");
		context.appendClient(event.clientAddress(), true, out);
		out.appendAscii(",\"method\":").appendJsonString(event.method().name());
		out.appendAscii(",\"target\":").appendJsonString(event.target());
		out.appendAscii(",\"protocol\":").appendJsonString(event.protocol().text());
		out.appendAscii(",\"status\":").append(status);
		out.appendAscii(",\"bytes\":").append(event.bytes());
		out.appendAscii(",\"referer\":");
		jsonValue(value(Field.REFERER, event), out);
		out.appendAscii(",\"user-agent\":");
		jsonValue(value(Field.USER_AGENT, event), out);
		out.appendAscii(",\"duration\":").appendSeconds(durationNanos);
		out.appendAscii(",\"site\":").appendJsonString(event.site().name());
		out.appendAscii(",\"worker\":").appendJsonString(event.connection().worker());
		out.appendAscii(",\"upstream\":");
		jsonValue(value(Field.UPSTREAM, event), out);
		out.appendAscii("}\n");
	}

	private static void jsonValue(CharSequence value, LineBuilder out) {
		if (value == null || value.length() == 0) {
			out.append(JSON_NULL);
		}
		else {
			out.appendJsonString(value);
		}
	}

	private static CharSequence value(Field field, LogEvent event) {
		return switch (field) {
			case REFERER -> event.requestHeaders().get(HttpHeaderNames.REFERER);
			case USER_AGENT -> event.requestHeaders().get(HttpHeaderNames.USER_AGENT);
			case SITE -> event.site().name();
			case WORKER -> event.connection().worker();
			case UPSTREAM -> {
				Object upstream = event.attribute(Exchange.UPSTREAM);
				yield (upstream != null) ? upstream.toString() : null;
			}
			default -> throw new IllegalStateException("not a text field: " + field);
		};
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	@Override
	public String toString() {
		return this.spec;
	}

	/** The fields of a pattern, by their name in {@code %{name}}. */
	enum Field {

		/** The time of the line, {@code 10/Oct/2000:13:55:36 -0700}. */
		TIME("time"),

		/** The client address ({@link LogEvent#clientAddress()}). */
		CLIENT("client"),

		/** The request method. */
		METHOD("method"),

		/** The request target as sent, with its query. */
		TARGET("target"),

		/** The protocol version, {@code HTTP/1.1}. */
		PROTOCOL("protocol"),

		/** The response status. */
		STATUS("status"),

		/** Body bytes sent. */
		BYTES("bytes"),

		/** Body bytes sent, {@code -} for none (the common log format's {@code %b}). */
		BYTES_CLF("bytes-clf"),

		/** The {@code Referer} header. */
		REFERER("referer"),

		/** The {@code User-Agent} header. */
		USER_AGENT("user-agent"),

		/**
		 * Seconds from the request to the end of the response, microsecond resolution.
		 */
		DURATION("duration"),

		/** The site's name. */
		SITE("site"),

		/** The worker that served the request. */
		WORKER("worker"),

		/** The {@code capuchin.upstream} exchange attribute. */
		UPSTREAM("upstream");

		private final String configName;

		Field(String configName) {
			this.configName = configName;
		}

		static Field of(String name, boolean internal) {
			for (Field field : values()) {
				if (field.configName.equals(name) && (internal || field != BYTES_CLF)) {
					return field;
				}
			}
			throw new IllegalArgumentException("pattern: unknown field %{" + name + "} (expected one of: time, "
					+ "client, method, target, protocol, status, bytes, referer, user-agent, duration, site, "
					+ "worker, upstream)");
		}

	}

}
