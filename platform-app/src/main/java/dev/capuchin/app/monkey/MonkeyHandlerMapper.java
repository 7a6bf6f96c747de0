package dev.capuchin.app.monkey;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.capuchin.app.sites.HandlerBlocks;

/**
 * Maps Monkey's CGI and FastCGI plugin configuration to {@code match} locations with
 * {@code cgi:} and {@code fastcgi:} blocks. {@code plugins/cgi/cgi.conf} and
 * {@code plugins/fastcgi/fastcgi.conf} apply to every host in Monkey, so their locations
 * go to every imported site; a site file's own {@code [CGI]} section (and the older
 * {@code [HANDLERS]} {@code Match REGEX cgi}) to that site. Each {@code Match} is an
 * extended regular expression that Monkey finds anywhere in the URL (CGI regardless of
 * case), as a Capuchin {@code match} is found anywhere in the path; its words are
 * alternatives.
 */
final class MonkeyHandlerMapper {

	static final String CGI_CONF = "plugins/cgi/cgi.conf";

	static final String FASTCGI_CONF = "plugins/fastcgi/fastcgi.conf";

	/**
	 * The extension at the end of an expression such as {@code .*\.py$} or
	 * {@code /*.php}.
	 */
	private static final Pattern EXTENSION = Pattern.compile("\\\\?\\.([A-Za-z0-9_]{1,16})\\)?\\$?$");

	/** What a regular expression has and an interpreter's path has not. */
	private static final Pattern REGEX_CHARACTERS = Pattern.compile("[*+?()\\[\\]{}|^$\\\\]");

	private MonkeyHandlerMapper() {
	}

	/**
	 * Read the plugins' files, where Monkey installs them.
	 * @param dir the configuration directory
	 * @param report the report to add to
	 * @return the locations every imported site takes, in Monkey's order (CGI, then
	 * FastCGI)
	 */
	static List<Mapped> map(Path dir, List<ReportLine> report) {
		List<Mapped> locations = new ArrayList<>();
		Path cgi = dir.resolve(CGI_CONF);
		if (Files.isRegularFile(cgi)) {
			MonkeyConfigFile file = MonkeyConfigParser.read(cgi, CGI_CONF);
			for (MonkeyConfigFile.Section section : file.sections()) {
				if (section.is("CGI")) {
					locations.addAll(cgi(file, section, report, "every imported site: "));
				}
				else {
					notMapped(file, section, report, "the CGI plugin reads only [CGI]");
				}
			}
		}
		else if (Files.isDirectory(cgi.getParent())) {
			report.add(ReportLine.note(CGI_CONF + ": not found, no CGI rules to import"));
		}
		Path fastcgi = dir.resolve(FASTCGI_CONF);
		if (Files.isRegularFile(fastcgi)) {
			locations.addAll(fastcgi(MonkeyConfigParser.read(fastcgi, FASTCGI_CONF), report));
		}
		else if (Files.isDirectory(fastcgi.getParent())) {
			report.add(ReportLine.note(FASTCGI_CONF + ": not found, no FastCGI locations to import"));
		}
		return locations;
	}

