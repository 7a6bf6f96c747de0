package dev.capuchin.app.shared.config;

import dev.capuchin.app.audit.AuditLog;
import dev.capuchin.app.rules.AccessRuleMigration;
import dev.capuchin.app.sites.SiteStore;
import dev.capuchin.app.tokens.ApiToken;
import dev.capuchin.app.tokens.TokenStore;
import dev.capuchin.app.users.ConsoleUser;
import dev.capuchin.app.users.ConsoleUserStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.capuchin.app.transfer.ConfigDocument;
import dev.capuchin.app.sites.SiteEntry;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.internal.site.SiteLoader;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The store's migrations and repositories, run against each supported database.
 */
abstract class StoreRepositoryTests {

	@TempDir
	Path temp;

	private DataSource dataSource;

	private JdbcTemplate jdbc;

	private SiteStore sites;

	private ConfigVersionStore versions;

	private AuditLog audit;

	private ConsoleUserStore users;

	private TokenStore tokens;

	protected abstract DataSource dataSource();

	@BeforeEach
	void migrate() {
		DataSource dataSource = dataSource();
		this.dataSource = dataSource;
		Flyway flyway = flyway(null);
		flyway.clean();
		flyway.migrate();
		this.jdbc = new JdbcTemplate(dataSource);
		this.sites = new SiteStore(this.jdbc);
		this.versions = new ConfigVersionStore(this.jdbc);
		this.audit = new AuditLog(this.jdbc);
		this.users = new ConsoleUserStore(this.jdbc);
		this.tokens = new TokenStore(this.jdbc);
	}

	@Test
	void apiTokensRoundTripAndAreFoundByTheirHash() {
		Instant created = Instant.parse("2026-11-27T10:00:00Z");
		ApiToken token = this.tokens.create("deploy", "a".repeat(64), ApiToken.Scope.WRITE, "admin", created,
				created.plusSeconds(3600));
		assertThat(token.name()).isEqualTo("deploy");
		assertThat(token.scope()).isEqualTo(ApiToken.Scope.WRITE);
		assertThat(token.createdAt()).isEqualTo(created);
		assertThat(token.expiresAt()).isEqualTo(created.plusSeconds(3600));
		assertThat(token.lastUsedAt()).isNull();
		assertThat(token.status(created)).isEqualTo(ApiToken.Status.ACTIVE);
		assertThat(token.status(created.plusSeconds(3600))).isEqualTo(ApiToken.Status.EXPIRED);
		assertThat(this.tokens.findByHash("a".repeat(64))).hasValueSatisfying((hashed) -> {
			assertThat(hashed.token()).isEqualTo(token);
			assertThat(hashed.tokenHash()).isEqualTo("a".repeat(64));
		});
		assertThat(this.tokens.findByHash("b".repeat(64))).isEmpty();
		ApiToken other = this.tokens.create("read", "b".repeat(64), ApiToken.Scope.READ, "alice", created, null);
		assertThat(this.tokens.findAll()).extracting(ApiToken::id).containsExactly(other.id(), token.id());
	}

	@Test
	void apiTokenHashesAreUnique() {
		Instant now = Instant.now();
		this.tokens.create("one", "c".repeat(64), ApiToken.Scope.READ, "admin", now, null);
		assertThatExceptionOfType(DataIntegrityViolationException.class)
			.isThrownBy(() -> this.tokens.create("two", "c".repeat(64), ApiToken.Scope.READ, "admin", now, null));
	}

