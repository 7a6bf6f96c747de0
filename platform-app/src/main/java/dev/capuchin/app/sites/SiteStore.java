package dev.capuchin.app.sites;

import dev.capuchin.plugin.mandril.MandrilBlocks;
import dev.capuchin.plugin.mandril.RuleKind;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.capuchin.core.spi.Location;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.internal.site.SiteLoader;
import dev.capuchin.core.internal.site.SiteWriter;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;

/**
 * Sites and their locations in the store. Kernel fields are columns; plugin blocks are
 * kept as YAML text, so a plugin added later needs no migration, except for the access
 * rules of {@code mandril:} blocks, which are rows of {@code access_rule} (read back into
 * their blocks, so callers see the site-file form). Callers own the transaction.
 */
public class SiteStore {

	/** The site-file keys kept as YAML in {@code site_options}. */
	private static final List<String> OPTION_KEYS = List.of("hsts", "redirect-https", "headers");

	private static final String COLUMNS = "id, name, position, enabled, server_names, is_default, listen, document_root, "
			+ "index_files, error_pages, fdt, follow_symlinks, hidden_files, precompressed, tls_certificate, "
			+ "tls_private_key, tls_acme, plugin_settings, site_options";

	private final JdbcTemplate jdbc;

	public SiteStore(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Whether the store holds no site yet (first start).
	 * @return {@code true} when empty
	 */
	public boolean isEmpty() {
		Integer count = this.jdbc.queryForObject("select count(*) from site", Integer.class);
		return count == null || count == 0;
	}

	/**
	 * Every site, in position order, with its locations.
	 * @return the entries
	 */
	public List<SiteEntry> findAll() {
		Map<Long, List<MandrilBlocks.Rule>> siteRules = new HashMap<>();
		Map<Long, List<MandrilBlocks.Rule>> locationRules = new HashMap<>();
		this.jdbc.query("select site_id, location_id, kind, rule_value from access_rule order by position, id",
				(ResultSet rs) -> {
					long location = rs.getLong("location_id");
					Map<Long, List<MandrilBlocks.Rule>> scope = rs.wasNull() ? siteRules : locationRules;
					long key = (scope == siteRules) ? rs.getLong("site_id") : location;
					scope.computeIfAbsent(key, (id) -> new ArrayList<>())
						.add(new MandrilBlocks.Rule(RuleKind.of(rs.getString("kind")), rs.getString("rule_value")));
				});
		Map<Long, List<Map<String, Object>>> locations = new LinkedHashMap<>();
		this.jdbc.query(
				"select id, site_id, path, match_regex, plugin_settings from site_location order by site_id, position",
				(ResultSet rs) -> {
					Map<String, Object> location = new LinkedHashMap<>();
					if (rs.getString("path") != null) {
						location.put("path", rs.getString("path"));
					}
					else {
						location.put("match", rs.getString("match_regex"));
					}
					location.putAll(MandrilBlocks.restore(yamlMap(rs.getString("plugin_settings")),
							locationRules.getOrDefault(rs.getLong("id"), List.of())));
					locations.computeIfAbsent(rs.getLong("site_id"), (id) -> new ArrayList<>()).add(location);
				});
		return this.jdbc.query("select " + COLUMNS + " from site order by position",
				(rs, row) -> entry(rs, locations.getOrDefault(rs.getLong("id"), List.of()),
						siteRules.getOrDefault(rs.getLong("id"), List.of())));
	}

	/**
	 * Replace every site with these, in order.
	 * @param entries the new sites
	 */
	public void replaceAll(List<SiteEntry> entries) {
		this.jdbc.update("delete from access_rule");
		this.jdbc.update("delete from site_location");
		this.jdbc.update("delete from site");
		for (int i = 0; i < entries.size(); i++) {
			insert(entries.get(i), i);
		}
	}

	private void insert(SiteEntry entry, int position) {
		Site site = entry.site();
		Map<String, Object> keys = SiteWriter.toMap(site);
		MandrilBlocks.Split settings = MandrilBlocks.extract(site.settings());
		KeyHolder key = new GeneratedKeyHolder();
		this.jdbc.update((connection) -> {
			var statement = connection.prepareStatement("insert into site (name, position, enabled, server_names, "
					+ "is_default, listen, document_root, index_files, error_pages, fdt, follow_symlinks, hidden_files, "
					+ "precompressed, tls_certificate, tls_private_key, plugin_settings, tls_acme, site_options) "
					+ "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", new String[] { "id" });
			statement.setString(1, site.name());
			statement.setInt(2, position);
			statement.setBoolean(3, entry.enabled());
			statement.setString(4, String.join(",", site.serverNames()));
			statement.setBoolean(5, site.isDefault());
			statement.setString(6, (String) keys.get("listen"));
			statement.setString(7, site.documentRoot().toString());
			statement.setString(8, String.join(",", site.indexFiles()));
			statement.setString(9,
					site.errorPages()
						.entrySet()
						.stream()
						.sorted(Map.Entry.comparingByKey())
						.map((page) -> page.getKey() + "=" + page.getValue())
						.collect(Collectors.joining(",")));
			statement.setBoolean(10, site.fdt());
			statement.setBoolean(11, site.followSymlinks());
			statement.setBoolean(12, site.hiddenFiles());
			statement.setBoolean(13, site.precompressed());
			boolean files = site.tls() != null && !site.tls().acme();
			statement.setString(14, files ? site.tls().certificate().toString() : null);
			statement.setString(15, files ? site.tls().privateKey().toString() : null);
			statement.setString(16, yamlText(settings.settings()));
			statement.setBoolean(17, site.tls() != null && site.tls().acme());
			statement.setString(18, yamlText(options(keys)));
			return statement;
		}, key);
		long siteId = key.getKey().longValue();
		insertRules(this.jdbc, siteId, null, settings.rules());
		for (int i = 0; i < site.locations().size(); i++) {
			Location location = site.locations().get(i);
			MandrilBlocks.Split locationSettings = MandrilBlocks.extract(location.settings());
			int index = i;
			KeyHolder locationKey = new GeneratedKeyHolder();
			this.jdbc.update((connection) -> {
				var statement = connection.prepareStatement(
						"insert into site_location (site_id, position, path, match_regex, plugin_settings) "
								+ "values (?, ?, ?, ?, ?)",
						new String[] { "id" });
				statement.setLong(1, siteId);
				statement.setInt(2, index);
				statement.setString(3, location.path());
				statement.setString(4, (location.match() != null) ? location.match().pattern() : null);
				statement.setString(5, yamlText(locationSettings.settings()));
				return statement;
			}, locationKey);
			insertRules(this.jdbc, siteId, locationKey.getKey().longValue(), locationSettings.rules());
		}
	}

	/**
	 * The site's keys kept in {@code site_options}: those of a site file that have no
	 * column of their own.
	 */
	private static Map<String, Object> options(Map<String, Object> keys) {
		Map<String, Object> options = new LinkedHashMap<>();
		for (String name : OPTION_KEYS) {
			if (keys.containsKey(name)) {
				options.put(name, keys.get(name));
			}
		}
		return options;
	}

	/**
	 * Write the rules of a site or location as {@code access_rule} rows.
	 */
	public static void insertRules(JdbcTemplate jdbc, long siteId, Long locationId, List<MandrilBlocks.Rule> rules) {
		Map<RuleKind, Integer> positions = new EnumMap<>(RuleKind.class);
		for (MandrilBlocks.Rule rule : rules) {
			int position = positions.merge(rule.kind(), 1, Integer::sum) - 1;
			jdbc.update(
					"insert into access_rule (site_id, location_id, position, kind, rule_value) values (?, ?, ?, ?, ?)",
					siteId, locationId, position, rule.kind().id(), rule.value());
		}
	}

	private static SiteEntry entry(ResultSet rs, List<Map<String, Object>> locations, List<MandrilBlocks.Rule> rules)
			throws SQLException {
		Map<String, Object> keys = new LinkedHashMap<>();
		keys.put("name", rs.getString("name"));
		keys.put("server-names", split(rs.getString("server_names")));
		keys.put("default", rs.getBoolean("is_default"));
		if (rs.getString("listen") != null) {
			keys.put("listen", rs.getString("listen"));
		}
		keys.put("document-root", rs.getString("document_root"));
		keys.put("index-files", split(rs.getString("index_files")));
		Map<String, Object> pages = new LinkedHashMap<>();
		for (String page : split(rs.getString("error_pages"))) {
			int equals = page.indexOf('=');
			pages.put(page.substring(0, equals), page.substring(equals + 1));
		}
		if (!pages.isEmpty()) {
			keys.put("error-pages", pages);
		}
		keys.put("fdt", rs.getBoolean("fdt"));
		keys.put("follow-symlinks", rs.getBoolean("follow_symlinks"));
		keys.put("hidden-files", rs.getBoolean("hidden_files"));
		keys.put("precompressed", rs.getBoolean("precompressed"));
		if (rs.getString("tls_certificate") != null) {
			Map<String, Object> tls = new LinkedHashMap<>();
			tls.put("certificate", rs.getString("tls_certificate"));
			tls.put("private-key", rs.getString("tls_private_key"));
			keys.put("tls", tls);
		}
		else if (rs.getBoolean("tls_acme")) {
			keys.put("tls", Map.of("acme", true));
		}
		if (!locations.isEmpty()) {
			keys.put("locations", locations);
		}
		keys.putAll(yamlMap(rs.getString("site_options")));
		keys.putAll(MandrilBlocks.restore(yamlMap(rs.getString("plugin_settings")), rules));
		// a stored site whose root or certificate has vanished since it was saved still
		// loads: the running table serves it as unavailable (503) and every other site
		// starts; input from the console and the API is checked strictly elsewhere
		Site site = new SiteLoader(Path.of("/"), SiteLoader.MissingFiles.ALLOW).parse(keys, rs.getString("name"));
		return new SiteEntry(site, rs.getBoolean("enabled"));
	}

	private static List<String> split(String joined) {
		return (joined == null || joined.isEmpty()) ? List.of() : Arrays.asList(joined.split(","));
	}

	public static String yamlText(Map<String, Object> map) {
		if (map.isEmpty()) {
			return "{}";
		}
		DumperOptions options = new DumperOptions();
		options.setDefaultFlowStyle(DumperOptions.FlowStyle.FLOW);
		options.setWidth(Integer.MAX_VALUE);
		return new Yaml(new SafeConstructor(new LoaderOptions()), new Representer(options), options)
			.dump(new LinkedHashMap<>(map))
			.trim();
	}

	@SuppressWarnings("unchecked")
	public static Map<String, Object> yamlMap(String text) {
		Object value = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
		return (value instanceof Map<?, ?> map) ? (Map<String, Object>) map : Map.of();
	}

}
