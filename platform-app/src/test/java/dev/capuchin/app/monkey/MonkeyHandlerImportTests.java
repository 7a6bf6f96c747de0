package dev.capuchin.app.monkey;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.capuchin.app.shared.config.InvalidConfigurationException;
import dev.capuchin.app.sites.SiteEntry;
import dev.capuchin.core.spi.Location;
import dev.capuchin.core.spi.Site;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Monkey's CGI and FastCGI plugin files, as Monkey ships them, imported as {@code cgi:}
 * and {@code fastcgi:} locations.
 */
class MonkeyHandlerImportTests {

	@TempDir
	Path temp;

	private MonkeyFixture monkey;

	@BeforeEach
	void installMonkey() {
		this.monkey = MonkeyFixture.install(this.temp, "2001");
	}

	@Test
	void monkeysShippedCgiConfBecomesACgiLocationOfEverySite() throws IOException {
		install("cgi.conf", MonkeyHandlerMapper.CGI_CONF);
		MonkeyImport imported = MonkeyImport.read(this.monkey.directory());
		for (SiteEntry entry : imported.sites()) {
			Location last = last(entry.site());
			assertThat(last.match().pattern()).as(entry.name()).isEqualTo("(?i)/cgi-bin/.*\\.cgi|.*\\.sh");
			assertThat(last.settings()).isEqualTo(Map.of("cgi", Map.of()));
		}
		assertThat(texts(imported)).contains("plugins/cgi/cgi.conf:8 [CGI] Match: mapped to every imported site: a"
				+ " location with match: (?i)/cgi-bin/.*\\.cgi|.*\\.sh and cgi: {}");
	}

	@Test
	void aMatchWithAnInterpreterGetsTheInterpreterForItsExtension() throws IOException {
		write(MonkeyHandlerMapper.CGI_CONF, "[CGI]\n    Match .*\\.py$ /usr/bin/python3 text/plain\n");
		MonkeyImport imported = MonkeyImport.read(this.monkey.directory());
		Location location = last(site(imported, "default"));
		assertThat(location.match().pattern()).isEqualTo("(?i).*\\.py$");
		assertThat(location.settings())
			.isEqualTo(Map.of("cgi", Map.of("interpreters", Map.of(".py", "/usr/bin/python3"))));
		assertThat(texts(imported)).anySatisfy(
				(line) -> assertThat(line)
					.startsWith("plugins/cgi/cgi.conf:2 [CGI]"
							+ " Match: mapped to every imported site: a location with match: (?i).*\\.py$ and"
							+ " cgi.interpreters: {.py: /usr/bin/python3}")
					.contains("type text/plain not mapped"));
	}

	@Test
	void anInterpreterForAnExpressionWithoutAnExtensionIsReportedNotMapped() throws IOException {
		write(MonkeyHandlerMapper.CGI_CONF, "[CGI]\n    Match ^/scripts/ /usr/bin/perl\n    Timeout 30\n");
		MonkeyImport imported = MonkeyImport.read(this.monkey.directory());
		assertThat(last(site(imported, "default")).settings()).isEqualTo(Map.of("cgi", Map.of()));
		assertThat(texts(imported)).anySatisfy(
				(line) -> assertThat(line).contains("interpreter /usr/bin/perl not mapped: Capuchin's interpreters"))
			.contains("plugins/cgi/cgi.conf:3 [CGI] Timeout: not mapped (the CGI plugin reads only Match)");
	}

	@Test
	void monkeysFastcgiServerAndLocationBecomeAFastcgiLocationOfEverySite() throws IOException {
		install("fastcgi.conf", MonkeyHandlerMapper.FASTCGI_CONF);
		MonkeyImport imported = MonkeyImport.read(this.monkey.directory());
		for (SiteEntry entry : imported.sites()) {
			Location last = last(entry.site());
			assertThat(last.match().pattern()).isEqualTo("/*.php");
			assertThat(last.settings()).isEqualTo(Map.of("fastcgi", Map.of("pass", "127.0.0.1:9000")));
		}
		List<String> report = texts(imported);
		assertThat(report)
			.anySatisfy((line) -> assertThat(line).startsWith("plugins/fastcgi/fastcgi.conf:" + line("\tServerAddr 127")
					+ " [FASTCGI_SERVER] ServerAddr: mapped" + " to fastcgi.pass: 127.0.0.1:9000"));
		assertThat(report).anySatisfy(
				(line) -> assertThat(line).startsWith("plugins/fastcgi/fastcgi.conf:" + line("\tMaxConnections 5")
						+ " [FASTCGI_SERVER] MaxConnections: not mapped (the fastcgi plugin pools"));
		assertThat(report).anySatisfy((line) -> assertThat(line).startsWith("plugins/fastcgi/fastcgi.conf:"
				+ line("KeepAlive On") + " [FASTCGI_LOCATION] KeepAlive: not mapped (the fastcgi plugin always"));
		assertThat(report).anySatisfy((line) -> assertThat(line)
			.startsWith("plugins/fastcgi/fastcgi.conf:" + line("\tMatch") + " [FASTCGI_LOCATION] Match: mapped to every"
					+ " imported site: a location with match: /*.php (Monkey matched the file's real path"));
	}

