package dev.capuchin.plugin.proxy;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.capuchin.core.spi.Location;
import org.jspecify.annotations.Nullable;

/**
 * The format of upstream definitions, owned by the plugin: reads an entry of the
 * configuration document's {@code upstreams:} (or the inline part of a location's
 * {@code proxy:} block), writes it back in canonical form, and links locations to named
 * upstreams.
 * <p>
 * Canonical form: kebab-case keys as below, values at their defaults left out, durations
 * written like {@code 10s} or {@code 500ms}, a server written as its URL when all its
 * other values are defaults.
 *
 * <pre>
 * name: api
 * balancer: least-connections
 * servers: [{url: http://127.0.0.1:9001, weight: 2}, {url: http://127.0.0.1:9003, backup: true}]
 * max-fails: 2
 * fail-timeout: 10s
 * health: {path: /health, interval: 5s, timeout: 2s, expect: 200-399, rise: 2, fall: 3}
 * hash: header:X-User          # consistent-hash only
 * retries: 2
 * retry-timeout: 15s
 * timeouts: {connect: 5s, first-byte: 60s, idle: 60s, total: 1h, upgrade-idle: 10m}
 * tls: {verify: true, ca-file: /etc/ssl/backends.pem, server-name: api.internal}
 * </pre>
 */
public final class Upstreams {

	/** The key of a location's block, as in {@code proxy:}. */
	public static final String BLOCK = "proxy";

	/** The key in a location's block that names an upstream. */
	public static final String UPSTREAM = "upstream";

	/**
	 * The key in a location's block under which {@link #resolve(Location, Map)} writes
	 * the named upstream's definition for the data plane.
	 */
	public static final String DEFINITION = "definition";

	/** The keys of an upstream definition, in canonical order. */
	public static final List<String> KEYS = List.of("name", "balancer", "servers", "max-fails", "fail-timeout",
			"health", "hash", "retries", "retry-timeout", "timeouts", "tls");

	private static final Set<String> SERVER_KEYS = Set.of("url", "weight", "backup", "drain");

	private static final Set<String> HEALTH_KEYS = Set.of("path", "interval", "timeout", "expect", "rise", "fall");

	private static final Set<String> TIMEOUT_KEYS = Set.of("connect", "first-byte", "idle", "total", "upgrade-idle");

	private static final Set<String> TLS_KEYS = Set.of("verify", "ca-file", "server-name");

	private Upstreams() {
	}

	/**
	 * Read one upstream definition, {@code name} included.
	 * @param field the definition's name for messages, such as {@code upstreams[api]}
	 * @param block the definition as read from the document
	 * @return the upstream
	 * @throws IllegalArgumentException naming the field at fault, such as
	 * {@code upstreams[api].servers[1].url: ...}
	 */
	public static Upstream parse(String field, Map<?, ?> block) {
		Object name = block.get("name");
		if (!(name instanceof String text) || text.isBlank()) {
			throw new IllegalArgumentException(field + ".name: " + describe(name) + " (expected: a name)");
		}
		return parse(field, text, block, Set.of());
	}