	@Test
	void anApiTokenIsRevokedOnceAndItsUseWrittenOnlyWhenOlderThanAsked() {
		Instant now = Instant.parse("2026-11-27T10:00:00Z");
		ApiToken token = this.tokens.create("ci", "d".repeat(64), ApiToken.Scope.READ, "admin", now, null);
		assertThat(this.tokens.touch(token.id(), now, now.minusSeconds(60))).isTrue();
		assertThat(this.tokens.touch(token.id(), now.plusSeconds(30), now.minusSeconds(30))).isFalse();
		assertThat(this.tokens.find(token.id()).orElseThrow().lastUsedAt()).isEqualTo(now);
		assertThat(this.tokens.touch(token.id(), now.plusSeconds(61), now.plusSeconds(1))).isTrue();
		assertThat(this.tokens.revoke(token.id(), now.plusSeconds(120))).isTrue();
		assertThat(this.tokens.revoke(token.id(), now.plusSeconds(180))).isFalse();
		ApiToken revoked = this.tokens.find(token.id()).orElseThrow();
		assertThat(revoked.revokedAt()).isEqualTo(now.plusSeconds(120));
		assertThat(revoked.status(now.plusSeconds(120))).isEqualTo(ApiToken.Status.REVOKED);
		assertThat(this.tokens.revoke(token.id() + 1000, now)).isFalse();
	}

	@Test
	void theAuditLogIsReadBeforeAnEntryNumber() {
		for (int i = 0; i < 5; i++) {
			this.audit.record("admin", "update", "entry " + i, null, null);
		}
		List<AuditLog.Numbered> newest = this.audit.before(Long.MAX_VALUE, 2);
		assertThat(newest).extracting((numbered) -> numbered.entry().target()).containsExactly("entry 4", "entry 3");
		List<AuditLog.Numbered> older = this.audit.before(newest.get(1).id(), 10);
		assertThat(older).extracting((numbered) -> numbered.entry().target())
			.containsExactly("entry 2", "entry 1", "entry 0");
	}

	@Test
	void consoleAccountsRoundTripWithoutTheirHash() {
		assertThat(this.users.findAll()).isEmpty();
		ConsoleUser created = this.users.create("alice", "{bcrypt}hash-one", ConsoleUser.Role.VIEWER);
		assertThat(created.username()).isEqualTo("alice");
		assertThat(created.role()).isEqualTo(ConsoleUser.Role.VIEWER);
		assertThat(created.enabled()).isTrue();
		assertThat(created.createdAt()).isNotNull();
		assertThat(this.users.credentials("alice"))
			.hasValueSatisfying((credentials) -> assertThat(credentials.passwordHash()).isEqualTo("{bcrypt}hash-one"));
		assertThat(this.users.update("alice", ConsoleUser.Role.ADMIN, false)).isTrue();
		assertThat(this.users.changePassword("alice", "{bcrypt}hash-two")).isTrue();
		assertThat(this.users.find("alice")).hasValueSatisfying((user) -> {
			assertThat(user.role()).isEqualTo(ConsoleUser.Role.ADMIN);
			assertThat(user.enabled()).isFalse();
		});
		assertThat(this.users.credentials("alice").orElseThrow().passwordHash()).isEqualTo("{bcrypt}hash-two");
		this.users.create("bob", "{bcrypt}hash", ConsoleUser.Role.ADMIN);
		assertThat(this.users.findAll()).extracting(ConsoleUser::username).containsExactly("alice", "bob");
		assertThat(this.users.delete("alice")).isTrue();
		assertThat(this.users.delete("alice")).isFalse();
		assertThat(this.users.find("alice")).isEmpty();
	}

	@Test
	void consoleAccountNamesAreUnique() {
		this.users.create("carol", "{bcrypt}x", ConsoleUser.Role.VIEWER);
		org.assertj.core.api.Assertions
			.assertThatExceptionOfType(org.springframework.dao.DataIntegrityViolationException.class)
			.isThrownBy(() -> this.users.create("carol", "{bcrypt}y", ConsoleUser.Role.ADMIN));
	}

	@Test
	void theAuditLogIsReadAPageAtATimeNewestFirst() {
		for (int i = 1; i <= 7; i++) {
			this.audit.record("admin", "changed", "site s" + i, null, null);
		}
		assertThat(this.audit.count()).isEqualTo(7);
		assertThat(this.audit.page(0, 3)).extracting(AuditLog.Entry::target)
			.containsExactly("site s7", "site s6", "site s5");
		assertThat(this.audit.page(6, 3)).extracting(AuditLog.Entry::target).containsExactly("site s1");
	}

