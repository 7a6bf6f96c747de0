package dev.capuchin.app.monkey;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.capuchin.plugin.mandril.MandrilBlocks;
import dev.capuchin.app.transfer.ConfigDocument;
import dev.capuchin.app.shared.config.InvalidConfigurationException;
import dev.capuchin.app.sites.SiteEntry;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.internal.site.SiteLoader;
import dev.capuchin.plugin.proxy.Upstream;

/**
 * Monkey's own configuration directory read and mapped to Capuchin: {@code monkey.conf}'s
 * {@code [SERVER]}, every regular file of {@code sites/} (Monkey's {@code sites/default}
 * first, as Monkey reads it, and as the default site), the Mandril plugin's
 * {@code plugins/mandril/mandril.conf} and the logger plugin's
 * {@code plugins/logger/logger.conf} (where Monkey installs them), and the proxy_reverse
 * plugin's {@code plugins/proxy_reverse/proxy_reverse.conf} (upstreams, and regex
 * locations on every imported site; see {@link MonkeyProxyMapper}). The result is the
 * imported sites, checked as the site loader checks site files; the {@code capuchin.*}
 * properties that bind at start; and a report with a line for every key, mapped or not.
 * <p>
 * Malformed input is refused with the file and line, before anything is applied. Limits:
 * {@link MonkeyConfigParser#MAX_FILE_SIZE} and {@link MonkeyConfigParser#MAX_LINE_LENGTH}
 * per file, {@link #MAX_SITE_FILES} site files.
 */
public final class MonkeyImport {

	/**
	 * The most site files read from {@code sites/} (stops a wrong directory being
	 * walked).
	 */
	public static final int MAX_SITE_FILES = MonkeyFiles.MAX_SITE_FILES;

	private static final String AUTH = "auth";

	private static final Pattern SITE_FIELD = Pattern.compile("site ([A-Za-z0-9._-]+): ([a-z-]+(\\[[0-9]+])?)");

	private final Path directory;

	private final List<SiteEntry> sites;

	private final Map<String, MonkeySiteMapper.MappedSite> mapped;

	private final List<ReportLine> report;

	private final Map<String, Object> serverProperties;

	private final List<Upstream> upstreams;

	private MonkeyImport(Path directory, List<SiteEntry> sites, Map<String, MonkeySiteMapper.MappedSite> mapped,
			List<ReportLine> report, Map<String, Object> serverProperties, List<Upstream> upstreams) {
		this.directory = directory;
		this.sites = List.copyOf(sites);
		this.mapped = mapped;
		this.report = List.copyOf(report);
		this.serverProperties = serverProperties;
		this.upstreams = List.copyOf(upstreams);
	}

	/**
	 * Read a Monkey configuration directory.
	 * @param directory the directory, such as {@code /etc/monkey}
	 * @return the import
	 * @throws InvalidConfigurationException naming the file and line at fault
	 */
	public static MonkeyImport read(Path directory) {
		if (directory == null || !Files.isDirectory(directory)) {
			throw new InvalidConfigurationException(
					"directory: " + directory + " (expected: Monkey's configuration directory, such as /etc/monkey)");
		}
		Path dir = directory.toAbsolutePath().normalize();
		Path main = dir.resolve("monkey.conf");
		if (!Files.isRegularFile(main)) {
			throw new InvalidConfigurationException(
					"monkey.conf: missing in " + dir + " (expected: Monkey's configuration directory)");
		}
		List<ReportLine> report = new ArrayList<>();
		MonkeyServerMapper server = new MonkeyServerMapper();
		server.mapServer(MonkeyConfigParser.read(main, "monkey.conf"));
		Path loggerConf = dir.resolve("plugins/logger/logger.conf");
		if (Files.isRegularFile(loggerConf)) {
			server.mapLogger(MonkeyConfigParser.read(loggerConf, "plugins/logger/logger.conf"));
		}
		report.addAll(server.report());
		MonkeyMandrilMapper.Block mandril = MonkeyMandrilMapper.map(dir, report);
		List<MonkeyHandlerMapper.Mapped> handlers = MonkeyHandlerMapper.map(dir, report);
		MonkeyProxyMapper.Mapped proxy = MonkeyProxyMapper.map(dir, report);
		MonkeyFiles.reportUnread(dir, report);
		MonkeySiteMapper mapper = new MonkeySiteMapper(dir, report);
		SiteLoader loader = new SiteLoader(dir);
		List<SiteEntry> sites = new ArrayList<>();
		Map<String, MonkeySiteMapper.MappedSite> mapped = new LinkedHashMap<>();
		Set<String> names = new HashSet<>();
		for (Path file : MonkeyFiles.siteFiles(dir, report)) {
			String fileName = "sites/" + file.getFileName();
			String name = siteName(file.getFileName().toString(), names);
			if (!name.equals(file.getFileName().toString())) {
				report.add(new ReportLine(fileName, 0, null, null, true, "site name " + name));
			}
			MonkeySiteMapper.MappedSite site = mapper.map(MonkeyConfigParser.read(file, fileName), name,
					file.getFileName().toString().equalsIgnoreCase("default"));
			if (server.indexFiles() != null) {
				site.keys().put("index-files", server.indexFiles());
				site.origins().put("index-files", server.indexOrigin());
			}
			if (server.followSymlinks() != null) {
				site.keys().put("follow-symlinks", server.followSymlinks());
			}
			if (server.fdt() != null) {
				site.keys().put("fdt", server.fdt());
			}
			addHandlers(site, handlers);
			if (!mandril.block().isEmpty()) {
				site.keys().put(MandrilBlocks.KEY, mandril.block());
				site.origins().put(MandrilBlocks.KEY, mandril.origin());
			}
			addLocations(site, proxy);
			try {
				sites.add(new SiteEntry(loader.parse(site.keys(), name), true));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidConfigurationException(origin(site, ex.getMessage()) + ex.getMessage());
			}
			mapped.put(name, site);
		}
		return new MonkeyImport(dir, sites, mapped, report, server.properties(), proxy.upstreams());
	}

