package dev.capuchin.app.monkey;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.capuchin.plugin.logger.LogKind;
import dev.capuchin.plugin.logger.LoggerPlugin;
import dev.capuchin.app.shared.config.InvalidConfigurationException;

/**
 * Maps one of Monkey's site files ({@code sites/*}) to the keys of a Capuchin site file:
 * {@code [HOST]} to names and document root, {@code [ERROR_PAGES]} to error pages,
 * {@code [LOGGER]} to the logger plugin's block, every {@code [AUTH]} section to a
 * location with an {@code auth:} block, and {@code [CGI]} (and the older
 * {@code [HANDLERS]}) rules to locations with a {@code cgi:} block, after the
 * {@code [AUTH]} ones so that a protected path stays protected. Paths are made absolute
 * against the configuration directory. Each key becomes a report line; what cannot be
 * served is refused with its line.
 */
final class MonkeySiteMapper {

	private final Path directory;

	private final List<ReportLine> report;

	MonkeySiteMapper(Path directory, List<ReportLine> report) {
		this.directory = directory;
		this.report = report;
	}

	/**
	 * Map a site file.
	 * @param file the parsed file
	 * @param name the Capuchin site name
	 * @param isDefault whether it is Monkey's default host
	 * @return the site's keys and where each came from
	 */
	MappedSite map(MonkeyConfigFile file, String name, boolean isDefault) {
		Map<String, Object> keys = new LinkedHashMap<>();
		Map<String, Origin> origins = new LinkedHashMap<>();
		keys.put("name", name);
		List<MonkeyConfigFile.Section> hosts = file.sections("HOST");
		if (hosts.isEmpty()) {
			throw new InvalidConfigurationException(file.name() + ": no [HOST] section (expected: a Monkey site file)");
		}
		List<Map<String, Object>> locations = new ArrayList<>();
		List<MonkeyHandlerMapper.Mapped> handlers = new ArrayList<>();
		for (MonkeyConfigFile.Section section : file.sections()) {
			String kind = section.name().toUpperCase(Locale.ROOT);
			if (section == hosts.get(0)) {
				host(file, section, keys, origins);
			}
			else if (kind.equals("ERROR_PAGES")) {
				errorPages(file, section, keys, origins);
			}
			else if (kind.equals("LOGGER")) {
				logger(file, section, keys, origins);
			}
			else if (kind.equals("AUTH")) {
				origins.put("locations[" + locations.size() + "]", Origin.of(file, section));
				locations.add(auth(file, section));
			}
			else if (kind.equals("CGI")) {
				handlers.addAll(MonkeyHandlerMapper.cgi(file, section, this.report, ""));
			}
			else if (kind.equals("HANDLERS")) {
				handlers.addAll(handlers(file, section));
			}
			else if (kind.equals("FASTCGI")) {
				notImported(file, section, "Monkey's FastCGI plugin reads only plugins/fastcgi/fastcgi.conf");
			}
			else {
				notImported(file, section, kind.equals("HOST") ? "Monkey reads only the first [HOST] section"
						: "Capuchin does not import this section");
			}
		}
		keys.put("default", isDefault);
		for (MonkeyHandlerMapper.Mapped handler : handlers) {
			origins.put("locations[" + locations.size() + "]", handler.origin());
			locations.add(handler.keys());
		}
		if (!locations.isEmpty()) {
			keys.put("locations", locations);
		}
		return new MappedSite(name, file.name(), keys, origins);
	}