	/**
	 * Map a {@code [CGI]} section: every {@code Match REGEX [INTERPRETER [MIME-TYPE]]}
	 * becomes a location.
	 * @param file the file
	 * @param section the section
	 * @param report the report to add to
	 * @param where to whom the locations go, for the report
	 * @return the locations
	 */
	static List<Mapped> cgi(MonkeyConfigFile file, MonkeyConfigFile.Section section, List<ReportLine> report,
			String where) {
		List<Mapped> locations = new ArrayList<>();
		for (MonkeyConfigFile.Entry entry : section.entries()) {
			if (!entry.is("Match")) {
				report.add(ReportLine.notMapped(file, section, entry, "the CGI plugin reads only Match"));
				continue;
			}
			List<String> words = List.of(entry.value().split("[ \t]+"));
			// cgi.c reads "Match REGEX INTERPRETER MIME-TYPE"; the cgi.conf it ships with
			// lists
			// alternative expressions: a second word that is a path, not an expression,
			// is
			// the interpreter
			List<String> expressions = new ArrayList<>(words);
			String interpreter = null;
			String mime = null;
			if (words.size() > 1 && words.get(1).startsWith("/") && !REGEX_CHARACTERS.matcher(words.get(1)).find()) {
				interpreter = words.get(1);
				mime = (words.size() > 2) ? words.get(2) : null;
				expressions = List.of(words.get(0));
			}
			String match = "(?i)" + String.join("|", expressions);
			Map<String, String> interpreters = new LinkedHashMap<>();
			String detail = where + "a location with match: " + match + " and cgi: {}";
			if (interpreter != null) {
				Matcher extension = EXTENSION.matcher(words.get(0));
				if (extension.find()) {
					String ext = "." + extension.group(1).toLowerCase(Locale.ROOT);
					interpreters.put(ext, interpreter);
					detail = where + "a location with match: " + match + " and cgi.interpreters: {" + ext + ": "
							+ interpreter + "}";
				}
				else {
					detail += " (interpreter " + interpreter + " not mapped: Capuchin's interpreters are per"
							+ " extension and '" + words.get(0) + "' ends in none; the files must be executable)";
				}
			}
			if (mime != null) {
				detail += " (type " + mime + " not mapped: the script's Content-Type header is sent)";
			}
			report.add(ReportLine.mapped(file, section, entry, detail));
			locations.add(new Mapped(location(match, HandlerBlocks.CGI, HandlerBlocks.cgi(interpreters)),
					Origin.of(file, section, entry)));
		}
		return locations;
	}

	private static List<Mapped> fastcgi(MonkeyConfigFile file, List<ReportLine> report) {
		Map<String, String> servers = new LinkedHashMap<>();
		for (MonkeyConfigFile.Section section : file.sections("FASTCGI_SERVER")) {
			server(file, section, servers, report);
		}
		List<Mapped> locations = new ArrayList<>();
		for (MonkeyConfigFile.Section section : file.sections()) {
			if (section.is("FASTCGI_LOCATION")) {
				locations.add(location(file, section, servers, report));
			}
			else if (!section.is("FASTCGI_SERVER")) {
				notMapped(file, section, report,
						section.is("FASTCGI")
								? "the fastcgi plugin's own settings are capuchin.plugins.fastcgi.* properties"
								: "not a section of Monkey's fastcgi.conf");
			}
		}
		return locations;
	}

	private static void server(MonkeyConfigFile file, MonkeyConfigFile.Section section, Map<String, String> servers,
			List<ReportLine> report) {
		MonkeyConfigFile.Entry name = first(section, "ServerName");
		MonkeyConfigFile.Entry path = first(section, "ServerPath");
		MonkeyConfigFile.Entry addr = first(section, "ServerAddr");
		if (name == null || (path == null && addr == null)) {
			throw MonkeyConfigParser.refused(file.name(), section.line(),
					"[FASTCGI_SERVER]: " + ((name == null) ? "no ServerName" : "no ServerAddr or ServerPath")
							+ " (expected: ServerName and ServerAddr host:port or ServerPath /path/to/socket)");
		}
		if (addr != null && !addr.value().matches("[^\\s:]+:[0-9]{1,5}")) {
			throw MonkeyConfigParser.refused(file.name(), addr.line(),
					"[FASTCGI_SERVER] ServerAddr: '" + addr.value() + "' (expected: host:port)");
		}
		String pass = (path != null) ? "unix:" + path.value() : addr.value();
		servers.put(name.value(), pass);
		for (MonkeyConfigFile.Entry entry : section.entries()) {
			if (entry == name) {
				report.add(ReportLine.mapped(file, section, entry,
						"the fastcgi.pass " + pass + " of the locations that name " + name.value()));
			}
			else if (entry == path) {
				report.add(ReportLine.mapped(file, section, entry, "fastcgi.pass: " + pass));
			}
			else if (entry == addr) {
				report.add((path != null)
						? ReportLine.notMapped(file, section, entry, "ServerPath is given too; the socket is used")
						: ReportLine.mapped(file, section, entry, "fastcgi.pass: " + pass));
			}
			else if (entry.is("MaxConnections")) {
				report.add(ReportLine.notMapped(file, section, entry, "the fastcgi plugin pools and keeps alive"
						+ " connections per application server, up to its capuchin.plugins.fastcgi maximum"));
			}
			else if (entry.is("MaxRequests") || entry.is("Multiplexing")) {
				report.add(ReportLine.notMapped(file, section, entry,
						"the fastcgi plugin's block has no such setting; Monkey's own comments call it experimental"));
			}
			else {
				report.add(ReportLine.notMapped(file, section, entry,
						entry.is("ServerName") || entry.is("ServerPath") || entry.is("ServerAddr")
								? "given again; the first is used" : "not a key of Monkey's [FASTCGI_SERVER]"));
			}
		}
	}