	@SuppressWarnings("unchecked")
	private static void addLocations(MonkeySiteMapper.MappedSite site, MonkeyProxyMapper.Mapped proxy) {
		if (proxy.locations().isEmpty()) {
			return;
		}
		List<Map<String, Object>> locations = new ArrayList<>();
		if (site.keys().get("locations") instanceof List<?> own) {
			locations.addAll((List<Map<String, Object>>) own);
		}
		for (int i = 0; i < proxy.locations().size(); i++) {
			site.origins().put("locations[" + locations.size() + "]", proxy.origins().get(i));
			locations.add(proxy.locations().get(i));
		}
		site.keys().put("locations", locations);
	}

	/**
	 * The CGI and FastCGI plugins' locations after the site's own: Monkey's plugins ran
	 * after its other stages, and a path an {@code [AUTH]} section protects stays
	 * protected.
	 */
	@SuppressWarnings("unchecked")
	private static void addHandlers(MonkeySiteMapper.MappedSite site, List<MonkeyHandlerMapper.Mapped> handlers) {
		if (handlers.isEmpty()) {
			return;
		}
		List<Map<String, Object>> locations = (List<Map<String, Object>>) site.keys()
			.computeIfAbsent("locations", (key) -> new ArrayList<Map<String, Object>>());
		for (MonkeyHandlerMapper.Mapped handler : handlers) {
			site.origins().put("locations[" + locations.size() + "]", handler.origin());
			locations.add(new LinkedHashMap<>(handler.keys()));
		}
	}

	/**
	 * A site name after Capuchin's rules (letters, digits, {@code .}, {@code _},
	 * {@code -}, at most 64, starting with a letter or digit), unique among the imported
	 * sites.
	 */
	static String siteName(String fileName, Set<String> taken) {
		String name = fileName.replaceAll("[^A-Za-z0-9._-]", "-").replaceFirst("^[^A-Za-z0-9]+", "");
		if (name.isEmpty()) {
			name = "site";
		}
		name = name.substring(0, Math.min(name.length(), 60));
		String unique = name;
		for (int i = 2; !taken.add(unique.toLowerCase(Locale.ROOT)); i++) {
			unique = name + "-" + i;
		}
		return unique;
	}

	private static String origin(MonkeySiteMapper.MappedSite site, String message) {
		Matcher field = Pattern.compile("^[a-z-]+(\\[[0-9]+])?").matcher(message);
		Origin origin = field.find() ? lookup(site.origins(), field.group()) : null;
		return ((origin != null) ? origin.text() : site.file()) + ": ";
	}

	private static Origin lookup(Map<String, Origin> origins, String field) {
		Origin origin = origins.get(field);
		return (origin != null) ? origin : origins.get(field.replaceFirst("\\[[0-9]+]$", ""));
	}

	/**
	 * Add where a refused value came from to a refusal of the configuration service that
	 * names an imported site and field.
	 * @param message the refusal, e.g. {@code plugin auth: site default: locations[0]...}
	 * @return the message with Monkey's file and line, or unchanged
	 */
	public String explain(String message) {
		Matcher matcher = SITE_FIELD.matcher(message);
		while (matcher.find()) {
			MonkeySiteMapper.MappedSite site = this.mapped.get(matcher.group(1));
			if (site != null) {
				Origin origin = lookup(site.origins(), matcher.group(2));
				return message + " (from " + ((origin != null) ? origin.text() : site.file()) + ")";
			}
		}
		return message;
	}

