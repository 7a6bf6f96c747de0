package dev.capuchin.plugin.cgi.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.capuchin.core.spi.Location;
import dev.capuchin.core.spi.BlockValues;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.SiteTable;
import dev.capuchin.plugin.cgi.CgiLocation;
import dev.capuchin.plugin.cgi.CgiLocation.RunAs;
import dev.capuchin.plugin.cgi.CgiSettings;
import org.jspecify.annotations.Nullable;

/**
 * The {@code cgi:} blocks of one site table, checked and compiled when the table is
 * prepared: each location's block over the global defaults, and each site's
 * {@code max-concurrent}.
 */
public final class CgiBlocks {

	/** The key of the plugin's blocks in site files. */
	public static final String KEY = "cgi";

	static final Set<String> LOCATION_KEYS = Set.of("interpreters", "extensions", "pass-env", "env", "timeout",
			"queue-timeout", "user");

	static final Set<String> SITE_KEYS = Set.of("max-concurrent");

	private final Map<Site, SiteBlocks> sites;

	private CgiBlocks(Map<Site, SiteBlocks> sites) {
		this.sites = sites;
	}

	/**
	 * Check and compile every {@code cgi:} block of a table.
	 * @param table the table
	 * @param defaults the global settings
	 * @param passwd the users database ({@code /etc/passwd}) for {@code user}
	 * @param currentUid the user id Capuchin runs as
	 * @return the blocks
	 * @throws IllegalArgumentException naming the site and field of an invalid block
	 */
	public static CgiBlocks prepare(SiteTable table, CgiSettings defaults, Path passwd, int currentUid) {
		Map<Site, SiteBlocks> sites = new IdentityHashMap<>();
		for (Site site : table.sites()) {
			String prefix = "site " + site.name() + ": ";
			int maxConcurrent = siteBlock(site.setting(KEY), defaults, prefix + KEY);
			Map<Location, CgiLocation> locations = new IdentityHashMap<>();
			List<Location> list = site.locations();
			for (int i = 0; i < list.size(); i++) {
				Location location = list.get(i);
				if (location.settings().containsKey(KEY)) {
					String field = prefix + "locations[" + i + "]." + KEY;
					locations.put(location, location(location.setting(KEY), defaults, field, passwd, currentUid));
				}
			}
			sites.put(site, new SiteBlocks(maxConcurrent, locations));
		}
		return new CgiBlocks(sites);
	}

	/**
	 * The block of a request's location.
	 * @param site the request's site
	 * @param location the matched location, or {@code null}
	 * @return the block, or {@code null} when the location has none
	 */
	public @Nullable CgiLocation location(Site site, @Nullable Location location) {
		SiteBlocks blocks = this.sites.get(site);
		return (blocks != null && location != null) ? blocks.locations().get(location) : null;
	}

	/**
	 * The most scripts a site runs at once.
	 * @param site the site
	 * @param fallback the global default
	 * @return the limit
	 */
	public int maxConcurrent(Site site, int fallback) {
		SiteBlocks blocks = this.sites.get(site);
		return (blocks != null) ? blocks.maxConcurrent() : fallback;
	}

	private static int siteBlock(@Nullable Object raw, CgiSettings defaults, String field) {
		if (raw == null) {
			return defaults.maxConcurrent();
		}
		Map<String, Object> block = map(raw, field, SITE_KEYS);
		Object value = block.get("max-concurrent");
		if (value == null) {
			return defaults.maxConcurrent();
		}
		if (!(value instanceof Integer number) || number < 1 || number > 10_000) {
			throw new IllegalArgumentException(field + ".max-concurrent: '" + value + "' (expected: 1..10000)");
		}
		return number;
	}

	static CgiLocation location(@Nullable Object raw, CgiSettings defaults, String field, Path passwd, int currentUid) {
		Map<String, Object> block = (raw == null || Boolean.TRUE.equals(raw)) ? Map.of()
				: map(raw, field, LOCATION_KEYS);
		Map<String, Path> interpreters = interpreters(block.get("interpreters"), field + ".interpreters");
		Set<String> extensions = extensions(block.get("extensions"), field + ".extensions");
		List<String> passEnv = defaults.passEnv();
		if (block.containsKey("pass-env")) {
			passEnv = names(block.get("pass-env"), field + ".pass-env");
		}
		Map<String, String> env = env(block.get("env"), field + ".env");
		Duration timeout = duration(block.get("timeout"), defaults.timeout(), field + ".timeout", false);
		Duration queueTimeout = duration(block.get("queue-timeout"), defaults.queueTimeout(), field + ".queue-timeout",
				true);
		RunAs user = user(block.get("user"), field + ".user", passwd, currentUid);
		return new CgiLocation(field, interpreters, extensions, passEnv, env, timeout, queueTimeout, user);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object raw, String field, Set<String> keys) {
		if (!(raw instanceof Map<?, ?> map)) {
			throw new IllegalArgumentException(
					field + ": '" + raw + "' (expected: a mapping of " + String.join(", ", new TreeSet<>(keys)) + ")");
		}
		for (Object key : map.keySet()) {
			if (!keys.contains(key)) {
				throw new IllegalArgumentException(
						field + "." + key + ": unknown key (expected: " + String.join(", ", new TreeSet<>(keys)) + ")");
			}
		}
		return (Map<String, Object>) map;
	}