	private static Mapped location(MonkeyConfigFile file, MonkeyConfigFile.Section section, Map<String, String> servers,
			List<ReportLine> report) {
		MonkeyConfigFile.Entry match = first(section, "Match");
		MonkeyConfigFile.Entry names = first(section, "ServerNames");
		if (match == null || names == null) {
			throw MonkeyConfigParser.refused(file.name(), section.line(), "[FASTCGI_LOCATION]: "
					+ ((match == null) ? "no Match" : "no ServerNames") + " (expected: Match and ServerNames)");
		}
		List<String> pass = new ArrayList<>();
		List<String> unknown = new ArrayList<>();
		for (String server : names.value().split("[ ,]+")) {
			if (servers.containsKey(server)) {
				pass.add(servers.get(server));
			}
			else {
				unknown.add(server);
			}
		}
		if (pass.isEmpty()) {
			throw MonkeyConfigParser.refused(file.name(), names.line(), "[FASTCGI_LOCATION] ServerNames: '"
					+ names.value() + "' (expected: the ServerName of a [FASTCGI_SERVER])");
		}
		String regex = String.join("|", match.value().split("[ \t]+"));
		Map<String, Object> block = HandlerBlocks.fastcgi(pass, null);
		for (MonkeyConfigFile.Entry entry : section.entries()) {
			if (entry == match) {
				report.add(ReportLine.mapped(file, section, entry, "every imported site: a location with match: "
						+ regex + " (Monkey matched the file's real path, Capuchin matches the request path)"));
			}
			else if (entry == names) {
				report.add(ReportLine.mapped(file, section, entry, "its fastcgi.pass: " + pass
						+ (unknown.isEmpty() ? "" : " (not declared, left out: " + String.join(" ", unknown) + ")")));
			}
			else if (entry.is("LocationName")) {
				report.add(ReportLine.mapped(file, section, entry,
						"nothing: Capuchin names a location by its match (" + entry.value() + ")"));
			}
			else if (entry.is("KeepAlive")) {
				report.add(ReportLine.notMapped(file, section, entry,
						"the fastcgi plugin always keeps application-server connections alive (FCGI_KEEP_CONN)"));
			}
			else {
				report.add(ReportLine.notMapped(file, section, entry, entry.is("Match") || entry.is("ServerNames")
						? "given again; the first is used" : "not a key of Monkey's [FASTCGI_LOCATION]"));
			}
		}
		return new Mapped(location(regex, HandlerBlocks.FASTCGI, block), Origin.of(file, section, match));
	}

	private static Map<String, Object> location(String match, String key, Map<String, Object> block) {
		Map<String, Object> location = new LinkedHashMap<>();
		location.put("match", match);
		location.put(key, block);
		return location;
	}

	private static MonkeyConfigFile.Entry first(MonkeyConfigFile.Section section, String key) {
		return section.entries().stream().filter((entry) -> entry.is(key)).findFirst().orElse(null);
	}

	private static void notMapped(MonkeyConfigFile file, MonkeyConfigFile.Section section, List<ReportLine> report,
			String reason) {
		if (section.entries().isEmpty()) {
			report.add(new ReportLine(file.name(), section.line(), section.label(), null, false, reason));
		}
		for (MonkeyConfigFile.Entry entry : section.entries()) {
			report.add(ReportLine.notMapped(file, section, entry, reason));
		}
	}

	/**
	 * A location read from Monkey's files.
	 *
	 * @param keys the location's keys
	 * @param origin where it came from
	 */
	record Mapped(Map<String, Object> keys, Origin origin) {
	}

}
