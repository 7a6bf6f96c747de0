package dev.capuchin.app.monkey;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.capuchin.app.shared.config.InvalidConfigurationException;
import dev.capuchin.plugin.proxy.BalancerKind;
import dev.capuchin.plugin.proxy.Upstream;
import dev.capuchin.plugin.proxy.Upstreams;

/**
 * Maps the proxy_reverse plugin's {@code proxy_reverse.conf} to upstreams and locations:
 * each {@code [PROXY_ENTRY]} becomes an upstream named {@code proxy-reverse-N} (its
 * {@code ServerList} and {@code LoadBalancer}, or those of {@code [PROXY_DEFAULTS]};
 * {@code AttemptsCount} as {@code max-fails} and {@code OfflineTimeOut} as
 * {@code fail-timeout}) and one regex location on every imported site whose expression is
 * the entry's {@code Match} lines, read as Monkey reads them: spaces are alternatives,
 * case is ignored, the expression is found anywhere in the path. The plugin applied to
 * every virtual host, so every imported site gets the locations, after its own.
 */
final class MonkeyProxyMapper {

	static final String FILE = "plugins/proxy_reverse/proxy_reverse.conf";

	/** The name of the upstream of the N-th entry, 1-based. */
	static final String NAME_PREFIX = "proxy-reverse-";

	private MonkeyProxyMapper() {
	}

	static Mapped map(Path dir, List<ReportLine> report) {
		Path path = dir.resolve(FILE);
		if (!Files.isRegularFile(path)) {
			return new Mapped(List.of(), List.of(), List.of());
		}
		MonkeyConfigFile file = MonkeyConfigParser.read(path, FILE);
		Settings defaults = new Settings();
		for (MonkeyConfigFile.Section section : file.sections("PROXY_DEFAULTS")) {
			read(file, section, defaults, report, true);
		}
		List<Upstream> upstreams = new ArrayList<>();
		List<Map<String, Object>> locations = new ArrayList<>();
		List<Origin> origins = new ArrayList<>();
		for (MonkeyConfigFile.Section section : file.sections()) {
			if (section.is("PROXY_DEFAULTS")) {
				continue;
			}
			if (!section.is("PROXY_ENTRY")) {
				for (MonkeyConfigFile.Entry entry : section.entries()) {
					report.add(ReportLine.notMapped(file, section, entry,
							"proxy_reverse reads only [PROXY_DEFAULTS] and [PROXY_ENTRY]"));
				}
				continue;
			}
			Settings settings = defaults.copy();
			List<String> matches = read(file, section, settings, report, false);
			String name = NAME_PREFIX + (upstreams.size() + 1);
			String where = file.name() + ":" + section.line() + " " + section.label();
			if (settings.servers.isEmpty()) {
				throw new InvalidConfigurationException(where + ": no ServerList, here or in [PROXY_DEFAULTS]");
			}
			if (matches.isEmpty()) {
				throw new InvalidConfigurationException(where + ": no Match (expected: at least one expression)");
			}
			Map<String, Object> block = new LinkedHashMap<>();
			block.put("name", name);
			block.put("balancer", settings.balancer.key());
			block.put("servers", settings.servers.stream().map((url) -> Map.of("url", url)).toList());
			if (settings.attempts != null) {
				block.put("max-fails", settings.attempts);
			}
			if (settings.offline != null) {
				if (settings.offline == 0) {
					// Monkey: 0 turns high availability off, a failing server is never
					// taken out
					block.put("max-fails", 0);
				}
				else {
					block.put("fail-timeout", settings.offline + "s");
				}
			}
			try {
				upstreams.add(Upstreams.parse("upstreams[" + name + "]", block));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidConfigurationException(where + ": " + ex.getMessage());
			}
			String expression = expression(matches);
			try {
				Pattern.compile(expression);
			}
			catch (PatternSyntaxException ex) {
				throw new InvalidConfigurationException(
						where + " Match: '" + expression + "' is not a valid expression: " + ex.getDescription());
			}
			Map<String, Object> location = new LinkedHashMap<>();
			location.put("match", expression);
			location.put(Upstreams.BLOCK, Map.of(Upstreams.UPSTREAM, name));
			locations.add(location);
			origins.add(Origin.of(file, section));
		}
		if (upstreams.isEmpty()) {
			report.add(ReportLine.note(FILE + ": no [PROXY_ENTRY], nothing to proxy"));
		}
		return new Mapped(upstreams, locations, origins);
	}

