package dev.capuchin.core.spi;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Reading the values of a plugin's block in a site file or the configuration document,
 * with one way of writing sizes and durations and one shape of message for a bad value:
 * the field, the value, and what was expected, such as
 * {@code locations[2].proxy.retries: -1 (expected: an integer from 0 to 10)}. Every
 * method throws {@link IllegalArgumentException} with such a message, which the site
 * loader and the control plane show as they are.
 * <p>
 * Sizes are written as Spring Boot writes them ({@code 512B}, {@code 64KB}, {@code 1MB},
 * {@code 2GB}, binary multiples, or a plain number of bytes); durations as {@code 250ms},
 * {@code 10s}, {@code 5m}, {@code 1h}, {@code 1d} or ISO-8601 ({@code PT10S}).
 */
public final class BlockValues {

	private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB|TB)?", Pattern.CASE_INSENSITIVE);

	private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ns|us|ms|s|m|h|d)?", Pattern.CASE_INSENSITIVE);

	private BlockValues() {
	}

	/**
	 * A block that must be a map; {@code null} (the key written with nothing after it,
	 * such as {@code cgi:}) is an empty block.
	 * @param field the field, for messages
	 * @param raw the value
	 * @return the block with string keys, in their order
	 */
	public static Map<String, Object> block(String field, @Nullable Object raw) {
		if (raw == null) {
			return Map.of();
		}
		if (!(raw instanceof Map<?, ?> map)) {
			throw invalid(field, raw, "a block of keys");
		}
		Map<String, Object> block = new LinkedHashMap<>();
		map.forEach((key, value) -> block.put(String.valueOf(key), value));
		return block;
	}

	/**
	 * Refuse keys a block does not know, naming them and the ones it does.
	 * @param field the block's field, for messages
	 * @param block the block
	 * @param known the keys it may hold
	 */
	public static void checkKeys(String field, Map<?, ?> block, Collection<String> known) {
		for (Object key : block.keySet()) {
			if (!known.contains(String.valueOf(key))) {
				throw new IllegalArgumentException(field + ": unknown key '" + key + "' (expected: one of "
						+ String.join(", ", new TreeSet<>(known)) + ")");
			}
		}
	}

	/**
	 * A text that must be present and not blank.
	 * @param field the field, for messages
	 * @param raw the value
	 * @return the text, trimmed
	 */
	public static String text(String field, @Nullable Object raw) {
		String text = optionalText(field, raw);
		if (text == null) {
			throw new IllegalArgumentException(field + ": missing (expected: a text)");
		}
		return text;
	}

	/**
	 * A text that may be absent.
	 * @param field the field, for messages
	 * @param raw the value
	 * @return the text, trimmed, or {@code null} when absent
	 */
	public static @Nullable String optionalText(String field, @Nullable Object raw) {
		if (raw == null) {
			return null;
		}
		if (raw instanceof Map || raw instanceof Collection) {
			throw invalid(field, raw, "a text");
		}
		String text = String.valueOf(raw).trim();
		if (text.isEmpty()) {
			throw invalid(field, raw, "a text that is not blank");
		}
		return text;
	}

	/**
	 * A list of texts; a single text is a list of one.
	 * @param field the field, for messages
	 * @param raw the value
	 * @return the texts, trimmed, or an empty list when absent
	 */
	public static List<String> texts(String field, @Nullable Object raw) {
		if (raw == null) {
			return List.of();
		}
		if (!(raw instanceof Collection<?> values)) {
			return List.of(text(field, raw));
		}
		List<String> texts = new ArrayList<>(values.size());
		int index = 0;
		for (Object value : values) {
			texts.add(text(field + "[" + index++ + "]", value));
		}
		return List.copyOf(texts);
	}

	/**
	 * A yes-or-no value.
	 * @param field the field, for messages
	 * @param raw the value
	 * @param fallback the value when absent
	 * @return the value
	 */
	public static boolean flag(String field, @Nullable Object raw, boolean fallback) {
		if (raw == null) {
			return fallback;
		}
		if (raw instanceof Boolean flag) {
			return flag;
		}
		String text = String.valueOf(raw).trim().toLowerCase(Locale.ROOT);
		return switch (text) {
			case "true", "yes", "on" -> true;
			case "false", "no", "off" -> false;
			default -> throw invalid(field, raw, "true or false");
		};
	}

	/**
	 * A whole number within bounds.
	 * @param field the field, for messages
	 * @param raw the value
	 * @param min the smallest allowed
	 * @param max the largest allowed
	 * @param fallback the value when absent
	 * @return the number
	 */
	public static int integer(String field, @Nullable Object raw, int min, int max, int fallback) {
		if (raw == null) {
			return fallback;
		}
		long value;
		if (raw instanceof Integer || raw instanceof Long || raw instanceof Short) {
			value = ((Number) raw).longValue();
		}
		else {
			try {
				value = Long.parseLong(String.valueOf(raw).trim());
			}
			catch (NumberFormatException ex) {
				throw invalid(field, raw, "an integer from " + min + " to " + max);
			}
		}
		if (value < min || value > max) {
			throw invalid(field, raw, "an integer from " + min + " to " + max);
		}
		return (int) value;
	}

	/**
	 * A duration of at least one millisecond (or zero, where zero is allowed).
	 * @param field the field, for messages
	 * @param raw the value, such as {@code 10s}, {@code 250ms}, {@code PT1M} or
	 * {@code 30} (seconds)
	 * @param fallback the value when absent
	 * @return the duration
	 */
	public static Duration duration(String field, @Nullable Object raw, Duration fallback) {
		if (raw == null) {
			return fallback;
		}
		String text = String.valueOf(raw).trim();
		Duration duration;
		Matcher simple = DURATION.matcher(text);
		if (simple.matches()) {
			long amount = Long.parseLong(simple.group(1));
			String unit = (simple.group(2) != null) ? simple.group(2).toLowerCase(Locale.ROOT) : "s";
			duration = switch (unit) {
				case "ns" -> Duration.ofNanos(amount);
				case "us" -> Duration.ofNanos(amount * 1000);
				case "ms" -> Duration.ofMillis(amount);
				case "s" -> Duration.ofSeconds(amount);
				case "m" -> Duration.ofMinutes(amount);
				case "h" -> Duration.ofHours(amount);
				default -> Duration.ofDays(amount);
			};
		}
		else {
			try {
				duration = Duration.parse(text);
			}
			catch (DateTimeParseException ex) {
				throw invalid(field, raw, "a duration such as 250ms, 10s, 5m or 1h");
			}
		}
		if (duration.isNegative()) {
			throw invalid(field, raw, "a duration that is not negative");
		}
		return duration;
	}

	/**
	 * A duration that must be longer than zero.
	 * @param field the field, for messages
	 * @param raw the value
	 * @param fallback the value when absent
	 * @return the duration
	 */
	public static Duration positiveDuration(String field, @Nullable Object raw, Duration fallback) {
		Duration duration = duration(field, raw, fallback);
		if (duration.isZero()) {
			throw invalid(field, raw, "a duration longer than zero");
		}
		return duration;
	}

	/**
	 * A size in bytes.
	 * @param field the field, for messages
	 * @param raw the value, such as {@code 1MB}, {@code 64KB} or {@code 4096}
	 * @param fallback the value when absent
	 * @return the size in bytes
	 */
	public static long size(String field, @Nullable Object raw, long fallback) {
		if (raw == null) {
			return fallback;
		}
		Matcher matcher = SIZE.matcher(String.valueOf(raw).trim());
		if (!matcher.matches()) {
			throw invalid(field, raw, "a size such as 512B, 64KB, 1MB or 2GB");
		}
		String unit = (matcher.group(2) != null) ? matcher.group(2).toUpperCase(Locale.ROOT) : "B";
		int shift = switch (unit) {
			case "KB" -> 10;
			case "MB" -> 20;
			case "GB" -> 30;
			case "TB" -> 40;
			default -> 0;
		};
		try {
			long amount = Long.parseLong(matcher.group(1));
			if (amount > (Long.MAX_VALUE >> shift)) {
				throw invalid(field, raw, "a size below 8EB");
			}
			return amount << shift;
		}
		catch (NumberFormatException ex) {
			throw invalid(field, raw, "a size below 8EB");
		}
	}

	/**
	 * The message for a value that is not what a field expects.
	 * @param field the field
	 * @param raw the value given
	 * @param expected what the field takes
	 * @return the exception to throw
	 */
	public static IllegalArgumentException invalid(String field, @Nullable Object raw, String expected) {
		String shown = (raw instanceof CharSequence) ? "'" + raw + "'" : String.valueOf(raw);
		return new IllegalArgumentException(field + ": " + shown + " (expected: " + expected + ")");
	}

}