	@Test
	void aLocationOfSeveralServersPassesToEachInTurnAndASocketIsAUnixAddress() throws IOException {
		write(MonkeyHandlerMapper.FASTCGI_CONF,
				"[FASTCGI_SERVER]\n    ServerName fpm\n    ServerPath /run/php/php-fpm.sock\n"
						+ "[FASTCGI_SERVER]\n    ServerName spare\n    ServerAddr 127.0.0.1:9001\n"
						+ "[FASTCGI_LOCATION]\n    ServerNames fpm spare gone\n    Match \\.php$ ^/app/\n");
		MonkeyImport imported = MonkeyImport.read(this.monkey.directory());
		Location location = last(site(imported, "shop"));
		assertThat(location.match().pattern()).isEqualTo("\\.php$|^/app/");
		assertThat(location.settings())
			.isEqualTo(Map.of("fastcgi", Map.of("pass", List.of("unix:/run/php/php-fpm.sock", "127.0.0.1:9001"))));
		assertThat(texts(imported)).anySatisfy((line) -> assertThat(line).contains("(not declared, left out: gone)"));
	}

	@Test
	void aFastcgiLocationWithoutADeclaredServerIsRefusedWithItsLine() throws IOException {
		write(MonkeyHandlerMapper.FASTCGI_CONF, "[FASTCGI_LOCATION]\n    ServerNames nowhere\n    Match \\.php$\n");
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> MonkeyImport.read(this.monkey.directory()))
			.withMessageStartingWith("plugins/fastcgi/fastcgi.conf:2: [FASTCGI_LOCATION] ServerNames: 'nowhere'");
	}

	@Test
	void anExpressionCapuchinCannotReadIsRefusedWithMonkeysFileAndLine() throws IOException {
		write(MonkeyHandlerMapper.CGI_CONF, "[CGI]\n    Match ([unclosed\n");
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> MonkeyImport.read(this.monkey.directory()))
			.withMessageStartingWith("plugins/cgi/cgi.conf:2 [CGI] Match: ");
	}

	@Test
	void aSitesOwnCgiSectionGoesToThatSiteAfterItsProtectedLocations() throws IOException {
		Path staff = this.monkey.directory().resolve("sites/staff");
		Files.writeString(staff, Files.readString(staff) + "\n[CGI]\n    Match \\.pl$ /usr/bin/perl\n");
		MonkeyImport imported = MonkeyImport.read(this.monkey.directory());
		Site site = site(imported, "staff");
		assertThat(site.locations()).extracting(Location::toString)
			.containsExactly("path /private", "match (?i)\\.pl$");
		assertThat(site.locations().get(1).settings())
			.isEqualTo(Map.of("cgi", Map.of("interpreters", Map.of(".pl", "/usr/bin/perl"))));
		assertThat(site(imported, "default").locations()).isEmpty();
		assertThat(imported.firstAuthSection())
			.isEqualTo("sites/staff:" + this.monkey.lineOf("sites/staff", "[AUTH]") + " [AUTH]");
	}

	@Test
	void handlerLocationsAloneNeedNoAuthPlugin() throws IOException {
		Path staff = this.monkey.directory().resolve("sites/staff");
		Files.writeString(staff, Files.readString(staff).replaceAll("(?s)\\[AUTH].*", ""));
		install("cgi.conf", MonkeyHandlerMapper.CGI_CONF);
		MonkeyImport imported = MonkeyImport.read(this.monkey.directory());
		assertThat(imported.protectsLocations()).isFalse();
		assertThat(imported.usesInLocations("cgi")).isTrue();
		assertThat(imported.usesInLocations("fastcgi")).isFalse();
	}

	private void install(String resource, String target) throws IOException {
		try (InputStream in = getClass().getResourceAsStream("/monkey/handlers/" + resource)) {
			write(target, new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
		}
	}

	private void write(String target, String text) throws IOException {
		Path file = this.monkey.directory().resolve(target);
		Files.createDirectories(file.getParent());
		Files.writeString(file, text);
	}

	private int line(String text) {
		return this.monkey.lineOf(MonkeyHandlerMapper.FASTCGI_CONF, text);
	}

	private static Location last(Site site) {
		assertThat(site.locations()).isNotEmpty();
		return site.locations().get(site.locations().size() - 1);
	}

	private static List<String> texts(MonkeyImport imported) {
		return imported.report().stream().map(ReportLine::text).toList();
	}

	private static Site site(MonkeyImport imported, String name) {
		return imported.sites().stream().filter((entry) -> entry.name().equals(name)).findFirst().orElseThrow().site();
	}

}
