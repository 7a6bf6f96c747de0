package dev.capuchin.app.monkey;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.capuchin.plugin.logger.LoggerPlugin;
import dev.capuchin.app.shared.config.InvalidConfigurationException;

/**
 * Maps {@code monkey.conf}'s {@code [SERVER]} section (and the logger plugin's
 * {@code logger.conf}) to {@code capuchin.*} properties, which bind at start, and to the
 * values every imported site takes ({@code Indexfile}, {@code SymLink}, {@code FDT}).
 * Each key becomes a report line; a value Monkey itself would refuse is refused with its
 * line.
 */
final class MonkeyServerMapper {

	private final Map<String, Object> server = new LinkedHashMap<>();

	private final Map<String, Object> limits = new LinkedHashMap<>();

	private final List<Map<String, Object>> listeners = new ArrayList<>();

	private final Map<String, Object> logger = new LinkedHashMap<>();

	private final List<ReportLine> report = new ArrayList<>();

	private List<String> indexFiles;

	private Origin indexOrigin;

	private Boolean followSymlinks;

	private Boolean fdt;

	/**
	 * Map {@code monkey.conf}.
	 * @param file the parsed file
	 */
	void mapServer(MonkeyConfigFile file) {
		List<MonkeyConfigFile.Section> sections = file.sections("SERVER");
		if (sections.isEmpty()) {
			throw new InvalidConfigurationException(
					file.name() + ": no [SERVER] section (expected: Monkey's main configuration)");
		}
		boolean keepAliveOff = false;
		for (MonkeyConfigFile.Section section : file.sections()) {
			if (section != sections.get(0)) {
				notImported(file, section, section.is("SERVER") ? "Monkey reads only the first [SERVER] section"
						: "Monkey's server core does not read this section");
				continue;
			}
			for (MonkeyConfigFile.Entry entry : section.entries()) {
				if (entry.is("KeepAlive") && !flag(file, entry)) {
					keepAliveOff = true;
				}
			}
			for (MonkeyConfigFile.Entry entry : section.entries()) {
				mapServerKey(file, section, entry, keepAliveOff);
			}
		}
	}

