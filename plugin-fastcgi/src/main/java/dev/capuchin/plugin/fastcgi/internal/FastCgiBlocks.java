package dev.capuchin.plugin.fastcgi.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.capuchin.core.spi.BlockValues;
import dev.capuchin.plugin.fastcgi.FastCgiAddress;
import dev.capuchin.plugin.fastcgi.FastCgiLocation;
import dev.capuchin.plugin.fastcgi.FastCgiSettings;
import org.jspecify.annotations.Nullable;

/**
 * Reads a location's {@code fastcgi:} block as written in a site file, refusing unknown
 * keys and bad values with a message that names the field. Texts, flags, numbers and
 * durations are read by the core's {@link BlockValues}, as every plugin reads them; what
 * is FastCGI's own (addresses, param names, the split-path-info pattern, the front
 * controller's path) is checked here.
 */
public final class FastCgiBlocks {

	/** The keys a block may hold. */
	public static final Set<String> KEYS = Set.of("pass", "index", "params", "split-path-info", "scripts",
			"front-controller", "connect-timeout", "read-timeout", "max-connections", "keep-connection");

	/** The most addresses one block may name. */
	static final int MAX_ADDRESSES = 32;

	/**
	 * The longest connect or read timeout: a longer one would hold a worker for nothing.
	 */
	static final Duration MAX_TIMEOUT = Duration.ofHours(1);

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
		Map<String, Object> block = BlockValues.block(field, raw);
		BlockValues.checkKeys(field, block, KEYS);
		List<FastCgiAddress> pass = pass(field + ".pass", block.get("pass"));
		String index = index(field + ".index", block.get("index"));
		Map<String, String> params = params(field + ".params", block.get("params"));
		Pattern split = splitPathInfo(field + ".split-path-info", block.get("split-path-info"));
		Pattern scripts = pattern(field + ".scripts",
				block.containsKey("scripts") ? block.get("scripts") : FastCgiLocation.DEFAULT_SCRIPTS);
		String front = frontController(field + ".front-controller", block.get("front-controller"));
		Duration connect = timeout(field + ".connect-timeout", block.get("connect-timeout"), defaults.connectTimeout());
		Duration read = timeout(field + ".read-timeout", block.get("read-timeout"), defaults.readTimeout());
		int max = BlockValues.integer(field + ".max-connections", block.get("max-connections"), 1,
				FastCgiSettings.MAX_CONNECTIONS_LIMIT, defaults.maxConnections());
		boolean keep = BlockValues.flag(field + ".keep-connection", block.get("keep-connection"), true);
		return new FastCgiLocation(field, pass, index, params, split, scripts, front, connect, read, max, keep);
	}

	private static List<FastCgiAddress> pass(String field, @Nullable Object raw) {
		if (raw == null) {
			throw new IllegalArgumentException(
					field + ": missing (expected: unix:/path/to.sock, host:port, or a list of them)");
		}
		List<String> items = BlockValues.texts(field, raw);
		if (items.isEmpty() || items.size() > MAX_ADDRESSES) {
			throw new IllegalArgumentException(
					field + ": " + items.size() + " addresses (expected: 1.." + MAX_ADDRESSES + ")");
		}
		List<FastCgiAddress> addresses = new ArrayList<>();
		for (int i = 0; i < items.size(); i++) {
			String at = (raw instanceof List) ? field + "[" + i + "]" : field;
			try {
				addresses.add(FastCgiAddress.parse(items.get(i)));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException(at + ": " + ex.getMessage(), ex);
			}
		}
		return addresses;
	}

	private static String index(String field, @Nullable Object raw) {
		String name = BlockValues.optionalText(field, raw);
		if (name == null) {
			return FastCgiLocation.DEFAULT_INDEX;
		}
		if (name.contains("/") || name.equals("..") || name.equals(".")) {
			throw BlockValues.invalid(field, raw, "a file name such as index.php");
		}
		return name;
	}

	private static Map<String, String> params(String field, @Nullable Object raw) {
		Map<String, String> params = new LinkedHashMap<>();
		for (Map.Entry<String, Object> entry : BlockValues.block(field, raw).entrySet()) {
			String name = entry.getKey();
			if (!PARAM_NAME.matcher(name).matches()) {
				throw new IllegalArgumentException(
						field + "." + name + ": not a param name (expected: letters, digits and _)");
			}
			if (name.equalsIgnoreCase("HTTP_PROXY")) {
				throw new IllegalArgumentException(field + "." + name + ": refused (httpoxy, CVE-2016-5385)");
			}
			Object value = entry.getValue();
			if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
				throw BlockValues.invalid(field + "." + name, value, "a scalar");
			}
			params.put(name, String.valueOf(value));
		}
		return params;
	}

	private static @Nullable Pattern splitPathInfo(String field, @Nullable Object raw) {
		if (Boolean.FALSE.equals(raw)) {
			return null;
		}
		Pattern pattern = pattern(field, (raw != null) ? raw : FastCgiLocation.DEFAULT_SPLIT_PATH_INFO);
		if (pattern.matcher("").groupCount() != 2) {
			throw BlockValues.invalid(field, raw,
					"a regular expression with two groups, the script and PATH_INFO, or false");
		}
		return pattern;
	}

	private static Pattern pattern(String field, @Nullable Object raw) {
		String regex = BlockValues.optionalText(field, raw);
		if (regex == null) {
			throw BlockValues.invalid(field, raw, "a regular expression");
		}
		try {
			return Pattern.compile(regex);
		}
		catch (PatternSyntaxException ex) {
			throw new IllegalArgumentException(
					field + ": '" + regex + "' is not a regular expression (" + ex.getDescription() + ")", ex);
		}
	}

	private static @Nullable String frontController(String field, @Nullable Object raw) {
		if (Boolean.FALSE.equals(raw)) {
			return null;
		}
		String path = BlockValues.optionalText(field, raw);
		if (path == null) {
			return null;
		}
		if (!path.startsWith("/") || path.endsWith("/") || path.contains("/../") || path.contains("/./")
				|| path.contains("//") || path.contains("?")) {
			throw BlockValues.invalid(field, raw, "a script's path, such as /index.php");
		}
		return path;
	}

	/** A timeout: longer than zero, at most {@link #MAX_TIMEOUT}. */
	static Duration timeout(String field, @Nullable Object raw, Duration fallback) {
		Duration value = BlockValues.positiveDuration(field, raw, fallback);
		if (value.compareTo(MAX_TIMEOUT) > 0) {
			throw BlockValues.invalid(field, raw, "a duration of at most 60m");
		}
		return value;
	}

}
