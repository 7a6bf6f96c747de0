package dev.capuchin.plugin.proxy.internal.cache;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The directives of one or more {@code Cache-Control} field lines (RFC 9111 §5.2): names
 * lower case, arguments unquoted. Netty has no parser for this field; its grammar is a
 * comma-separated list of {@code token [= (token | quoted-string)]}.
 */
final class CacheControl {

	/** No directives. */
	static final CacheControl NONE = new CacheControl(Map.of());

	/**
	 * The most directives read from one message: bounds the work a hostile peer causes.
	 */
	private static final int MAX_DIRECTIVES = 64;

	private final Map<String, String> directives;

	private CacheControl(Map<String, String> directives) {
		this.directives = directives;
	}

	static CacheControl parse(List<String> values) {
		if (values.isEmpty()) {
			return NONE;
		}
		Map<String, String> directives = new HashMap<>();
		for (String value : values) {
			int i = 0;
			int length = value.length();
			while (i < length && directives.size() < MAX_DIRECTIVES) {
				while (i < length && (value.charAt(i) == ',' || value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
					i++;
				}
				int start = i;
				while (i < length && value.charAt(i) != '=' && value.charAt(i) != ',') {
					i++;
				}
				String name = value.substring(start, i).trim().toLowerCase(Locale.ROOT);
				String argument = "";
				if (i < length && value.charAt(i) == '=') {
					i++;
					if (i < length && value.charAt(i) == '"') {
						StringBuilder quoted = new StringBuilder();
						i++;
						while (i < length && value.charAt(i) != '"') {
							if (value.charAt(i) == '\\' && i + 1 < length) {
								i++;
							}
							quoted.append(value.charAt(i++));
						}
						i++;
						argument = quoted.toString();
						while (i < length && value.charAt(i) != ',') {
							i++;
						}
					}
					else {
						int begin = i;
						while (i < length && value.charAt(i) != ',') {
							i++;
						}
						argument = value.substring(begin, i).trim();
					}
				}
				if (!name.isEmpty()) {
					// the first occurrence wins: a duplicate is invalid, and taking the
					// first is as good as any and stable
					directives.putIfAbsent(name, argument);
				}
			}
		}
		return new CacheControl(directives);
	}

	boolean has(String name) {
		return this.directives.containsKey(name);
	}

	/**
	 * A delta-seconds argument (RFC 9111 §1.2.2): {@code -1} when absent or not a number;
	 * a value beyond the largest int counts as the largest (2^31, as the RFC asks).
	 */
	long seconds(String name) {
		String argument = this.directives.get(name);
		if (argument == null || argument.isEmpty()) {
			return -1;
		}
		for (int i = 0; i < argument.length(); i++) {
			if (argument.charAt(i) < '0' || argument.charAt(i) > '9') {
				return -1;
			}
		}
		if (argument.length() > 10) {
			return Integer.MAX_VALUE;
		}
		return Math.min(Long.parseLong(argument), Integer.MAX_VALUE);
	}

	@Nullable String argument(String name) {
		return this.directives.get(name);
	}

}