	private void mapServerKey(MonkeyConfigFile file, MonkeyConfigFile.Section section, MonkeyConfigFile.Entry entry,
			boolean keepAliveOff) {
		String key = entry.key().toLowerCase(Locale.ROOT);
		switch (key) {
			case "listen" -> listen(file, section, entry);
			case "workers" -> {
				int workers = number(file, section, entry, Integer.MIN_VALUE, 1024);
				if (workers < 1) {
					this.report.add(ReportLine.mapped(file, section, entry,
							"nothing to set (" + workers + " is one worker per core, Capuchin's default too)"));
				}
				else {
					this.server.put("workers", workers);
					this.report.add(ReportLine.mapped(file, section, entry, "capuchin.server.workers: " + workers));
				}
			}
			case "timeout" ->
				limit(file, section, entry, "request-read-timeout", number(file, section, entry, 1, 86400) + "s");
			case "keepalive" -> {
				if (keepAliveOff) {
					limit(file, section, entry, "max-requests-per-connection", 1);
				}
				else {
					this.report
						.add(ReportLine.mapped(file, section, entry, "nothing to set (keep-alive is on in Capuchin)"));
				}
			}
			case "keepalivetimeout" ->
				limit(file, section, entry, "keep-alive-timeout", number(file, section, entry, 1, 86400) + "s");
			case "maxkeepaliverequest" -> {
				int requests = number(file, section, entry, 1, Integer.MAX_VALUE);
				if (keepAliveOff) {
					this.report.add(
							ReportLine.notMapped(file, section, entry, "KeepAlive is off: one request per connection"));
				}
				else {
					limit(file, section, entry, "max-requests-per-connection", requests);
				}
			}
			case "maxrequestsize" -> {
				String size = number(file, section, entry, 1, 1024 * 1024) + "KB";
				this.limits.put("max-header-size", size);
				this.limits.put("max-body-size", size);
				this.report.add(ReportLine.mapped(file, section, entry, "capuchin.server.limits.max-header-size and"
						+ " max-body-size: " + size + " (Monkey bounds the whole request, Capuchin each part)"));
			}
			case "fdlimit" ->
				limit(file, section, entry, "max-connections", number(file, section, entry, 1, Integer.MAX_VALUE));
			case "indexfile" -> {
				this.indexFiles = Arrays.asList(entry.value().split("[ \t]+"));
				this.indexOrigin = Origin.of(file, section, entry);
				this.report.add(ReportLine.mapped(file, section, entry,
						"index-files of every imported site: " + this.indexFiles));
			}
			case "symlink" -> {
				this.followSymlinks = flag(file, entry);
				this.report.add(ReportLine.mapped(file, section, entry,
						"follow-symlinks of every imported site: " + this.followSymlinks));
			}
			case "fdt" -> {
				this.fdt = flag(file, entry);
				this.report.add(ReportLine.mapped(file, section, entry, "fdt of every imported site: " + this.fdt));
			}
			case "resume" -> this.report.add(flag(file, entry)
					? ReportLine.mapped(file, section, entry, "nothing to set (byte ranges are always served)")
					: ReportLine.notMapped(file, section, entry, "Capuchin always serves byte ranges"));
			case "hideversion" -> this.report.add(flag(file, entry)
					? ReportLine.mapped(file, section, entry,
							"nothing to set (the Server header never names a version)")
					: ReportLine.notMapped(file, section, entry, "Capuchin's Server header never names a version"));
			case "transportlayer" -> this.report.add(entry.value().equalsIgnoreCase("liana")
					? ReportLine.mapped(file, section, entry, "nothing to set (plain TCP is the default)")
					: ReportLine.notMapped(file, section, entry,
							"for TLS set capuchin.server.listeners[N].tls.certificate and private-key"));
			case "user" ->
				this.report.add(ReportLine.notMapped(file, section, entry, "run Capuchin as the user you want"));
			case "pidfile" -> this.report.add(ReportLine.notMapped(file, section, entry,
					"Capuchin writes no pid file; let the service manager track the process"));
			case "userdir" -> this.report.add(ReportLine.notMapped(file, section, entry,
					"Capuchin serves no ~user directories; give each one a site or a location"));
			case "defaultmimetype" -> this.report.add(ReportLine.notMapped(file, section, entry,
					"unknown extensions are application/octet-stream in Capuchin"));
			case "overcapacity" -> this.report.add(ReportLine.notMapped(file, section, entry,
					"past capuchin.server.limits.max-connections Capuchin answers 503 and closes, like TooBusy"));
			default -> this.report
				.add(ReportLine.notMapped(file, section, entry, "not a key of Monkey's [SERVER] that Capuchin knows"));
		}
	}

	private void listen(MonkeyConfigFile file, MonkeyConfigFile.Section section, MonkeyConfigFile.Entry entry) {
		String[] words = entry.value().split("[ \t]+");
		String address = listenAddress(file, entry, words[0]);
		Map<String, Object> listener = new LinkedHashMap<>();
		listener.put("address", address);
		List<String> ignored = new ArrayList<>();
		for (int i = 1; i < words.length; i++) {
			if (words[i].equalsIgnoreCase("h2c")) {
				listener.put("http2", true);
			}
			else {
				ignored.add(words[i]);
			}
		}
		int index = this.listeners.size();
		this.listeners.add(listener);
		String target = "capuchin.server.listeners[" + index + "].address: " + address
				+ (listener.containsKey("http2") ? ", http2: true" : "") + " (binds at start)";
		this.report.add(ReportLine.mapped(file, section, entry, target));
		if (!ignored.isEmpty()) {
			this.report.add(ReportLine.notMapped(file, section, entry, "listener options " + ignored
					+ ": TLS needs capuchin.server.listeners[" + index + "].tls.certificate and private-key"));
		}
	}