	@Test
	void migrationsCreateAnEmptyStore() {
		assertThat(this.sites.isEmpty()).isTrue();
		assertThat(this.versions.current()).isZero();
		assertThat(this.audit.recent(10)).isEmpty();
	}

	@Test
	void sitesRoundTripWithEveryFieldLocationsAndPluginBlocks() throws Exception {
		Site full = site("shop", Map.of("server-names", List.of("shop.test", "*.shop.test"), "listen", "127.0.0.2:2001",
				"index-files", List.of("home.html"), "error-pages", Map.of(404, "/404.html", 500, "/500.html"), "fdt",
				false, "follow-symlinks", true, "hidden-files", true, "precompressed", false, "mandril",
				Map.of("uri", Map.of("deny", List.of("/secret", "regex:\\.bak$"))), "locations",
				List.of(Map.of("path", "/private/", "auth", Map.of("realm", "Private")), Map.of("match", "\\.php$"))));
		Site plain = site("blog", Map.of("default", true));
		List<SiteEntry> entries = List.of(new SiteEntry(full, true), new SiteEntry(plain, false));
		this.sites.replaceAll(entries);
		List<SiteEntry> loaded = this.sites.findAll();
		assertThat(loaded).hasSize(2);
		assertThat(loaded.get(0).enabled()).isTrue();
		assertThat(loaded.get(1).enabled()).isFalse();
		Site back = loaded.get(0).site();
		assertThat(back.name()).isEqualTo("shop");
		assertThat(back.serverNames()).containsExactly("shop.test", "*.shop.test");
		assertThat(back.listen().getPort()).isEqualTo(2001);
		assertThat(back.indexFiles()).containsExactly("home.html");
		assertThat(back.errorPages()).containsEntry(404, "/404.html").containsEntry(500, "/500.html");
		assertThat(back.fdt()).isFalse();
		assertThat(back.followSymlinks()).isTrue();
		assertThat(back.hiddenFiles()).isTrue();
		assertThat(back.precompressed()).isFalse();
		assertThat(back.settings()).isEqualTo(full.settings());
		assertThat(back.locations()).hasSize(2);
		assertThat(back.locations().get(0).path()).isEqualTo("/private/");
		assertThat(back.locations().get(0).settings()).isEqualTo(Map.of("auth", Map.of("realm", "Private")));
		assertThat(back.locations().get(1).match().pattern()).isEqualTo("\\.php$");
		assertThat(loaded.get(1).site().isDefault()).isTrue();
	}

	@Test
	void sitesKeepTheirHstsHttpsRedirectAndHeaders() throws Exception {
		Site secure = site("secure", Map.of("hsts",
				Map.of("max-age", 31536000, "include-subdomains", true, "preload", false), "redirect-https", true,
				"headers",
				Map.of("add", Map.of("Content-Security-Policy", "default-src 'self'"), "remove", List.of("Server"))));
		this.sites.replaceAll(List.of(new SiteEntry(secure, true)));
		Site back = this.sites.findAll().get(0).site();
		assertThat(back.hsts()).isEqualTo(secure.hsts());
		assertThat(back.redirectHttps()).isTrue();
		assertThat(back.headers()).isEqualTo(secure.headers());
	}

	@Test
	void replacingSitesDropsTheOldOnesAndTheirLocations() throws Exception {
		this.sites
			.replaceAll(List.of(new SiteEntry(site("a", Map.of("locations", List.of(Map.of("path", "/x/")))), true)));
		this.sites.replaceAll(List.of(new SiteEntry(site("b", Map.of()), true)));
		assertThat(this.sites.findAll()).extracting(SiteEntry::name).containsExactly("b");
		assertThat(this.jdbc.queryForObject("select count(*) from site_location", Integer.class)).isZero();
	}

	@Test
	void theVersionStartsAtOneAndCountsEveryChange() {
		assertThat(this.versions.bump("admin")).isEqualTo(1);
		assertThat(this.versions.bump("admin")).isEqualTo(2);
		assertThat(this.versions.current()).isEqualTo(2);
	}

