package dev.capuchin.app.monkey;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.capuchin.app.shared.config.InvalidConfigurationException;
import dev.capuchin.app.sites.SiteEntry;
import dev.capuchin.core.autoconfigure.CapuchinProperties;
import dev.capuchin.core.spi.Location;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.internal.site.SiteLoader;
import dev.capuchin.plugin.mandril.PathRule;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class MonkeyImportTests {

	@TempDir
	Path temp;

	private MonkeyFixture monkey;

	@BeforeEach
	void installMonkey() {
		this.monkey = MonkeyFixture.install(this.temp, "2001");
	}

	@Test
	void everySiteFileBecomesASiteWithMonkeysDefaultFirst() {
		MonkeyImport imported = MonkeyImport.read(this.monkey.directory());
		assertThat(imported.sites()).extracting(SiteEntry::name).containsExactly("default", "shop", "staff");
		assertThat(imported.sites()).allMatch(SiteEntry::enabled);
		Site site = site(imported, "default");
		assertThat(site.isDefault()).isTrue();
		assertThat(site.serverNames()).containsExactly("127.0.0.1");
		assertThat(site.documentRoot()).isEqualTo(this.monkey.defaultRoot());
		assertThat(site.errorPages()).containsExactly(Map.entry(404, "/404.html"));
		assertThat(site.setting("logger")).isEqualTo(Map.of("access-log", this.monkey.logs() + "/access.log",
				"error-log", this.monkey.logs() + "/error.log"));
		assertThat(site(imported, "shop").isDefault()).isFalse();
	}

	@Test
	void serverKeysApplyToEverySite() {
		MonkeyImport imported = MonkeyImport.read(this.monkey.directory());
		for (SiteEntry entry : imported.sites()) {
			assertThat(entry.site().indexFiles()).containsExactly("index.html", "index.htm", "index.php");
			assertThat(entry.site().followSymlinks()).isFalse();
			assertThat(entry.site().fdt()).isTrue();
		}
	}

	@Test
	void serverNamesFromSeveralLinesErrorPagesAndLogsOfASite() {
		Site shop = site(MonkeyImport.read(this.monkey.directory()), "shop");
		assertThat(shop.serverNames()).containsExactly("shop.test", "www.shop.test", "shop.example");
		assertThat(shop.documentRoot()).isEqualTo(this.monkey.shopRoot());
		assertThat(shop.errorPages()).containsOnly(Map.entry(404, "/errors/404.html"),
				Map.entry(500, "/errors/500.html"));
		assertThat(shop.setting("logger")).isEqualTo(Map.of("access-log", this.monkey.logs() + "/shop.access.log",
				"error-log", this.monkey.logs() + "/shop.error.log"));
		assertThat(shop.locations()).extracting(Location::toString).containsExactly("match (?i)/cgi-bin/.*\\.cgi");
		assertThat(shop.locations().get(0).settings()).isEqualTo(Map.of("cgi", Map.of()));
	}

	@Test
	void anAuthSectionBecomesAProtectedLocation() {
		MonkeyImport imported = MonkeyImport.read(this.monkey.directory());
		Site staff = site(imported, "staff");
		assertThat(staff.locations()).hasSize(1);
		assertThat(staff.locations().get(0).path()).isEqualTo("/private");
		assertThat(staff.locations().get(0).settings())
			.isEqualTo(Map.of("auth", Map.of("realm", "Staff Only", "users-file", this.monkey.users().toString())));
		assertThat(imported.protectsLocations()).isTrue();
		assertThat(imported.firstAuthSection())
			.isEqualTo("sites/staff:" + this.monkey.lineOf("sites/staff", "[AUTH]") + " [AUTH]");
	}

	@Test
	void mandrilRulesBecomeEverySitesDenyRulesRegardlessOfCase() {
		this.monkey.append("plugins/mandril/mandril.conf",
				"    IP 192.0.2.7/24\n    URL /Private.Area\n    deny_hotlink /images/\n    Allow 10.0.0.1\n");
		MonkeyImport imported = MonkeyImport.read(this.monkey.directory());
		for (SiteEntry entry : imported.sites()) {
			assertThat(entry.site().setting("mandril")).isEqualTo(Map.of("ip", Map.of("deny", List.of("192.0.2.0/24")),
					"uri", Map.of("deny", List.of("regex:(?i)\\Q/Private.Area\\E")), "hotlink",
					Map.of("deny", List.of("regex:(?i)\\Q/images/\\E"))));
		}
		int ip = this.monkey.lineOf("plugins/mandril/mandril.conf", "    IP 192.0.2.7/24");
		assertThat(texts(imported))
			.anySatisfy((line) -> assertThat(line).startsWith(
					"plugins/mandril/mandril.conf:" + ip + " [RULES] IP: mapped to mandril.ip.deny of every imported"
							+ " site: 192.0.2.0/24 (checked per request with 403, not at connect;"
							+ " capuchin.plugins.mandril.monkey-config: "))
			.contains("plugins/mandril/mandril.conf:" + (ip + 3)
					+ " [RULES] Allow: not mapped (not a Mandril rule; Monkey ignores it too)");
	}

	@Test
	void theImportedMandrilBlockIsWhatTheMandrilPluginReads() {
		this.monkey.append("plugins/mandril/mandril.conf", "    URL /Private\n");
		Site site = site(MonkeyImport.read(this.monkey.directory()), "default");
		@SuppressWarnings("unchecked")
		List<String> uri = (List<String>) ((Map<String, Object>) ((Map<String, Object>) site.setting("mandril"))
			.get("uri")).get("deny");
		PathRule rule = PathRule.parse(uri.get(0));
		assertThat(rule.matches("/a/PRIVATE/b")).isTrue();
		assertThat(rule.matches("/a/privat/b")).isFalse();
	}

	@Test
	void serverSettingsBecomeCapuchinPropertiesThatBind() throws Exception {
		this.monkey.replace("monkey.conf", "    Listen 2001\n",
				"    Listen 2001\n    Listen 127.0.0.1:2002\n    Listen [::1]:2003 h2c\n");
		MonkeyImport imported = MonkeyImport.read(this.monkey.directory());
		assertThat(imported.serverProperties()).isEqualTo(Map.of("capuchin", Map.of("server",
				Map.of("listeners",
						List.of(Map.of("address", "0.0.0.0:2001"), Map.of("address", "127.0.0.1:2002"),
								Map.of("address", "[::1]:2003", "http2", true)),
						"limits",
						Map.of("request-read-timeout", "15s", "keep-alive-timeout", "5s", "max-requests-per-connection",
								1000, "max-header-size", "32KB", "max-body-size", "32KB")),
				"plugins", Map.of("logger", Map.of("flush-interval", "3s")))));
		List<PropertySource<?>> sources = new YamlPropertySourceLoader().load("monkey",
				new ByteArrayResource(imported.serverYaml().getBytes()));
		CapuchinProperties properties = new Binder(ConfigurationPropertySources.from(sources))
			.bind("capuchin", CapuchinProperties.class)
			.get();
		assertThat(properties.server().listeners()).extracting(CapuchinProperties.Listener::address)
			.containsExactly("0.0.0.0:2001", "127.0.0.1:2002", "[::1]:2003");
		assertThat(properties.server().listeners().get(2).http2()).isTrue();
		assertThat(properties.server().limits().keepAliveTimeout()).hasSeconds(5);
		assertThat(properties.server().limits().requestReadTimeout()).hasSeconds(15);
		assertThat(properties.server().limits().maxRequestsPerConnection()).isEqualTo(1000);
		assertThat(properties.server().limits().maxBodySize().toKilobytes()).isEqualTo(32);
		assertThat(properties.server().limits().maxHeaderSize().toKilobytes()).isEqualTo(32);
		assertThat(properties.server().toSettings().listeners()).hasSize(3);
	}

	@Test
	void keepAliveOffMeansOneRequestPerConnection() {
		this.monkey.replace("monkey.conf", "    KeepAlive On\n", "    KeepAlive off\n");
		this.monkey.replace("monkey.conf", "    Workers 0\n", "    Workers 4\n");
		MonkeyImport imported = MonkeyImport.read(this.monkey.directory());
		@SuppressWarnings("unchecked")
		Map<String, Object> server = (Map<String, Object>) ((Map<String, Object>) imported.serverProperties()
			.get("capuchin")).get("server");
		assertThat(server).containsEntry("workers", 4);
		assertThat(server.get("limits")).asInstanceOf(InstanceOfAssertFactories.MAP)
			.containsEntry("max-requests-per-connection", 1);
		assertThat(texts(imported)).anySatisfy((line) -> assertThat(line)
			.endsWith("[SERVER] MaxKeepAliveRequest: not mapped (KeepAlive is off: one request per connection)"));
	}

	@Test
	void everyKeyIsReportedMappedOrNotWithFileLineSectionAndReason() {
		MonkeyImport imported = MonkeyImport.read(this.monkey.directory());
		List<String> report = texts(imported);
		assertThat(report).contains(
				"monkey.conf:20 [SERVER] Listen: mapped to capuchin.server.listeners[0].address: 0.0.0.0:2001 (binds at start)",
				"monkey.conf:30 [SERVER] Workers: mapped to nothing to set (0 is one worker per core, Capuchin's default too)",
				"monkey.conf:" + line("monkey.conf", "    Timeout ")
						+ " [SERVER] Timeout: mapped to capuchin.server.limits.request-read-timeout: 15s",
				"monkey.conf:78 [SERVER] User: not mapped (run Capuchin as the user you want)",
				"monkey.conf:" + line("monkey.conf", "    PidFile ")
						+ " [SERVER] PidFile: not mapped (Capuchin writes no pid file; let the service manager track the process)",
				"monkey.conf:" + line("monkey.conf", "    UserDir ")
						+ " [SERVER] UserDir: not mapped (Capuchin serves no ~user directories; give each one a site or a location)",
				"monkey.conf:" + line("monkey.conf", "    Indexfile ")
						+ " [SERVER] Indexfile: mapped to index-files of every imported site: [index.html, index.htm, index.php]",
				"monkey.conf:" + line("monkey.conf", "    HideVersion ")
						+ " [SERVER] HideVersion: not mapped (Capuchin's Server header never names a version)",
				"monkey.conf:" + line("monkey.conf", "    Resume ")
						+ " [SERVER] Resume: mapped to nothing to set (byte ranges are always served)",
				"monkey.conf:" + line("monkey.conf", "    KeepAlive ")
						+ " [SERVER] KeepAlive: mapped to nothing to set (keep-alive is on in Capuchin)",
				"monkey.conf:" + line("monkey.conf", "    KeepAliveTimeout ")
						+ " [SERVER] KeepAliveTimeout: mapped to capuchin.server.limits.keep-alive-timeout: 5s",
				"monkey.conf:" + line("monkey.conf", "    MaxKeepAliveRequest ")
						+ " [SERVER] MaxKeepAliveRequest: mapped to capuchin.server.limits.max-requests-per-connection: 1000",
				"monkey.conf:" + line("monkey.conf", "    SymLink ")
						+ " [SERVER] SymLink: mapped to follow-symlinks of every imported site: false",
				"monkey.conf:" + line("monkey.conf", "    TransportLayer ")
						+ " [SERVER] TransportLayer: mapped to nothing to set (plain TCP is the default)",
				"monkey.conf:" + line("monkey.conf", "    DefaultMimeType ")
						+ " [SERVER] DefaultMimeType: not mapped (unknown extensions are application/octet-stream in Capuchin)",
				"monkey.conf:" + line("monkey.conf", "    FDT ")
						+ " [SERVER] FDT: mapped to fdt of every imported site: true",
				"monkey.conf:" + line("monkey.conf", "    OverCapacity ")
						+ " [SERVER] OverCapacity: not mapped (past capuchin.server.limits.max-connections Capuchin answers"
						+ " 503 and closes, like TooBusy)",
				"plugins/logger/logger.conf:" + line("plugins/logger/logger.conf", "    FlushTimeout")
						+ " [LOGGER] FlushTimeout: mapped to capuchin.plugins.logger.flush-interval: 3s",
				"sites/default:13 [HOST] ServerName: mapped to server-names: [127.0.0.1]",
				"sites/default:23 [HOST] DocumentRoot: mapped to document-root: " + this.monkey.defaultRoot(),
				"sites/default:" + line("sites/default", "    404 ")
						+ " [ERROR_PAGES] 404: mapped to error-pages.404: /404.html",
				"sites/shop:" + line("sites/shop", "Redirect")
						+ " [HOST] Redirect: not mapped (Capuchin has no redirect of a whole host; serve it from another"
						+ " server or a proxy)",
				"sites/shop:" + line("sites/shop", "Match")
						+ " [HANDLERS] Match: mapped to a location with match: (?i)/cgi-bin/.*\\.cgi and cgi: {}",
				"sites/staff:" + line("sites/staff", "Location")
						+ " [AUTH] Location: mapped to a location with path: /private",
				"sites/staff:" + line("sites/staff", "Title") + " [AUTH] Title: mapped to its auth.realm: Staff Only");
		assertThat(report).anySatisfy((text) -> assertThat(text).startsWith("plugins/logger/logger.conf:"
				+ line("plugins/logger/logger.conf", "    MasterLog") + " [LOGGER] MasterLog: not mapped ("));
		long keys = imported.report().stream().filter((entry) -> entry.key() != null).count();
		assertThat(keys)
			.isEqualTo(countEntries("monkey.conf") + countEntries("sites/default") + countEntries("sites/shop")
					+ countEntries("sites/staff") + countEntries("plugins/logger/logger.conf"));
	}

	@Test
	void filesAndPluginDirectoriesThatAreNotReadAreReported() throws Exception {
		Files.writeString(this.monkey.directory().resolve("plugins.load"), "[PLUGINS]\n");
		Files.createDirectories(this.monkey.directory().resolve("plugins/cgi"));
		Files.delete(this.monkey.directory().resolve("plugins/mandril/mandril.conf"));
		List<String> report = texts(MonkeyImport.read(this.monkey.directory()));
		assertThat(report).contains(
				"plugins.load: not mapped (Capuchin's plugins are switched on by Spring profiles: mandril, auth, logger,"
						+ " dirlisting)",
				"plugins/auth/: not mapped (the [AUTH] sections of the site files are imported; this directory is not"
						+ " read)",
				"plugins/cgi/cgi.conf: not found, no CGI rules to import",
				"plugins/mandril/mandril.conf: not found, no Mandril rules to import");
		assertThat(report).noneMatch((line) -> line.startsWith("plugins/logger/:"));
	}

	@Test
	void aDocumentRootThatIsNoDirectoryIsRefusedWithItsLine() throws Exception {
		Files.delete(this.monkey.shopRoot().resolve("index.html"));
		Files.delete(this.monkey.shopRoot().resolve("errors/404.html"));
		Files.delete(this.monkey.shopRoot().resolve("errors"));
		Files.delete(this.monkey.shopRoot());
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> MonkeyImport.read(this.monkey.directory()))
			.withMessage("sites/shop:" + line("sites/shop", "DocumentRoot") + ": [HOST] DocumentRoot: "
					+ this.monkey.shopRoot() + " (expected: a readable directory)");
	}

	@Test
	void refusalsNameMonkeysFileAndLine() {
		refused("monkey.conf", "    Listen 2001", "    Listen 70000",
				"monkey.conf:20: [SERVER] Listen: '70000' (expected: a port, address:port or [IPv6]:port, port 1..65535)");
		refused("monkey.conf", "    KeepAlive On", "    KeepAlive maybe", "monkey.conf:"
				+ line("monkey.conf", "    KeepAlive On") + ": KeepAlive: 'maybe' (expected: on or off)");
		refused("sites/shop", "    500  errors/500.html", "    5xx  errors/500.html", "sites/shop:"
				+ line("sites/shop", "    500 ") + ": [ERROR_PAGES] '5xx' (expected: a status 400..599 and a page)");
		refused("sites/staff", "Users " + this.monkey.directory(), "Users /nowhere/",
				"sites/staff:" + line("sites/staff", "Users") + ": [AUTH] Users: /nowhere/plugins/auth/users.mk"
						+ " (expected: a readable users file made with mk_passwd)");
		refused("sites/shop", "    ServerName shop.example", "    ServerName shop!example",
				"sites/shop:" + line("sites/shop", "    ServerName shop.test") + " [HOST] ServerName: server-names:"
						+ " 'shop!example' (expected: a host name or *.domain)");
		refused("sites/default", "[ERROR_PAGES]", "ErrorPages",
				"sites/default:" + line("sites/default", "[ERROR_PAGES]")
						+ ": 'ErrorPages' (expected: an indented 'Key value' line or a" + " section header)");
	}

	@Test
	void aBadMandrilAddressIsRefusedWithItsLine() {
		this.monkey.append("plugins/mandril/mandril.conf", "    IP 10.0.0.300\n");
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> MonkeyImport.read(this.monkey.directory()))
			.withMessage("plugins/mandril/mandril.conf:" + line("plugins/mandril/mandril.conf", "10.0.0.300")
					+ ": [RULES] IP: '10.0.0.300' is not an IP address or CIDR block");
	}

	@Test
	void aDirectoryWithoutMonkeyConfIsRefused() {
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> MonkeyImport.read(this.temp.resolve("www")))
			.withMessageStartingWith("monkey.conf: missing in ");
	}

	@Test
	void siteFileNamesBecomeValidUniqueSiteNames() throws Exception {
		Files.copy(this.monkey.directory().resolve("sites/shop"), this.monkey.directory().resolve("sites/my shop"));
		Files.writeString(this.monkey.directory().resolve("sites/.hidden"), "not read");
		Files.writeString(this.monkey.directory().resolve("sites/shop~"), "not read");
		Set<String> taken = new HashSet<>();
		assertThat(MonkeyImport.siteName("my shop", taken)).isEqualTo("my-shop");
		assertThat(MonkeyImport.siteName("my-shop", taken)).isEqualTo("my-shop-2");
		assertThat(MonkeyImport.siteName("_x", taken)).isEqualTo("x");
		assertThat(MonkeyImport.siteName("...", taken)).isEqualTo("site");
		this.monkey.replace("sites/my shop", "ServerName shop.test www.shop.test", "ServerName my.shop.test");
		this.monkey.replace("sites/my shop", "ServerName shop.example", "ServerName my.shop.example");
		MonkeyImport imported = MonkeyImport.read(this.monkey.directory());
		assertThat(imported.sites()).extracting(SiteEntry::name).containsExactly("default", "my-shop", "shop", "staff");
		assertThat(texts(imported)).contains("sites/my shop: mapped to site name my-shop");
	}

	@Test
	void importedSitesReplaceStoredSitesOfTheSameNameAndJoinTheOthers() throws Exception {
		Path other = Files.createDirectories(this.temp.resolve("other"));
		SiteLoader loader = new SiteLoader(this.temp);
		SiteEntry storedDefault = new SiteEntry(loader.parse(Map.of("name", "default", "server-names",
				List.of("localhost"), "default", true, "document-root", other.toString()), null), true);
		SiteEntry kept = new SiteEntry(loader.parse(
				Map.of("name", "blog", "server-names", List.of("blog.test"), "document-root", other.toString()), null),
				false);
		MonkeyImport.Merged merged = MonkeyImport.read(this.monkey.directory()).mergeInto(List.of(kept, storedDefault));
		assertThat(merged.entries()).extracting(SiteEntry::name).containsExactly("blog", "default", "shop", "staff");
		assertThat(merged.entries().get(0)).isEqualTo(kept);
		assertThat(merged.entries().get(1).site().documentRoot()).isEqualTo(this.monkey.defaultRoot());
		assertThat(merged.notes()).extracting(ReportLine::text)
			.containsExactly("site blog: kept (not in the Monkey configuration)",
					"site default: replaced by sites/default", "site shop: added from sites/shop",
					"site staff: added from sites/staff");
	}

	@Test
	void aStoredDefaultSiteOfAnotherNameStopsBeingTheDefault() throws Exception {
		Path other = Files.createDirectories(this.temp.resolve("other"));
		SiteEntry stored = new SiteEntry(new SiteLoader(this.temp).parse(Map.of("name", "main", "server-names",
				List.of("main.test"), "default", true, "document-root", other.toString()), null), true);
		MonkeyImport.Merged merged = MonkeyImport.read(this.monkey.directory()).mergeInto(List.of(stored));
		assertThat(merged.entries().get(0).site().isDefault()).isFalse();
		assertThat(merged.entries().get(0).site().serverNames()).containsExactly("main.test");
		assertThat(merged.notes().get(0).text())
			.isEqualTo("site main: kept, no longer the default (Monkey's default site takes unknown hosts)");
	}

	@Test
	void aRefusalOfTheServiceIsTracedToMonkeysLine() {
		MonkeyImport imported = MonkeyImport.read(this.monkey.directory());
		assertThat(imported.explain("plugin auth: site staff: locations[0].auth.users-file: bad"))
			.isEqualTo("plugin auth: site staff: locations[0].auth.users-file: bad (from sites/staff:"
					+ line("sites/staff", "[AUTH]") + " [AUTH])");
		assertThat(imported.explain("site shop: server-names: 'shop.test' is already served by site blog"))
			.endsWith("(from sites/shop:" + line("sites/shop", "ServerName shop.test") + " [HOST] ServerName)");
		assertThat(imported.explain("site blog: document-root: x")).isEqualTo("site blog: document-root: x");
	}

	private int line(String file, String text) {
		return this.monkey.lineOf(file, text);
	}

	private long countEntries(String file) {
		return MonkeyConfigParser.read(this.monkey.directory().resolve(file), file)
			.sections()
			.stream()
			.mapToLong((section) -> section.entries().size())
			.sum();
	}

	private void refused(String file, String from, String to, String message) {
		this.monkey.replace(file, from, to);
		try {
			assertThatExceptionOfType(InvalidConfigurationException.class)
				.isThrownBy(() -> MonkeyImport.read(this.monkey.directory()))
				.withMessage(message);
		}
		finally {
			this.monkey.replace(file, to, from);
		}
	}

	private static List<String> texts(MonkeyImport imported) {
		return imported.report().stream().map(ReportLine::text).toList();
	}

	private static Site site(MonkeyImport imported, String name) {
		return imported.sites().stream().filter((entry) -> entry.name().equals(name)).findFirst().orElseThrow().site();
	}

}
