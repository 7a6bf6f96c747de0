package dev.capuchin.plugin.fastcgi.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.capuchin.plugin.fastcgi.FastCgiAddress;
import dev.capuchin.plugin.fastcgi.FastCgiLocation;
import dev.capuchin.plugin.fastcgi.FastCgiSettings;

/**
 * Reads a location's {@code fastcgi:} block as written in a site file, refusing unknown
 * keys and bad values with a message that names the field.
 */
public final class FastCgiBlocks {

	/** The keys a block may hold. */
	public static final Set<String> KEYS = Set.of("pass", "index", "params", "split-path-info", "scripts",
			"front-controller", "connect-timeout", "read-timeout", "max-connections", "keep-connection");

	/** The most addresses one block may name. */
	static final int MAX_ADDRESSES = 32;

	private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)");

	private static final Pattern PARAM_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

	private FastCgiBlocks() {
	}

	/**
	 * Compile one block.
	 * @param field the block's name for messages, such as
	 * {@code site shop: locations[2].fastcgi}
	 * @param raw the block as read from the site file
	 * @param defaults the global defaults
	 * @return the compiled block
	 * @throws IllegalArgumentException naming the field at fault
	 */
	public static FastCgiLocation compile(String field, Object raw, FastCgiSettings defaults) {
		if (!(raw instanceof Map<?, ?> block)) {
			throw new IllegalArgumentException(field + ": expected a map (pass, index, params, ...)");
		}
		for (Object key : block.keySet()) {
			if (!KEYS.contains(key)) {
				throw new IllegalArgumentException(
						field + "." + key + ": unknown key (expected: " + String.join(", ", new TreeSet<>(KEYS)) + ")");
			}
		}
		List<FastCgiAddress> pass = pass(field + ".pass", block.get("pass"));
		String index = index(field + ".index", block.get("index"));
		Map<String, String> params = params(field + ".params", block.get("params"));
		Pattern split = splitPathInfo(field + ".split-path-info", block.get("split-path-info"));
		Pattern scripts = pattern(field + ".scripts",
				block.containsKey("scripts") ? block.get("scripts") : FastCgiLocation.DEFAULT_SCRIPTS);
		String front = frontController(field + ".front-controller", block.get("front-controller"));
		Duration connect = duration(field + ".connect-timeout", block.get("connect-timeout"),
				defaults.connectTimeout());
		Duration read = duration(field + ".read-timeout", block.get("read-timeout"), defaults.readTimeout());
		int max = maxConnections(field + ".max-connections", block.get("max-connections"), defaults.maxConnections());
		Object keep = block.get("keep-connection");
		if (keep != null && !(keep instanceof Boolean)) {
			throw new IllegalArgumentException(field + ".keep-connection: '" + keep + "' (expected: true or false)");
		}
		return new FastCgiLocation(field, pass, index, params, split, scripts, front, connect, read, max,
				keep == null || (Boolean) keep);
	}

	private static List<FastCgiAddress> pass(String field, Object raw) {
		if (raw == null) {
			throw new IllegalArgumentException(
					field + ": missing (expected: unix:/path/to.sock, host:port, or a list of them)");
		}
		List<?> items = (raw instanceof List<?> list) ? list : List.of(raw);
		if (items.isEmpty() || items.size() > MAX_ADDRESSES) {
			throw new IllegalArgumentException(
					field + ": " + items.size() + " addresses (expected: 1.." + MAX_ADDRESSES + ")");
		}
		List<FastCgiAddress> addresses = new ArrayList<>();
		for (int i = 0; i < items.size(); i++) {
			String at = (raw instanceof List) ? field + "[" + i + "]" : field;
			if (!(items.get(i) instanceof String text)) {
				throw new IllegalArgumentException(at + ": '" + items.get(i) + "' (expected: a string)");
			}
			try {
				addresses.add(FastCgiAddress.parse(text.strip()));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException(at + ": " + ex.getMessage(), ex);
			}
		}
		return addresses;
	}

	private static String index(String field, Object raw) {
		if (raw == null) {
			return FastCgiLocation.DEFAULT_INDEX;
		}
		if (!(raw instanceof String name) || name.isEmpty() || name.contains("/") || name.equals("..")
				|| name.equals(".")) {
			throw new IllegalArgumentException(field + ": '" + raw + "' (expected: a file name such as index.php)");
		}
		return name;
	}

	private static Map<String, String> params(String field, Object raw) {
		if (raw == null) {
			return Map.of();
		}
		if (!(raw instanceof Map<?, ?> map)) {
			throw new IllegalArgumentException(field + ": expected a map of names to values");
		}
		Map<String, String> params = new LinkedHashMap<>();
		for (Map.Entry<?, ?> entry : map.entrySet()) {
			String name = String.valueOf(entry.getKey());
			if (!PARAM_NAME.matcher(name).matches()) {
				throw new IllegalArgumentException(
						field + "." + name + ": not a param name (expected: letters, digits and _)");
			}
			if (name.equalsIgnoreCase("HTTP_PROXY")) {
				throw new IllegalArgumentException(field + "." + name + ": refused (httpoxy, CVE-2016-5385)");
			}
			Object value = entry.getValue();
			if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
				throw new IllegalArgumentException(field + "." + name + ": '" + value + "' (expected: a scalar)");
			}
			params.put(name, String.valueOf(value));
		}
		return params;
	}

	private static Pattern splitPathInfo(String field, Object raw) {
		if (Boolean.FALSE.equals(raw)) {
			return null;
		}
		Pattern pattern = pattern(field, (raw != null) ? raw : FastCgiLocation.DEFAULT_SPLIT_PATH_INFO);
		if (pattern.matcher("").groupCount() != 2) {
			throw new IllegalArgumentException(field + ": '" + raw
					+ "' (expected: a regular expression with two groups, the script and PATH_INFO, or false)");
		}
		return pattern;
	}

	private static Pattern pattern(String field, Object raw) {
		if (!(raw instanceof String regex) || regex.isEmpty()) {
			throw new IllegalArgumentException(field + ": '" + raw + "' (expected: a regular expression)");
		}
		try {
			return Pattern.compile(regex);
		}
		catch (PatternSyntaxException ex) {
			throw new IllegalArgumentException(
					field + ": '" + regex + "' is not a regular expression (" + ex.getDescription() + ")", ex);
		}
	}

	private static String frontController(String field, Object raw) {
		if (raw == null || Boolean.FALSE.equals(raw)) {
			return null;
		}
		if (!(raw instanceof String path) || !path.startsWith("/") || path.endsWith("/") || path.contains("/../")
				|| path.contains("/./") || path.contains("//") || path.contains("?")) {
			throw new IllegalArgumentException(
					field + ": '" + raw + "' (expected: a script's path, such as /index.php)");
		}
		return path;
	}

	static Duration duration(String field, Object raw, Duration fallback) {
		if (raw == null) {
			return fallback;
		}
		Matcher matcher = DURATION.matcher(String.valueOf(raw).strip());
		Duration value = null;
		if (matcher.matches()) {
			long amount = Long.parseLong(matcher.group(1));
			value = switch (matcher.group(2)) {
				case "ms" -> Duration.ofMillis(amount);
				case "s" -> Duration.ofSeconds(amount);
				default -> Duration.ofMinutes(amount);
			};
		}
		if (value == null || value.isZero() || value.compareTo(Duration.ofHours(1)) > 0) {
			throw new IllegalArgumentException(field + ": '" + raw + "' (expected: a duration such as 500ms, 30s or 2m,"
					+ " above 0 and at most 60m)");
		}
		return value;
	}

	private static int maxConnections(String field, Object raw, int fallback) {
		if (raw == null) {
			return fallback;
		}
		if (!(raw instanceof Integer value) || value < 1 || value > FastCgiSettings.MAX_CONNECTIONS_LIMIT) {
			throw new IllegalArgumentException(
					field + ": '" + raw + "' (expected: 1.." + FastCgiSettings.MAX_CONNECTIONS_LIMIT + ")");
		}
		return value;
	}

}