	@Test
	void theAuditLogKeepsWhoChangedWhatNewestFirst() {
		this.audit.record("admin", "create", "site a", null, "name: a");
		this.audit.record("ops", "update", "site a", "name: a", "name: a\nfdt: false");
		List<AuditLog.Entry> entries = this.audit.recent(10);
		assertThat(entries).extracting(AuditLog.Entry::actor).containsExactly("ops", "admin");
		assertThat(entries.get(0).before()).isEqualTo("name: a");
		assertThat(entries.get(0).after()).contains("fdt: false");
		assertThat(entries.get(1).before()).isNull();
	}

	@Test
	void accessRulesAreRowsAndReadBackIntoTheirBlocksUnchanged() throws Exception {
		Map<String, Object> siteRules = new LinkedHashMap<>();
		siteRules.put("uri", Map.of("deny", List.of("/secret", "regex:\\.bak$")));
		siteRules.put("ip", new LinkedHashMap<>(Map.of("deny", List.of("10.0.0.0/8", "192.0.2.7"))));
		siteRules.put("rate", Map.of("requests-per-second", 20, "burst", 40));
		siteRules.put("hotlink", Map.of("deny", "/images/"));
		Site shop = site("ruled",
				Map.of("mandril", siteRules, "locations", List.of(Map.of("path", "/open/"),
						Map.of("path", "/admin/", "mandril",
								Map.of("ip", Map.of("allow", List.of("10.1.0.0/16")), "uri", Map.of("deny", List.of())),
								"auth", Map.of("realm", "Admin")))));
		List<SiteEntry> entries = List.of(new SiteEntry(shop, true));
		this.sites.replaceAll(entries);
		assertThat(this.jdbc.queryForList(
				"select kind, rule_value, position from access_rule where location_id is null order by kind, position"))
			.extracting((row) -> row.get("KIND") + " " + row.get("RULE_VALUE") + " " + row.get("POSITION"))
			.containsExactly("hotlink-deny /images/ 0", "ip-deny 10.0.0.0/8 0", "ip-deny 192.0.2.7 1",
					"uri-deny /secret 0", "uri-deny regex:\\.bak$ 1");
		assertThat(this.jdbc.queryForList("select r.kind, r.rule_value, l.path from access_rule r "
				+ "join site_location l on l.id = r.location_id"))
			.extracting((row) -> row.get("KIND") + " " + row.get("RULE_VALUE") + " " + row.get("PATH"))
			.containsExactly("ip-allow 10.1.0.0/16 /admin/");
		String stored = this.jdbc.queryForObject("select plugin_settings from site where name = 'ruled'", String.class);
		assertThat(stored).contains("requests-per-second").doesNotContain("10.0.0.0/8").doesNotContain("/secret");
		List<SiteEntry> loaded = this.sites.findAll();
		Map<String, Object> expectedRules = new LinkedHashMap<>(siteRules);
		expectedRules.put("hotlink", Map.of("deny", List.of("/images/")));
		assertThat(loaded.get(0).site().setting("mandril")).isEqualTo(expectedRules);
		assertThat(loaded.get(0).site().locations().get(1).settings()).isEqualTo(shop.locations().get(1).settings());
		Site normalized = site("ruled",
				Map.of("mandril", expectedRules, "locations", List.of(Map.of("path", "/open/"),
						Map.of("path", "/admin/", "mandril",
								Map.of("ip", Map.of("allow", List.of("10.1.0.0/16")), "uri", Map.of("deny", List.of())),
								"auth", Map.of("realm", "Admin")))));
		assertThat(ConfigDocument.write(loaded, 1))
			.isEqualTo(ConfigDocument.write(List.of(new SiteEntry(normalized, true)), 1));
	}