	/**
	 * The stored configuration with the imported sites: a stored site of the same name is
	 * replaced where it stands, new sites are added after the others, and every other
	 * stored site is kept. When an imported site is the default, a kept site loses that
	 * role.
	 * @param current the stored sites
	 * @return the entries to apply and notes for the report
	 */
	public Merged mergeInto(List<SiteEntry> current) {
		Map<String, SiteEntry> imported = new LinkedHashMap<>();
		this.sites.forEach((entry) -> imported.put(entry.name(), entry));
		boolean importsDefault = this.sites.stream().anyMatch((entry) -> entry.site().isDefault());
		List<SiteEntry> merged = new ArrayList<>();
		List<ReportLine> notes = new ArrayList<>();
		for (SiteEntry entry : current) {
			SiteEntry replacement = imported.remove(entry.name());
			if (replacement != null) {
				merged.add(replacement);
				notes.add(ReportLine.note("site " + entry.name() + ": replaced by " + source(entry.name())));
			}
			else if (importsDefault && entry.site().isDefault() && entry.site().listen() == null) {
				merged.add(new SiteEntry(notDefault(entry.site()), entry.enabled()));
				notes.add(ReportLine.note("site " + entry.name()
						+ ": kept, no longer the default (Monkey's default site takes unknown hosts)"));
			}
			else {
				merged.add(entry);
				notes.add(ReportLine.note("site " + entry.name() + ": kept (not in the Monkey configuration)"));
			}
		}
		imported.values().forEach((entry) -> {
			merged.add(entry);
			notes.add(ReportLine.note("site " + entry.name() + ": added from " + source(entry.name())));
		});
		return new Merged(merged, notes);
	}

	private String source(String site) {
		return this.mapped.get(site).file();
	}

	private static Site notDefault(Site site) {
		return site.withDefault(false);
	}

	/**
	 * The directory read.
	 * @return the absolute directory
	 */
	public Path directory() {
		return this.directory;
	}

	/**
	 * The imported sites, in Monkey's order.
	 * @return the sites
	 */
	public List<SiteEntry> sites() {
		return this.sites;
	}

	/**
	 * A line for every key read, mapped or not, in file order.
	 * @return the report
	 */
	public List<ReportLine> report() {
		return this.report;
	}

	/**
	 * Whether an imported site protects a location with an {@code auth:} block.
	 * @return {@code true} when a Monkey {@code [AUTH]} section was imported
	 */
	public boolean protectsLocations() {
		return usesInLocations(AUTH);
	}

	/**
	 * Whether an imported location has a plugin's block.
	 * @param key the block's key, such as {@code cgi}
	 * @return {@code true} when one has
	 */
	public boolean usesInLocations(String key) {
		return this.sites.stream()
			.flatMap((entry) -> entry.site().locations().stream())
			.anyMatch((location) -> location.setting(key) != null);
	}

	/**
	 * The upstreams of {@code plugins/proxy_reverse/proxy_reverse.conf}, one per
	 * {@code [PROXY_ENTRY]}.
	 * @return the upstreams, none without the file
	 */
	public List<Upstream> upstreams() {
		return this.upstreams;
	}

	/**
	 * The stored upstreams with the imported ones: a stored upstream of the same name is
	 * replaced where it stands, new ones are added after the others.
	 * @param current the stored upstreams
	 * @return the upstreams to apply
	 */
	public List<Upstream> mergeUpstreams(List<Upstream> current) {
		Map<String, Upstream> imported = new LinkedHashMap<>();
		this.upstreams.forEach((upstream) -> imported.put(upstream.name(), upstream));
		List<Upstream> merged = new ArrayList<>();
		for (Upstream upstream : current) {
			Upstream replacement = imported.remove(upstream.name());
			merged.add((replacement != null) ? replacement : upstream);
		}
		merged.addAll(imported.values());
		return merged;
	}

	/**
	 * The first {@code [AUTH]} section imported, for messages.
	 * @return {@code file:line [AUTH]}, or {@code null}
	 */
	public String firstAuthSection() {
		return this.mapped.values()
			.stream()
			.flatMap((site) -> site.origins().values().stream())
			.filter((origin) -> "[AUTH]".equals(origin.section()))
			.map(Origin::text)
			.findFirst()
			.orElse(null);
	}

	/**
	 * The {@code capuchin.*} properties of {@code [SERVER]} (and {@code logger.conf}), as
	 * the YAML of an {@code application.yml}: they bind at start, so they are not applied
	 * with the sites.
	 * @return the YAML, or an empty string when nothing maps
	 */
	public String serverYaml() {
		if (this.serverProperties.isEmpty()) {
			return "";
		}
		return "# Imported from Monkey's " + this.directory.resolve("monkey.conf") + ".\n"
				+ "# Listeners bind at start: add this to config/application.yml, or start Capuchin with\n"
				+ "# --spring.config.additional-location=THIS-FILE.\n"
				+ ConfigDocument.yaml().dump(this.serverProperties);
	}

	/**
	 * The server properties, nested as in {@code application.yml}.
	 * @return the properties, empty when nothing maps
	 */
	public Map<String, Object> serverProperties() {
		return Collections.unmodifiableMap(this.serverProperties);
	}

	/**
	 * The stored configuration with the imported sites.
	 *
	 * @param entries the entries to apply
	 * @param notes what happened to each stored and imported site
	 */
	public record Merged(List<SiteEntry> entries, List<ReportLine> notes) {

		public Merged {
			entries = List.copyOf(entries);
			notes = List.copyOf(notes);
		}

	}

}