	private static Map<String, Path> interpreters(@Nullable Object raw, String field) {
		if (raw == null) {
			return Map.of();
		}
		if (!(raw instanceof Map<?, ?> map)) {
			throw new IllegalArgumentException(field + ": '" + raw
					+ "' (expected: a mapping of extension to interpreter, e.g. .py: /usr/bin/python3)");
		}
		Map<String, Path> interpreters = new LinkedHashMap<>();
		for (Map.Entry<?, ?> entry : map.entrySet()) {
			String extension = extension(entry.getKey(), field);
			String entryField = field + "." + extension;
			if (!(entry.getValue() instanceof String program) || !program.startsWith("/")) {
				throw new IllegalArgumentException(
						entryField + ": '" + entry.getValue() + "' (expected: an absolute path to a program)");
			}
			Path path = Path.of(program);
			if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
				throw new IllegalArgumentException(entryField + ": '" + program + "' (expected: an executable file)");
			}
			interpreters.put(extension, path);
		}
		return interpreters;
	}

	private static Set<String> extensions(@Nullable Object raw, String field) {
		if (raw == null) {
			return Set.of();
		}
		if (!(raw instanceof List<?> list)) {
			throw new IllegalArgumentException(field + ": '" + raw + "' (expected: a list such as [.cgi, .pl])");
		}
		Set<String> extensions = new LinkedHashSet<>();
		for (int i = 0; i < list.size(); i++) {
			extensions.add(extension(list.get(i), field + "[" + i + "]"));
		}
		return extensions;
	}

	private static String extension(@Nullable Object raw, String field) {
		if (!(raw instanceof String text) || text.length() < 2 || text.charAt(0) != '.' || text.indexOf('/') >= 0
				|| text.indexOf('.', 1) >= 0) {
			throw new IllegalArgumentException(field + ": '" + raw + "' (expected: an extension such as .cgi)");
		}
		return text.toLowerCase(Locale.ROOT);
	}

	private static List<String> names(@Nullable Object raw, String field) {
		if (!(raw instanceof List<?> list)) {
			throw new IllegalArgumentException(field + ": '" + raw + "' (expected: a list of variable names)");
		}
		List<String> names = new ArrayList<>();
		for (int i = 0; i < list.size(); i++) {
			Object name = list.get(i);
			String problem = CgiLocation.envNameProblem((name instanceof String text) ? text : null);
			if (problem != null) {
				throw new IllegalArgumentException(field + "[" + i + "]: " + ((name instanceof String) ? problem
						: "'" + name + "' (expected: a variable name of letters, digits and _)"));
			}
			names.add((String) name);
		}
		return names;
	}

	private static Map<String, String> env(@Nullable Object raw, String field) {
		if (raw == null) {
			return Map.of();
		}
		if (!(raw instanceof Map<?, ?> map)) {
			throw new IllegalArgumentException(field + ": '" + raw + "' (expected: a mapping of name to value)");
		}
		Map<String, String> env = new LinkedHashMap<>();
		for (Map.Entry<?, ?> entry : map.entrySet()) {
			String name = String.valueOf(entry.getKey());
			String problem = CgiLocation.envNameProblem(name);
			if (problem != null) {
				throw new IllegalArgumentException(field + "." + name + ": " + problem);
			}
			Object value = entry.getValue();
			if (!(value instanceof String || value instanceof Number || value instanceof Boolean)
					|| value.toString().indexOf('\0') >= 0) {
				throw new IllegalArgumentException(field + "." + name + ": '" + value + "' (expected: a string)");
			}
			env.put(name, value.toString());
		}
		return env;
	}

	static Duration duration(@Nullable Object raw, Duration fallback, String field, boolean zeroAllowed) {
		Duration duration = zeroAllowed ? BlockValues.duration(field, raw, fallback)
				: BlockValues.positiveDuration(field, raw, fallback);
		if (duration.compareTo(Duration.ofDays(1)) > 0) {
			throw BlockValues.invalid(field, raw, "a duration of at most 1 day");
		}
		return duration;
	}

	static @Nullable RunAs user(@Nullable Object raw, String field, Path passwd, int currentUid) {
		if (raw == null) {
			return null;
		}
		String wanted = String.valueOf(raw);
		if (wanted.isEmpty() || !(raw instanceof String || raw instanceof Integer)) {
			throw new IllegalArgumentException(field + ": '" + raw + "' (expected: a user name or id)");
		}
		RunAs user = lookUp(wanted, passwd);
		if (user == null) {
			throw new IllegalArgumentException(field + ": '" + raw + "' (expected: a user of " + passwd + ")");
		}
		if (user.uid() == currentUid) {
			return null;
		}
		if (currentUid != 0) {
			throw new IllegalArgumentException(field + ": '" + raw
					+ "' (expected: Capuchin running as root, which alone may run scripts as another user)");
		}
		if (user.uid() == 0) {
			throw new IllegalArgumentException(field + ": '" + raw + "' (expected: a user other than root)");
		}
		return user;
	}

	private static @Nullable RunAs lookUp(String wanted, Path passwd) {
		List<String> lines;
		try {
			lines = Files.readAllLines(passwd, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return null;
		}
		for (String line : lines) {
			String[] fields = line.split(":", -1);
			if (fields.length < 4) {
				continue;
			}
			if (fields[0].equals(wanted) || fields[2].equals(wanted)) {
				try {
					return new RunAs(fields[0], Integer.parseInt(fields[2]), Integer.parseInt(fields[3]));
				}
				catch (NumberFormatException ex) {
					return null;
				}
			}
		}
		return null;
	}

	private record SiteBlocks(int maxConcurrent, Map<Location, CgiLocation> locations) {

	}

}