	/**
	 * Read a section's keys into the settings; the {@code Match} values of an entry are
	 * returned.
	 */
	private static List<String> read(MonkeyConfigFile file, MonkeyConfigFile.Section section, Settings settings,
			List<ReportLine> report, boolean defaults) {
		List<String> matches = new ArrayList<>();
		String scope = defaults ? "every entry" : "this entry's upstream";
		for (MonkeyConfigFile.Entry entry : section.entries()) {
			String key = entry.key().toLowerCase(Locale.ROOT);
			String value = entry.value().strip();
			switch (key) {
				case "serverlist" -> {
					settings.servers = servers(file, entry);
					report.add(ReportLine.mapped(file, section, entry,
							"servers of " + scope + ": " + String.join(", ", settings.servers)));
				}
				case "loadbalancer" -> {
					BalancerKind kind = balancer(value);
					settings.balancer = (kind != null) ? kind : BalancerKind.ROUND_ROBIN;
					report.add(ReportLine.mapped(file, section, entry,
							"balancer of " + scope + ": " + settings.balancer.key() + ((kind != null) ? ""
									: " ('" + value + "' is no balancer Monkey knows; it used round robin too)")));
				}
				case "attemptscount" -> {
					settings.attempts = number(file, entry);
					report.add(ReportLine.mapped(file, section, entry,
							"max-fails of " + scope + ": " + settings.attempts + " failures within fail-timeout"));
				}
				case "offlinetimeout" -> {
					settings.offline = number(file, entry);
					report.add(ReportLine.mapped(file, section, entry,
							(settings.offline == 0)
									? "max-fails 0 of " + scope
											+ " (0 turns taking failing servers out off, as in Monkey)"
									: "fail-timeout of " + scope + ": " + settings.offline + "s"));
				}
				case "match" -> {
					if (defaults) {
						report.add(ReportLine.notMapped(file, section, entry,
								"Match belongs in a [PROXY_ENTRY]; Monkey ignores it here"));
					}
					else {
						matches.add(value);
						report.add(ReportLine.mapped(file, section, entry,
								"a regex location of every imported site (case ignored, spaces are alternatives)"));
					}
				}
				case "statisticsurl" -> report.add(ReportLine.notMapped(file, section, entry,
						"the console's Proxy page, GET /api/upstreams and /actuator/capuchin show each server's state"));
				default -> report.add(ReportLine.notMapped(file, section, entry, "not a proxy_reverse key"));
			}
		}
		return matches;
	}

	/**
	 * Monkey's balancer names, compared regardless of case; {@code FirstAlive} and
	 * {@code First-Alive} alike (Monkey's sample file lists the one and reads the other).
	 */
	static BalancerKind balancer(String name) {
		return switch (name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "")) {
			case "naive" -> BalancerKind.NAIVE;
			case "firstalive" -> BalancerKind.FIRST_ALIVE;
			case "roundrobin" -> BalancerKind.ROUND_ROBIN;
			case "lockingroundrobin" -> BalancerKind.LOCKING_ROUND_ROBIN;
			case "leastconnections" -> BalancerKind.LEAST_CONNECTIONS;
			case "sourcehash" -> BalancerKind.SOURCE_HASH;
			default -> null;
		};
	}

	/** Monkey's {@code host:port} list, separated by spaces. */
	private static List<String> servers(MonkeyConfigFile file, MonkeyConfigFile.Entry entry) {
		List<String> servers = new ArrayList<>();
		for (String server : entry.value().strip().split("\\s+")) {
			int colon = server.lastIndexOf(':');
			if (colon <= 0 || colon == server.length() - 1 || !server.substring(colon + 1).matches("[0-9]{1,5}")) {
				throw MonkeyConfigParser.refused(file.name(), entry.line(),
						"ServerList: '" + server + "' (expected: host:port, separated by spaces)");
			}
			servers.add("http://" + server);
		}
		return servers;
	}

	private static int number(MonkeyConfigFile file, MonkeyConfigFile.Entry entry) {
		try {
			int value = Integer.parseInt(entry.value().strip());
			// Monkey reads a negative value as 0
			return Math.max(value, 0);
		}
		catch (NumberFormatException ex) {
			throw MonkeyConfigParser.refused(file.name(), entry.line(),
					entry.key() + ": '" + entry.value().strip() + "' (expected: a whole number)");
		}
	}

	/**
	 * Monkey compiles each {@code Match} value as a POSIX extended expression with its
	 * spaces turned into alternatives, ignoring case; the entry matches when any of its
	 * expressions is found in the URL.
	 */
	static String expression(List<String> matches) {
		if (matches.size() == 1) {
			return "(?i)" + matches.get(0).replaceAll("\\s+", "|");
		}
		StringBuilder expression = new StringBuilder("(?i)");
		for (int i = 0; i < matches.size(); i++) {
			if (i > 0) {
				expression.append('|');
			}
			expression.append("(?:").append(matches.get(i).replaceAll("\\s+", "|")).append(')');
		}
		return expression.toString();
	}

	/**
	 * What {@code proxy_reverse.conf} became.
	 *
	 * @param upstreams an upstream per entry
	 * @param locations a location per entry, for every imported site
	 * @param origins where each location came from
	 */
	record Mapped(List<Upstream> upstreams, List<Map<String, Object>> locations, List<Origin> origins) {

		Mapped {
			upstreams = List.copyOf(upstreams);
			locations = List.copyOf(locations);
			origins = List.copyOf(origins);
		}

	}

	private static final class Settings {

		private List<String> servers = List.of();

		private BalancerKind balancer = Upstream.DEFAULT_BALANCER;

		private Integer attempts;

		private Integer offline;

		Settings copy() {
			Settings copy = new Settings();
			copy.servers = this.servers;
			copy.balancer = this.balancer;
			copy.attempts = this.attempts;
			copy.offline = this.offline;
			return copy;
		}

	}

}
