package dev.capuchin.app.transfer;

import dev.capuchin.app.identity.OAuthClientDocument;
import dev.capuchin.app.openidlogins.OpenIdLoginDocument;
import dev.capuchin.app.openidlogins.OpenIdLoginRules;
import dev.capuchin.app.realms.Realm;
import dev.capuchin.app.realms.RealmDocument;
import dev.capuchin.app.realms.RealmUser;
import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.app.shared.config.InvalidConfigurationException;
import dev.capuchin.app.sites.SiteEntry;
import dev.capuchin.app.upstreams.UpstreamDocument;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.capuchin.core.internal.site.SiteLoader;
import dev.capuchin.core.internal.site.SiteWriter;
import dev.capuchin.plugin.proxy.Upstream;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;

/**
 * The whole configuration as one YAML document, what export writes and import reads:
 *
 * <pre>
 * version: 12
 * sites:
 *   - name: default
 *     enabled: true
 *     server-names: [localhost]
 *     ...the keys of a site file...
 * realms:
 *   - name: Staff
 *     description: the staff pages
 *     users:
 *       - name: alice
 *         password-hash: $2y$10$...
 * upstreams:
 *   - name: api
 *     balancer: least-connections
 *     servers: [{url: http://127.0.0.1:9001}, {url: http://127.0.0.1:9003, backup: true}]
 * </pre>
 *
 * Reading validates every site as the site loader does and every realm as
 * {@link RealmRules} does, and names the site or realm and field at fault. A document
 * without {@code realms:} leaves the stored realms as they are; with it, the realms are
 * replaced by the listed ones ({@code realms: []} removes them all). Export always writes
 * {@code realms:}, with hashes (never passwords): the document is sensitive. The
 * {@code upstreams:} list works the same way: absent keeps the stored upstreams, present
 * replaces them; each entry is read by plugin-proxy's format ({@link UpstreamDocument}).
 * The {@code oauth-clients:} list too ({@link OAuthClientDocument}): secrets only as
 * bcrypt hashes ({@code client-secret-hash}), never plain. The {@code openid-logins:}
 * list too ({@link OpenIdLoginDocument}): a plain {@code client-secret} is accepted on
 * import, and export writes it encrypted ({@code client-secret-encrypted}); export writes
 * the list when there are logins.
 */
public final class ConfigDocument {

	/** The largest document accepted. */
	public static final int MAX_LENGTH = 4 * 1024 * 1024;

	private ConfigDocument() {
	}

	/**
	 * Write entries as a configuration document.
	 * @param entries the sites
	 * @param version the configuration version
	 * @return the YAML text
	 */
	public static String write(List<SiteEntry> entries, long version) {
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("version", version);
		List<Map<String, Object>> sites = new ArrayList<>();
		for (SiteEntry entry : entries) {
			sites.add(siteMap(entry));
		}
		document.put("sites", sites);
		return "# Capuchin configuration\n" + yaml().dump(document);
	}

	/**
	 * Write a whole configuration, realms included.
	 * @param entries the sites
	 * @param realms the realms
	 * @param version the configuration version
	 * @return the YAML text
	 */
	public static String write(List<SiteEntry> entries, List<Realm> realms, long version) {
		return write(entries, realms, null, version);
	}

	/**
	 * Write a whole configuration, realms and upstreams included.
	 * @param entries the sites
	 * @param realms the realms
	 * @param upstreams the upstreams, or {@code null} to leave the key out
	 * @param version the configuration version
	 * @return the YAML text
	 */
	public static String write(List<SiteEntry> entries, List<Realm> realms, List<Upstream> upstreams, long version) {
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("version", version);
		List<Map<String, Object>> sites = new ArrayList<>();
		for (SiteEntry entry : entries) {
			sites.add(siteMap(entry));
		}
		document.put("sites", sites);
		List<Map<String, Object>> list = new ArrayList<>();
		for (Realm realm : realms) {
			list.add(realmMap(realm));
		}
		document.put("realms", list);
		if (upstreams != null) {
			document.put("upstreams", upstreams.stream().map(UpstreamDocument::map).toList());
		}
		return "# Capuchin configuration (realm users' password hashes included: keep it private)\n"
				+ yaml().dump(document);
	}