	/**
	 * Read the upstream part of a block that may carry other keys (a location's inline
	 * servers); {@code name} is ignored when present.
	 * @param field the block's name for messages
	 * @param name the upstream's name
	 * @param block the block
	 * @param otherKeys keys of the block that belong to someone else and are skipped
	 * @return the upstream
	 * @throws IllegalArgumentException naming the field at fault, and any key that is
	 * neither an upstream key nor one of {@code otherKeys}
	 */
	public static Upstream parse(String field, String name, Map<?, ?> block, Set<String> otherKeys) {
		for (Object key : block.keySet()) {
			if (!KEYS.contains(key) && !otherKeys.contains(key)) {
				Set<String> known = new TreeSet<>(KEYS);
				known.addAll(otherKeys);
				throw new IllegalArgumentException(
						field + "." + key + ": unknown key (expected: " + String.join(", ", known) + ")");
			}
		}
		BalancerKind balancer = Upstream.DEFAULT_BALANCER;
		if (block.get("balancer") != null) {
			try {
				balancer = BalancerKind.fromKey(String.valueOf(block.get("balancer")));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException(field + ".balancer: " + ex.getMessage(), ex);
			}
		}
		List<UpstreamServer> servers = servers(field + ".servers", block.get("servers"));
		int maxFails = integer(field + ".max-fails", block.get("max-fails"), Upstream.DEFAULT_MAX_FAILS);
		Duration failTimeout = duration(field + ".fail-timeout", block.get("fail-timeout"),
				Upstream.DEFAULT_FAIL_TIMEOUT);
		HealthCheck health = health(field + ".health", block.get("health"));
		HashKey hash = null;
		if (block.get("hash") != null) {
			try {
				hash = HashKey.parse(String.valueOf(block.get("hash")));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException(field + ".hash: " + ex.getMessage(), ex);
			}
		}
		int retries = integer(field + ".retries", block.get("retries"), Upstream.DEFAULT_RETRIES);
		Duration retryTimeout = duration(field + ".retry-timeout", block.get("retry-timeout"),
				Upstream.DEFAULT_RETRY_TIMEOUT);
		Timeouts timeouts = timeouts(field + ".timeouts", block.get("timeouts"));
		UpstreamTls tls = tls(field + ".tls", block.get("tls"));
		try {
			return new Upstream(name, balancer, servers, maxFails, failTimeout, health, hash, retries, retryTimeout,
					timeouts, tls);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(field + "." + ex.getMessage(), ex);
		}
	}