	@Test
	void aSiteTakesItsAccessRulesWithItWhenReplacedOrDeleted() throws Exception {
		this.sites.replaceAll(List.of(new SiteEntry(
				site("gone",
						Map.of("mandril", Map.of("ip", Map.of("deny", List.of("10.0.0.1"))), "locations", List
							.of(Map.of("path", "/x/", "mandril", Map.of("uri", Map.of("deny", List.of("/y"))))))),
				true)));
		assertThat(this.jdbc.queryForObject("select count(*) from access_rule", Integer.class)).isEqualTo(2);
		this.jdbc.update("delete from site where name = 'gone'");
		assertThat(this.jdbc.queryForObject("select count(*) from access_rule", Integer.class)).isZero();
		this.sites.replaceAll(List.of(new SiteEntry(
				site("kept", Map.of("mandril", Map.of("ip", Map.of("deny", List.of("10.0.0.1"))))), true)));
		this.sites.replaceAll(List.of(new SiteEntry(site("other", Map.of()), true)));
		assertThat(this.jdbc.queryForObject("select count(*) from access_rule", Integer.class)).isZero();
	}

	@Test
	void rulesOfAStoreOlderThanVersionFiveAreMovedIntoRows() throws Exception {
		Flyway flyway = flyway("2");
		flyway.clean();
		flyway.migrate();
		Path root = Files.createDirectories(this.temp.resolve("legacy"));
		this.jdbc.update("insert into site (name, position, enabled, server_names, is_default, document_root, "
				+ "index_files, error_pages, fdt, follow_symlinks, hidden_files, precompressed, plugin_settings) "
				+ "values ('legacy', 0, true, 'legacy.test', false, ?, 'index.html', '', true, false, false, false, ?)",
				root.toString(), "{mandril: {ip: {deny: [10.0.0.0/8]}, rate: {requests-per-second: 5}}}");
		long siteId = this.jdbc.queryForObject("select id from site where name = 'legacy'", Long.class);
		this.jdbc.update("insert into site_location (site_id, position, path, plugin_settings) values (?, 0, '/a/', ?)",
				siteId, "{mandril: {uri: {deny: [/a/secret, regex:x$]}}, auth: {realm: A}}");
		flyway(null).migrate();
		assertThat(this.jdbc.queryForList("select kind, rule_value from access_rule order by kind, position"))
			.extracting((row) -> row.get("KIND") + " " + row.get("RULE_VALUE"))
			.containsExactly("ip-deny 10.0.0.0/8", "uri-deny /a/secret", "uri-deny regex:x$");
		assertThat(this.jdbc.queryForObject("select plugin_settings from site", String.class))
			.doesNotContain("10.0.0.0/8");
		Site migrated = this.sites.findAll().get(0).site();
		assertThat(migrated.setting("mandril"))
			.isEqualTo(Map.of("ip", Map.of("deny", List.of("10.0.0.0/8")), "rate", Map.of("requests-per-second", 5)));
		assertThat(migrated.locations().get(0).settings()).isEqualTo(Map.of("mandril",
				Map.of("uri", Map.of("deny", List.of("/a/secret", "regex:x$"))), "auth", Map.of("realm", "A")));
	}

	@Test
	void listsAnOlderNodeStillWritesIntoPluginSettingsAreReadWithTheRows() throws Exception {
		this.sites.replaceAll(List.of(new SiteEntry(
				site("mixed", Map.of("mandril", Map.of("ip", Map.of("deny", List.of("10.0.0.1"))))), true)));
		this.jdbc.update("update site set plugin_settings = ? where name = 'mixed'",
				"{mandril: {ip: {deny: [10.0.0.1, 10.0.0.2]}}}");
		assertThat(this.sites.findAll().get(0).site().setting("mandril"))
			.isEqualTo(Map.of("ip", Map.of("deny", List.of("10.0.0.1", "10.0.0.2"))));
	}

	private Flyway flyway(String target) {
		var configuration = Flyway.configure()
			.dataSource(this.dataSource)
			.cleanDisabled(false)
			.javaMigrations(new AccessRuleMigration());
		if (target != null) {
			configuration.target(target);
		}
		return configuration.load();
	}

	private Site site(String name, Map<String, Object> keys) throws Exception {
		Path root = Files.createDirectories(this.temp.resolve(name));
		Map<String, Object> all = new LinkedHashMap<>(keys);
		all.put("name", name);
		all.put("document-root", root.toString());
		return new SiteLoader(this.temp).parse(all, name);
	}

}