	/**
	 * Write a stored configuration, realms included.
	 * @param snapshot the configuration
	 * @return the YAML text
	 */
	public static String write(ConfigService.Snapshot snapshot) {
		String text = write(snapshot.entries(), snapshot.realms(), snapshot.upstreams(), snapshot.version());
		if (!snapshot.openidLogins().isEmpty()) {
			text += yaml().dump(Map.of(OpenIdLoginDocument.KEY,
					snapshot.openidLogins().stream().map(OpenIdLoginDocument::map).toList()));
		}
		if (snapshot.oauthClients() != null) {
			text += yaml()
				.dump(Map.of("oauth-clients", snapshot.oauthClients().stream().map(OAuthClientDocument::map).toList()));
		}
		return text;
	}

	private static Map<String, Object> realmMap(Realm realm) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("name", realm.name());
		if (!realm.description().isEmpty()) {
			map.put("description", realm.description());
		}
		List<Map<String, Object>> users = new ArrayList<>();
		for (RealmUser user : realm.users()) {
			Map<String, Object> item = new LinkedHashMap<>();
			item.put("name", user.name());
			item.put("password-hash", user.passwordHash());
			if (user.email() != null) {
				item.put("email", user.email());
			}
			if (user.displayName() != null) {
				item.put("display-name", user.displayName());
			}
			if (!user.groups().isEmpty()) {
				item.put("groups", user.groups());
			}
			users.add(item);
		}
		map.put("users", users);
		return map;
	}

	/**
	 * One site entry in document form.
	 * @param entry the entry
	 * @return the ordered keys
	 */
	public static Map<String, Object> siteMap(SiteEntry entry) {
		Map<String, Object> map = SiteWriter.toMap(entry.site());
		Map<String, Object> ordered = new LinkedHashMap<>();
		ordered.put("name", map.remove("name"));
		ordered.put("enabled", entry.enabled());
		ordered.putAll(map);
		return ordered;
	}

	/**
	 * One site entry as YAML text, for diffs and the audit log.
	 * @param entry the entry, or {@code null}
	 * @return the YAML, or {@code null}
	 */
	public static String siteYaml(SiteEntry entry) {
		return (entry != null) ? yaml().dump(siteMap(entry)) : null;
	}

	/**
	 * Read and validate the sites of a configuration document; a {@code realms:} list is
	 * checked but left out (see {@link #readDocument(String, Path)}).
	 * @param text the YAML text
	 * @param base the directory relative paths are resolved against
	 * @return the entries, in document order
	 * @throws InvalidConfigurationException naming the site and field at fault
	 */
	public static List<SiteEntry> read(String text, Path base) {
		return readDocument(text, base).sites();
	}

	/**
	 * Read and validate a configuration document, sites and realms.
	 * @param text the YAML text
	 * @param base the directory relative paths are resolved against
	 * @return the sites and realms
	 * @throws InvalidConfigurationException naming the site or realm and field at fault
	 */
	public static Document readDocument(String text, Path base) {
		if (text == null || text.isBlank()) {
			throw new InvalidConfigurationException("document: empty (expected: a mapping with 'sites')");
		}
		if (text.length() > MAX_LENGTH) {
			throw new InvalidConfigurationException("document: larger than " + MAX_LENGTH + " characters");
		}
		Object parsed;
		try {
			LoaderOptions options = new LoaderOptions();
			options.setMaxAliasesForCollections(10);
			options.setAllowDuplicateKeys(false);
			parsed = new Yaml(new SafeConstructor(options)).load(text);
		}
		catch (YAMLException ex) {
			throw new InvalidConfigurationException("document: not valid YAML: " + ex.getMessage());
		}
		if (!(parsed instanceof Map<?, ?> document)) {
			throw new InvalidConfigurationException("document: expected a mapping with 'sites'");
		}
		Object sites = document.get("sites");
		if (!(sites instanceof List<?> list)) {
			throw new InvalidConfigurationException("sites: missing (expected: a list of sites)");
		}
		List<SiteEntry> entries = sites(list, base);
		List<Realm> realms = document.containsKey("realms") ? RealmDocument.read(document.get("realms")) : null;
		List<Upstream> upstreams = document.containsKey("upstreams") ? UpstreamDocument.read(document.get("upstreams"))
				: null;
		List<OAuthClientDocument.Entry> clients = document.containsKey("oauth-clients")
				? OAuthClientDocument.read(document.get("oauth-clients")) : null;
		List<OpenIdLoginRules.Spec> logins = document.containsKey(OpenIdLoginDocument.KEY)
				? OpenIdLoginDocument.read(document.get(OpenIdLoginDocument.KEY)) : null;
		return new Document(entries, realms, upstreams, clients, logins);
	}

	private static List<SiteEntry> sites(List<?> list, Path base) {
		SiteLoader loader = new SiteLoader(base);
		List<SiteEntry> entries = new ArrayList<>();
		for (int i = 0; i < list.size(); i++) {
			if (!(list.get(i) instanceof Map<?, ?> raw)) {
				throw new InvalidConfigurationException("sites[" + i + "]: expected a mapping");
			}
			Map<String, Object> keys = new LinkedHashMap<>();
			raw.forEach((key, value) -> keys.put(String.valueOf(key), value));
			Object enabled = keys.remove("enabled");
			if (enabled != null && !(enabled instanceof Boolean)) {
				throw new InvalidConfigurationException(
						"sites[" + i + "].enabled: '" + enabled + "' (expected: true or false)");
			}
			String label = (keys.get("name") != null) ? "site " + keys.get("name") : "sites[" + i + "]";
			if (keys.get("name") == null) {
				throw new InvalidConfigurationException(label + ": name: missing");
			}
			try {
				entries.add(new SiteEntry(loader.parse(keys, null), enabled == null || (Boolean) enabled));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidConfigurationException(label + ": " + ex.getMessage());
			}
		}
		return entries;
	}

	/**
	 * The YAML writer of documents, diffs and audit entries: block style, two spaces.
	 * @return a new writer
	 */
	public static Yaml yaml() {
		DumperOptions options = new DumperOptions();
		options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
		options.setIndent(2);
		options.setIndicatorIndent(0);
		options.setWidth(120);
		// a list shared between entries (every empty List.of() is one object) would be
		// written as an alias, and import refuses more than 10 of them
		options.setDereferenceAliases(true);
		return new Yaml(new SafeConstructor(new LoaderOptions()), new Representer(options), options);
	}

	/**
	 * What a configuration document holds.
	 *
	 * @param sites the sites, in document order
	 * @param realms the realms, or {@code null} when the document has no {@code realms:}
	 * (the stored realms stay as they are)
	 * @param upstreams the upstreams, or {@code null} when the document has no
	 * {@code upstreams:} (the stored upstreams stay as they are)
	 * @param oauthClients the OAuth clients, or {@code null} when the document has no
	 * {@code oauth-clients:} (the stored clients stay as they are)
	 * @param openidLogins the OpenID logins as asked for, or {@code null} when the
	 * document has no {@code openid-logins:} (the stored logins stay as they are)
	 */
	public record Document(List<SiteEntry> sites, List<Realm> realms, List<Upstream> upstreams,
			List<OAuthClientDocument.Entry> oauthClients, List<OpenIdLoginRules.Spec> openidLogins) {

		public Document {
			sites = List.copyOf(sites);
			realms = (realms != null) ? List.copyOf(realms) : null;
			upstreams = (upstreams != null) ? List.copyOf(upstreams) : null;
			oauthClients = (oauthClients != null) ? List.copyOf(oauthClients) : null;
			openidLogins = (openidLogins != null) ? List.copyOf(openidLogins) : null;
		}

		/**
		 * A document without OpenID logins.
		 * @param sites the sites
		 * @param realms the realms, or {@code null}
		 * @param upstreams the upstreams, or {@code null}
		 * @param oauthClients the OAuth clients, or {@code null}
		 */
		public Document(List<SiteEntry> sites, List<Realm> realms, List<Upstream> upstreams,
				List<OAuthClientDocument.Entry> oauthClients) {
			this(sites, realms, upstreams, oauthClients, null);
		}

		/**
		 * A document without OAuth clients.
		 * @param sites the sites
		 * @param realms the realms, or {@code null}
		 * @param upstreams the upstreams, or {@code null}
		 */
		public Document(List<SiteEntry> sites, List<Realm> realms, List<Upstream> upstreams) {
			this(sites, realms, upstreams, null);
		}

		/**
		 * A document without upstreams.
		 * @param sites the sites
		 * @param realms the realms, or {@code null}
		 */
		public Document(List<SiteEntry> sites, List<Realm> realms) {
			this(sites, realms, null);
		}

	}

}
