package dev.capuchin.core.spi;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A site's {@code headers} block: response headers set on every answer of the site (a
 * {@code Content-Security-Policy}, an {@code X-Frame-Options}) and headers removed from
 * it (the default {@code X-Content-Type-Options: nosniff}, {@code Server}). Applied to
 * what the kernel answers; a plugin's answer gets them too, before the plugin adds its
 * own.
 *
 * @param add header name to value, each replacing a header of that name (as the proxy's
 * {@code headers.add} does); names as they go out on HTTP/1.1
 * @param remove header names removed, lower case
 */
public record ResponseHeaders(Map<String, String> add, Set<String> remove) {

	/** No headers set and none removed. */
	public static final ResponseHeaders NONE = new ResponseHeaders(Map.of(), Set.of());

	/** At most this many entries in each of {@code add} and {@code remove}. */
	public static final int MAX_ENTRIES = 32;

	/** At most this many characters in a header value. */
	public static final int MAX_VALUE_LENGTH = 4096;

	/**
	 * Headers that frame the message or belong to the connection: a site setting or
	 * removing them would break the framing (request smuggling) or contradict the date
	 * the kernel keeps.
	 */
	public static final Set<String> RESERVED = Set.of("content-length", "transfer-encoding", "connection", "keep-alive",
			"upgrade", "te", "trailer", "proxy-connection", "date", "content-range", "content-type",
			"content-encoding");

	public ResponseHeaders {
		add = validAdd(add);
		remove = validRemove(remove);
	}

	/**
	 * Whether this block sets or removes nothing.
	 * @return whether it is empty
	 */
	public boolean isEmpty() {
		return this.add.isEmpty() && this.remove.isEmpty();
	}

	/**
	 * Whether this block sets or removes a header, by its lower-case name.
	 * @param lowerCaseName the name, lower case
	 * @return whether it is set or removed here
	 */
	public boolean touches(String lowerCaseName) {
		if (this.remove.contains(lowerCaseName)) {
			return true;
		}
		for (String name : this.add.keySet()) {
			if (name.toLowerCase(Locale.ROOT).equals(lowerCaseName)) {
				return true;
			}
		}
		return false;
	}

	private static Map<String, String> validAdd(Map<String, String> set) {
		if (set.size() > MAX_ENTRIES) {
			throw new IllegalArgumentException(
					"headers.add: " + set.size() + " headers (expected: at most " + MAX_ENTRIES + ")");
		}
		Map<String, String> valid = new LinkedHashMap<>();
		Set<String> seen = new LinkedHashSet<>();
		set.forEach((name, value) -> {
			String lower = validName("headers.add", name);
			if (!seen.add(lower)) {
				throw new IllegalArgumentException("headers.add: '" + name + "' (expected: each name once)");
			}
			if (value == null || value.isBlank() || value.length() > MAX_VALUE_LENGTH
					|| !value.chars().allMatch((c) -> c == '\t' || (c >= 0x20 && c < 0x7f))) {
				throw new IllegalArgumentException("headers.add." + name + ": '" + abbreviate(value)
						+ "' (expected: printable ASCII, 1.." + MAX_VALUE_LENGTH + " characters)");
			}
			valid.put(name, value.strip());
		});
		return java.util.Collections.unmodifiableMap(valid);
	}

	private static Set<String> validRemove(Set<String> remove) {
		if (remove.size() > MAX_ENTRIES) {
			throw new IllegalArgumentException(
					"headers.remove: " + remove.size() + " headers (expected: at most " + MAX_ENTRIES + ")");
		}
		Set<String> valid = new LinkedHashSet<>();
		for (String name : remove) {
			valid.add(validName("headers.remove", name));
		}
		return java.util.Collections.unmodifiableSet(valid);
	}

	private static String validName(String field, String name) {
		if (name == null || name.isEmpty() || !name.chars().allMatch(ResponseHeaders::isTokenChar)) {
			throw new IllegalArgumentException(
					field + ": '" + name + "' (expected: a header name of letters, digits and !#$%&'*+-.^_`|~)");
		}
		String lower = name.toLowerCase(Locale.ROOT);
		if (RESERVED.contains(lower)) {
			throw new IllegalArgumentException(field + ": '" + name + "' (expected: not one of "
					+ List.copyOf(new java.util.TreeSet<>(RESERVED)) + ", which the server keeps)");
		}
		return lower;
	}

	private static boolean isTokenChar(int c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
				|| "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
	}

	private static String abbreviate(String value) {
		return (value == null) ? "" : (value.length() > 40) ? value.substring(0, 40) + "..." : value;
	}

}