	private void host(MonkeyConfigFile file, MonkeyConfigFile.Section section, Map<String, Object> keys,
			Map<String, Origin> origins) {
		List<String> names = new ArrayList<>();
		MonkeyConfigFile.Entry root = null;
		for (MonkeyConfigFile.Entry entry : section.entries()) {
			if (entry.is("ServerName")) {
				List<String> values = List.of(entry.value().toLowerCase(Locale.ROOT).split("[ \t]+"));
				values.stream().filter((value) -> !names.contains(value)).forEach(names::add);
				origins.putIfAbsent("server-names", Origin.of(file, section, entry));
				this.report.add(ReportLine.mapped(file, section, entry, "server-names: " + values));
			}
			else if (entry.is("DocumentRoot") && root == null) {
				root = entry;
				Path path = this.directory.resolve(entry.value()).normalize();
				if (!Files.isDirectory(path) || !Files.isReadable(path)) {
					throw MonkeyConfigParser.refused(file.name(), entry.line(),
							"[HOST] DocumentRoot: " + path + " (expected: a readable directory)");
				}
				keys.put("document-root", path.toString());
				origins.put("document-root", Origin.of(file, section, entry));
				this.report.add(ReportLine.mapped(file, section, entry, "document-root: " + path));
			}
			else if (entry.is("DocumentRoot")) {
				this.report.add(ReportLine.notMapped(file, section, entry,
						"DocumentRoot is given at line " + root.line() + "; Monkey reads the first"));
			}
			else if (entry.is("Redirect")) {
				this.report.add(ReportLine.notMapped(file, section, entry,
						"Capuchin has no redirect of a whole host; serve it from another server or a proxy"));
			}
			else {
				this.report.add(ReportLine.notMapped(file, section, entry, "not a key of Monkey's [HOST]"));
			}
		}
		if (names.isEmpty()) {
			throw MonkeyConfigParser.refused(file.name(), section.line(),
					"[HOST]: no ServerName (expected: ServerName with one or more host names)");
		}
		if (root == null) {
			throw MonkeyConfigParser.refused(file.name(), section.line(),
					"[HOST]: no DocumentRoot (expected: DocumentRoot with a directory)");
		}
		keys.put("server-names", names);
	}

	private void errorPages(MonkeyConfigFile file, MonkeyConfigFile.Section section, Map<String, Object> keys,
			Map<String, Origin> origins) {
		@SuppressWarnings("unchecked")
		Map<Integer, String> pages = (Map<Integer, String>) keys.computeIfAbsent("error-pages",
				(key) -> new LinkedHashMap<Integer, String>());
		for (MonkeyConfigFile.Entry entry : section.entries()) {
			int status = entry.key().matches("[0-9]{3}") ? Integer.parseInt(entry.key()) : -1;
			if (status < 400 || status > 599) {
				throw MonkeyConfigParser.refused(file.name(), entry.line(),
						"[ERROR_PAGES] '" + entry.key() + "' (expected: a status 400..599 and a page)");
			}
			// Monkey joins the page to the document root: "404.html" and "/404.html"
			// alike
			String page = "/" + entry.value().replaceFirst("^/+", "");
			pages.put(status, page);
			origins.putIfAbsent("error-pages", Origin.of(file, section, entry));
			this.report.add(ReportLine.mapped(file, section, entry, "error-pages." + status + ": " + page));
		}
	}

	private void logger(MonkeyConfigFile file, MonkeyConfigFile.Section section, Map<String, Object> keys,
			Map<String, Origin> origins) {
		@SuppressWarnings("unchecked")
		Map<String, Object> block = (Map<String, Object>) keys.computeIfAbsent(LoggerPlugin.NAME,
				(key) -> new LinkedHashMap<String, Object>());
		for (MonkeyConfigFile.Entry entry : section.entries()) {
			String key = entry.is("AccessLog") ? LogKind.ACCESS.key()
					: entry.is("ErrorLog") ? LogKind.ERROR.key() : null;
			if (key == null) {
				this.report.add(ReportLine.notMapped(file, section, entry, "not a key of Monkey's site [LOGGER]"));
				continue;
			}
			String path = this.directory.resolve(entry.value()).normalize().toString();
			block.put(key, path);
			origins.putIfAbsent(LoggerPlugin.NAME, Origin.of(file, section, entry));
			this.report.add(ReportLine.mapped(file, section, entry, LoggerPlugin.NAME + "." + key + ": " + path
					+ " (lines in capuchin.plugins.logger.format, combined unless set)"));
		}
		if (block.isEmpty()) {
			keys.remove(LoggerPlugin.NAME);
		}
	}