	private static String listenAddress(MonkeyConfigFile file, MonkeyConfigFile.Entry entry, String value) {
		String host;
		String port;
		if (value.startsWith("[")) {
			int end = value.indexOf(']');
			if (end < 0 || end + 1 >= value.length() || value.charAt(end + 1) != ':') {
				throw invalidListen(file, entry);
			}
			host = value.substring(0, end + 1);
			port = value.substring(end + 2);
		}
		else if (value.contains(":")) {
			host = value.substring(0, value.lastIndexOf(':'));
			port = value.substring(value.lastIndexOf(':') + 1);
		}
		else {
			host = "0.0.0.0";
			port = value;
		}
		if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535
				|| !host.matches("\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+")) {
			throw invalidListen(file, entry);
		}
		return host + ":" + port;
	}

	private static InvalidConfigurationException invalidListen(MonkeyConfigFile file, MonkeyConfigFile.Entry entry) {
		return MonkeyConfigParser.refused(file.name(), entry.line(), "[SERVER] Listen: '" + entry.value()
				+ "' (expected: a port, address:port or [IPv6]:port, port 1..65535)");
	}

	/**
	 * Map the logger plugin's {@code logger.conf}.
	 * @param file the parsed file
	 */
	void mapLogger(MonkeyConfigFile file) {
		for (MonkeyConfigFile.Section section : file.sections()) {
			if (!section.is("LOGGER")) {
				notImported(file, section, "the logger plugin reads only [LOGGER]");
				continue;
			}
			for (MonkeyConfigFile.Entry entry : section.entries()) {
				if (entry.is("FlushTimeout")) {
					String interval = number(file, section, entry, 1, 86400) + "s";
					this.logger.put("flush-interval", interval);
					this.report.add(ReportLine.mapped(file, section, entry,
							"capuchin.plugins.logger.flush-interval: " + interval));
				}
				else if (entry.is("MasterLog")) {
					this.report.add(ReportLine.notMapped(file, section, entry,
							"Capuchin's own log goes where Spring Boot's logging.file.name says"));
				}
				else {
					this.report.add(ReportLine.notMapped(file, section, entry, "not a key of Monkey's logger plugin"));
				}
			}
		}
	}

	private void notImported(MonkeyConfigFile file, MonkeyConfigFile.Section section, String reason) {
		if (section.entries().isEmpty()) {
			this.report.add(new ReportLine(file.name(), section.line(), section.label(), null, false, reason));
		}
		for (MonkeyConfigFile.Entry entry : section.entries()) {
			this.report.add(ReportLine.notMapped(file, section, entry, reason));
		}
	}

	private void limit(MonkeyConfigFile file, MonkeyConfigFile.Section section, MonkeyConfigFile.Entry entry,
			String key, Object value) {
		this.limits.put(key, value);
		this.report.add(ReportLine.mapped(file, section, entry, "capuchin.server.limits." + key + ": " + value));
	}

	private static int number(MonkeyConfigFile file, MonkeyConfigFile.Section section, MonkeyConfigFile.Entry entry,
			int min, int max) {
		long value;
		try {
			value = Long.parseLong(entry.value());
		}
		catch (NumberFormatException ex) {
			value = Long.MIN_VALUE;
		}
		if (value < min || value > max) {
			throw MonkeyConfigParser.refused(file.name(), entry.line(),
					section.label() + " " + entry.key() + ": '" + entry.value() + "' (expected: a number "
							+ ((min == Integer.MIN_VALUE) ? "up to " + max : min + ".." + max) + ")");
		}
		return (int) value;
	}

	static boolean flag(MonkeyConfigFile file, MonkeyConfigFile.Entry entry) {
		// a value Monkey's MK_RCONF_BOOL reads: on or off, in any case
		if (entry.value().equalsIgnoreCase("on")) {
			return true;
		}
		if (entry.value().equalsIgnoreCase("off")) {
			return false;
		}
		throw MonkeyConfigParser.refused(file.name(), entry.line(),
				entry.key() + ": '" + entry.value() + "' (expected: on or off)");
	}

	/**
	 * The {@code capuchin.*} properties, nested as in {@code application.yml}; empty when
	 * nothing maps.
	 * @return the properties
	 */
	Map<String, Object> properties() {
		Map<String, Object> serverBlock = new LinkedHashMap<>();
		if (!this.listeners.isEmpty()) {
			serverBlock.put("listeners", this.listeners);
		}
		serverBlock.putAll(this.server);
		if (!this.limits.isEmpty()) {
			serverBlock.put("limits", this.limits);
		}
		Map<String, Object> capuchin = new LinkedHashMap<>();
		if (!serverBlock.isEmpty()) {
			capuchin.put("server", serverBlock);
		}
		if (!this.logger.isEmpty()) {
			capuchin.put("plugins", Map.of(LoggerPlugin.NAME, this.logger));
		}
		return capuchin.isEmpty() ? Map.of() : Map.of("capuchin", capuchin);
	}

	List<ReportLine> report() {
		return this.report;
	}

	List<String> indexFiles() {
		return this.indexFiles;
	}

	Origin indexOrigin() {
		return this.indexOrigin;
	}

	Boolean followSymlinks() {
		return this.followSymlinks;
	}

	Boolean fdt() {
		return this.fdt;
	}

}