	/**
	 * Write an upstream in canonical form.
	 * @param upstream the upstream
	 * @return the definition, {@code name} first, defaults left out
	 */
	public static Map<String, Object> write(Upstream upstream) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("name", upstream.name());
		if (upstream.balancer() != Upstream.DEFAULT_BALANCER) {
			map.put("balancer", upstream.balancer().key());
		}
		map.put("servers", upstream.servers().stream().map(Upstreams::writeServer).toList());
		if (upstream.maxFails() != Upstream.DEFAULT_MAX_FAILS) {
			map.put("max-fails", upstream.maxFails());
		}
		if (!upstream.failTimeout().equals(Upstream.DEFAULT_FAIL_TIMEOUT)) {
			map.put("fail-timeout", format(upstream.failTimeout()));
		}
		if (upstream.health() != null) {
			map.put("health", writeHealth(upstream.health()));
		}
		if (upstream.hash() != null) {
			map.put("hash", upstream.hash().toString());
		}
		if (upstream.retries() != Upstream.DEFAULT_RETRIES) {
			map.put("retries", upstream.retries());
		}
		if (!upstream.retryTimeout().equals(Upstream.DEFAULT_RETRY_TIMEOUT)) {
			map.put("retry-timeout", format(upstream.retryTimeout()));
		}
		Map<String, Object> timeouts = writeTimeouts(upstream.timeouts());
		if (!timeouts.isEmpty()) {
			map.put("timeouts", timeouts);
		}
		Map<String, Object> tls = new LinkedHashMap<>();
		if (!upstream.tls().verify()) {
			tls.put("verify", false);
		}
		if (upstream.tls().caFile() != null) {
			tls.put("ca-file", upstream.tls().caFile());
		}
		if (upstream.tls().serverName() != null) {
			tls.put("server-name", upstream.tls().serverName());
		}
		if (!tls.isEmpty()) {
			map.put("tls", tls);
		}
		return map;
	}

	/**
	 * The named upstream a location's {@code proxy:} block references.
	 * @param location the location
	 * @return the upstream's name, or {@code null} when the location has no proxy block
	 * or lists its servers inline
	 */
	public static @Nullable String upstreamOf(Location location) {
		if (!(location.setting(BLOCK) instanceof Map<?, ?> block)) {
			return null;
		}
		return (block.get(UPSTREAM) instanceof String name) ? name : null;
	}

	/**
	 * A location as the data plane gets it: the definition of the upstream it names
	 * written into its block under {@value #DEFINITION}, so that a changed upstream
	 * reaches the data plane with the next table.
	 * @param location the stored location
	 * @param upstreams the named upstreams
	 * @return the location, the same instance when it names no upstream or one that is
	 * not in {@code upstreams} (the plugin then refuses the table, naming the field)
	 */
	public static Location resolve(Location location, Map<String, Upstream> upstreams) {
		String name = upstreamOf(location);
		Upstream upstream = (name != null) ? upstreams.get(name) : null;
		if (upstream == null) {
			return location;
		}
		Map<String, Object> block = new LinkedHashMap<>();
		((Map<?, ?>) location.setting(BLOCK)).forEach((key, value) -> block.put(String.valueOf(key), value));
		block.put(DEFINITION, write(upstream));
		Map<String, Object> settings = new LinkedHashMap<>(location.settings());
		settings.put(BLOCK, block);
		return new Location(location.path(), location.match(), settings);
	}

	/**
	 * Read a duration: a number of seconds, or a number with {@code ms}, {@code s},
	 * {@code m}, {@code h} or {@code d}.
	 * @param field the field for messages
	 * @param raw the value
	 * @param fallback the value when {@code raw} is {@code null}
	 * @return the duration
	 */
	public static Duration duration(String field, @Nullable Object raw, Duration fallback) {
		if (raw == null) {
			return fallback;
		}
		if (raw instanceof Duration duration) {
			return duration;
		}
		if (raw instanceof Integer || raw instanceof Long) {
			return Duration.ofSeconds(((Number) raw).longValue());
		}
		String text = String.valueOf(raw).trim();
		int digits = 0;
		while (digits < text.length() && Character.isDigit(text.charAt(digits))) {
			digits++;
		}
		String unit = text.substring(digits);
		if (digits == 0 || digits > 9) {
			throw new IllegalArgumentException(field + ": '" + raw + "' (expected: a duration such as 500ms, 10s, 5m)");
		}
		long amount = Long.parseLong(text.substring(0, digits));
		return switch (unit) {
			case "ms" -> Duration.ofMillis(amount);
			case "", "s" -> Duration.ofSeconds(amount);
			case "m" -> Duration.ofMinutes(amount);
			case "h" -> Duration.ofHours(amount);
			case "d" -> Duration.ofDays(amount);
			default -> throw new IllegalArgumentException(
					field + ": '" + raw + "' (expected: a duration such as 500ms, 10s, 5m)");
		};
	}

	/**
	 * Write a duration in the largest whole unit.
	 * @param duration the duration
	 * @return such as {@code 10s}, {@code 1500ms}, {@code 5m}
	 */
	public static String format(Duration duration) {
		long millis = duration.toMillis();
		if (millis % 86_400_000 == 0) {
			return (millis / 86_400_000) + "d";
		}
		if (millis % 3_600_000 == 0) {
			return (millis / 3_600_000) + "h";
		}
		if (millis % 60_000 == 0) {
			return (millis / 60_000) + "m";
		}
		if (millis % 1000 == 0) {
			return (millis / 1000) + "s";
		}
		return millis + "ms";
	}

	private static List<UpstreamServer> servers(String field, @Nullable Object raw) {
		if (!(raw instanceof List<?> list) || list.isEmpty()) {
			throw new IllegalArgumentException(field + ": " + describe(raw)
					+ " (expected: a non-empty list of URLs or {url, weight, backup, drain})");
		}
		if (list.size() > Upstream.MAX_SERVERS) {
			throw new IllegalArgumentException(
					field + ": " + list.size() + " servers (expected: at most " + Upstream.MAX_SERVERS + ")");
		}
		List<UpstreamServer> servers = new ArrayList<>(list.size());
		for (int i = 0; i < list.size(); i++) {
			servers.add(server(field + "[" + i + "]", list.get(i)));
		}
		return servers;
	}

	private static UpstreamServer server(String field, @Nullable Object raw) {
		Map<?, ?> map = (raw instanceof Map<?, ?> block) ? block : null;
		Object url = (map != null) ? map.get("url") : raw;
		if (map != null) {
			checkKeys(field, map, SERVER_KEYS);
		}
		if (!(url instanceof String text)) {
			throw new IllegalArgumentException(
					field + ".url: " + describe(url) + " (expected: a URL such as http://127.0.0.1:9001)");
		}
		URI uri;
		try {
			uri = new URI(text.trim());
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException(field + ".url: '" + text + "' is not a URL (" + ex.getReason() + ")");
		}
		String problem = UpstreamServer.urlProblem(uri);
		if (problem != null) {
			throw new IllegalArgumentException(field + ".url: '" + text + "' " + problem);
		}
		int weight = (map != null) ? integer(field + ".weight", map.get("weight"), UpstreamServer.DEFAULT_WEIGHT)
				: UpstreamServer.DEFAULT_WEIGHT;
		boolean backup = (map != null) && bool(field + ".backup", map.get("backup"), false);
		boolean drain = (map != null) && bool(field + ".drain", map.get("drain"), false);
		try {
			// the canonical URL: no trailing slash, so that state keys match
			String canonical = uri.toString().endsWith("/") ? uri.toString().substring(0, uri.toString().length() - 1)
					: uri.toString();
			return new UpstreamServer(URI.create(canonical), weight, backup, drain);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(field + "." + ex.getMessage(), ex);
		}
	}

	private static Object writeServer(UpstreamServer server) {
		if (server.weight() == UpstreamServer.DEFAULT_WEIGHT && !server.backup() && !server.drain()) {
			return server.url().toString();
		}
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("url", server.url().toString());
		if (server.weight() != UpstreamServer.DEFAULT_WEIGHT) {
			map.put("weight", server.weight());
		}
		if (server.backup()) {
			map.put("backup", true);
		}
		if (server.drain()) {
			map.put("drain", true);
		}
		return map;
	}

	private static @Nullable HealthCheck health(String field, @Nullable Object raw) {
		if (raw == null) {
			return null;
		}
		if (!(raw instanceof Map<?, ?> map)) {
			throw new IllegalArgumentException(
					field + ": " + describe(raw) + " (expected: a map: path, interval, timeout, expect, rise, fall)");
		}
		checkKeys(field, map, HEALTH_KEYS);
		if (!(map.get("path") instanceof String path)) {
			throw new IllegalArgumentException(field + ".path: " + describe(map.get("path")) + " (expected: a path)");
		}
		Duration interval = duration(field + ".interval", map.get("interval"), HealthCheck.DEFAULT_INTERVAL);
		Duration timeout = duration(field + ".timeout", map.get("timeout"),
				(HealthCheck.DEFAULT_TIMEOUT.compareTo(interval) < 0) ? HealthCheck.DEFAULT_TIMEOUT : interval);
		HealthCheck.StatusRange expect = HealthCheck.DEFAULT_EXPECT;
		try {
			if (map.get("expect") != null) {
				expect = HealthCheck.StatusRange.parse(String.valueOf(map.get("expect")));
			}
			return new HealthCheck(path, interval, timeout, expect,
					integer(field + ".rise", map.get("rise"), HealthCheck.DEFAULT_RISE),
					integer(field + ".fall", map.get("fall"), HealthCheck.DEFAULT_FALL));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(
					ex.getMessage().startsWith(field) ? ex.getMessage() : field + "." + ex.getMessage(), ex);
		}
	}

	private static Map<String, Object> writeHealth(HealthCheck health) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("path", health.path());
		if (!health.interval().equals(HealthCheck.DEFAULT_INTERVAL)) {
			map.put("interval", format(health.interval()));
		}
		if (!health.timeout().equals(HealthCheck.DEFAULT_TIMEOUT)) {
			map.put("timeout", format(health.timeout()));
		}
		if (!health.expect().equals(HealthCheck.DEFAULT_EXPECT)) {
			map.put("expect", health.expect().toString());
		}
		if (health.rise() != HealthCheck.DEFAULT_RISE) {
			map.put("rise", health.rise());
		}
		if (health.fall() != HealthCheck.DEFAULT_FALL) {
			map.put("fall", health.fall());
		}
		return map;
	}

	private static Timeouts timeouts(String field, @Nullable Object raw) {
		if (raw == null) {
			return Timeouts.DEFAULTS;
		}
		if (!(raw instanceof Map<?, ?> map)) {
			throw new IllegalArgumentException(field + ": " + describe(raw)
					+ " (expected: a map: connect, first-byte, idle, total, upgrade-idle)");
		}
		checkKeys(field, map, TIMEOUT_KEYS);
		Timeouts d = Timeouts.DEFAULTS;
		try {
			return new Timeouts(duration(field + ".connect", map.get("connect"), d.connect()),
					duration(field + ".first-byte", map.get("first-byte"), d.firstByte()),
					duration(field + ".idle", map.get("idle"), d.idle()),
					duration(field + ".total", map.get("total"), d.total()),
					duration(field + ".upgrade-idle", map.get("upgrade-idle"), d.upgradeIdle()));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(
					ex.getMessage().startsWith(field) ? ex.getMessage() : field + "." + ex.getMessage(), ex);
		}
	}

	private static Map<String, Object> writeTimeouts(Timeouts timeouts) {
		Map<String, Object> map = new LinkedHashMap<>();
		Timeouts d = Timeouts.DEFAULTS;
		putIfChanged(map, "connect", timeouts.connect(), d.connect());
		putIfChanged(map, "first-byte", timeouts.firstByte(), d.firstByte());
		putIfChanged(map, "idle", timeouts.idle(), d.idle());
		putIfChanged(map, "total", timeouts.total(), d.total());
		putIfChanged(map, "upgrade-idle", timeouts.upgradeIdle(), d.upgradeIdle());
		return map;
	}

	private static void putIfChanged(Map<String, Object> map, String key, Duration value, Duration fallback) {
		if (!value.equals(fallback)) {
			map.put(key, format(value));
		}
	}

	private static UpstreamTls tls(String field, @Nullable Object raw) {
		if (raw == null) {
			return UpstreamTls.DEFAULTS;
		}
		if (!(raw instanceof Map<?, ?> map)) {
			throw new IllegalArgumentException(
					field + ": " + describe(raw) + " (expected: a map: verify, ca-file, server-name)");
		}
		checkKeys(field, map, TLS_KEYS);
		boolean verify = bool(field + ".verify", map.get("verify"), true);
		String caFile = optionalString(field + ".ca-file", map.get("ca-file"));
		String serverName = optionalString(field + ".server-name", map.get("server-name"));
		return new UpstreamTls(verify, caFile, serverName);
	}

	private static @Nullable String optionalString(String field, @Nullable Object raw) {
		if (raw == null) {
			return null;
		}
		if (!(raw instanceof String text) || text.isBlank()) {
			throw new IllegalArgumentException(field + ": " + describe(raw) + " (expected: a non-empty string)");
		}
		return text;
	}

	private static void checkKeys(String field, Map<?, ?> map, Set<String> known) {
		for (Object key : map.keySet()) {
			if (!known.contains(key)) {
				throw new IllegalArgumentException(field + "." + key + ": unknown key (expected: "
						+ String.join(", ", new TreeSet<>(known)) + ")");
			}
		}
	}

	private static int integer(String field, @Nullable Object raw, int fallback) {
		if (raw == null) {
			return fallback;
		}
		if (raw instanceof Integer number) {
			return number;
		}
		if (raw instanceof String text) {
			try {
				return Integer.parseInt(text.trim());
			}
			catch (NumberFormatException ex) {
				// reported below
			}
		}
		throw new IllegalArgumentException(field + ": " + describe(raw) + " (expected: a whole number)");
	}

	/**
	 * Read a boolean.
	 * @param field the field for messages
	 * @param raw the value
	 * @param fallback the value when {@code raw} is {@code null}
	 * @return the boolean
	 */
	public static boolean bool(String field, @Nullable Object raw, boolean fallback) {
		if (raw == null) {
			return fallback;
		}
		if (raw instanceof Boolean value) {
			return value;
		}
		if ("true".equals(raw) || "false".equals(raw)) {
			return Boolean.parseBoolean((String) raw);
		}
		throw new IllegalArgumentException(field + ": " + describe(raw) + " (expected: true or false)");
	}

	private static String describe(@Nullable Object raw) {
		return (raw == null) ? "missing" : "'" + raw + "'";
	}

}