	private Map<String, Object> auth(MonkeyConfigFile file, MonkeyConfigFile.Section section) {
		MonkeyConfigFile.Entry location = first(section, "Location");
		MonkeyConfigFile.Entry title = first(section, "Title");
		MonkeyConfigFile.Entry users = first(section, "Users");
		if (location == null || users == null) {
			throw MonkeyConfigParser.refused(file.name(), section.line(), "[AUTH]: "
					+ ((location == null) ? "no Location" : "no Users") + " (expected: Location, Title and Users)");
		}
		if (!location.value().startsWith("/")) {
			throw MonkeyConfigParser.refused(file.name(), location.line(),
					"[AUTH] Location: '" + location.value() + "' (expected: a path starting with /)");
		}
		Path usersFile = this.directory.resolve(users.value()).normalize();
		if (!Files.isRegularFile(usersFile) || !Files.isReadable(usersFile)) {
			throw MonkeyConfigParser.refused(file.name(), users.line(),
					"[AUTH] Users: " + usersFile + " (expected: a readable users file made with mk_passwd)");
		}
		Map<String, Object> auth = new LinkedHashMap<>();
		if (title != null) {
			auth.put("realm", title.value().replaceAll("^\"(.*)\"$", "$1"));
		}
		auth.put("users-file", usersFile.toString());
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("path", location.value());
		result.put("auth", auth);
		for (MonkeyConfigFile.Entry entry : section.entries()) {
			if (entry == location) {
				this.report.add(ReportLine.mapped(file, section, entry, "a location with path: " + location.value()));
			}
			else if (entry == title) {
				this.report.add(ReportLine.mapped(file, section, entry, "its auth.realm: " + auth.get("realm")));
			}
			else if (entry == users) {
				this.report.add(ReportLine.mapped(file, section, entry,
						"its auth.users-file: " + usersFile + " ({SHA} hashes of mk_passwd are accepted)"));
			}
			else {
				this.report.add(ReportLine.notMapped(file, section, entry,
						entry.is("Location") || entry.is("Title") || entry.is("Users")
								? "given again; Monkey reads the first" : "not a key of Monkey's [AUTH]"));
			}
		}
		return result;
	}

	/** Older Monkey's {@code Match REGEX HANDLER}: the {@code cgi} handler maps. */
	private List<MonkeyHandlerMapper.Mapped> handlers(MonkeyConfigFile file, MonkeyConfigFile.Section section) {
		List<MonkeyHandlerMapper.Mapped> mapped = new ArrayList<>();
		for (MonkeyConfigFile.Entry entry : section.entries()) {
			String[] words = entry.value().split("[ \t]+");
			if (entry.is("Match") && words.length == 2 && words[1].equalsIgnoreCase("cgi")) {
				MonkeyConfigFile.Entry rule = new MonkeyConfigFile.Entry(entry.key(), words[0], entry.line());
				mapped.addAll(MonkeyHandlerMapper.cgi(file,
						new MonkeyConfigFile.Section(section.name(), section.line(), List.of(rule)), this.report, ""));
			}
			else {
				this.report.add(ReportLine.notMapped(file, section, entry,
						"only Match REGEX cgi maps (to a cgi: location); FastCGI comes from"
								+ " plugins/fastcgi/fastcgi.conf"));
			}
		}
		return mapped;
	}

	private static MonkeyConfigFile.Entry first(MonkeyConfigFile.Section section, String key) {
		return section.entries().stream().filter((entry) -> entry.is(key)).findFirst().orElse(null);
	}

	private void notImported(MonkeyConfigFile file, MonkeyConfigFile.Section section, String reason) {
		if (section.entries().isEmpty()) {
			this.report.add(new ReportLine(file.name(), section.line(), section.label(), null, false, reason));
		}
		for (MonkeyConfigFile.Entry entry : section.entries()) {
			this.report.add(ReportLine.notMapped(file, section, entry, reason));
		}
	}

	/**
	 * A site file mapped to the keys of a Capuchin site file.
	 *
	 * @param name the site's name
	 * @param file the Monkey file it came from
	 * @param keys the site-file keys
	 * @param origins where each top-level key (and {@code locations[i]}) came from
	 */
	record MappedSite(String name, String file, Map<String, Object> keys, Map<String, Origin> origins) {
	}

}
