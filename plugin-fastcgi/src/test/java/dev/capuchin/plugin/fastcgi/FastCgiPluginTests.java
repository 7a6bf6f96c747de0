package dev.capuchin.plugin.fastcgi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.capuchin.core.internal.site.SiteLoader;
import dev.capuchin.core.spi.Location;
import dev.capuchin.core.spi.SiteTable;
import dev.capuchin.core.spi.Stage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Unit tests for {@link FastCgiPlugin}: its place in the pipeline and how it checks the
 * {@code fastcgi:} blocks of a site table.
 */
class FastCgiPluginTests {

	@TempDir
	Path temp;

	private Path root;

	private final FastCgiPlugin plugin = new FastCgiPlugin(FastCgiSettings.defaults(), FastCgiObserver.NONE);

	@BeforeEach
	void createRoot() throws IOException {
		this.root = Files.createDirectories(this.temp.resolve("htdocs"));
	}

	@Test
	void isAHandlerBeforeDirectoryListings() {
		assertThat(this.plugin.name()).isEqualTo("fastcgi");
		assertThat(this.plugin.stages()).containsExactly(Stage.HANDLE);
		assertThat(this.plugin.order()).isLessThan(1000);
	}

	@Test
	void contractBlockCompilesWithDefaults() {
		Map<Location, FastCgiLocation> blocks = prepare(
				Map.of("pass", "unix:/run/php/php-fpm.sock", "index", "index.php"));
		FastCgiLocation block = blocks.values().iterator().next();
		assertThat(block.pass()).containsExactly(FastCgiAddress.parse("unix:/run/php/php-fpm.sock"));
		assertThat(block.index()).isEqualTo("index.php");
		assertThat(block.splitPathInfo().pattern()).isEqualTo(FastCgiLocation.DEFAULT_SPLIT_PATH_INFO);
		assertThat(block.frontController()).isNull();
		assertThat(block.readTimeout()).isEqualTo(FastCgiSettings.DEFAULT_READ_TIMEOUT);
		assertThat(block.maxConnections()).isEqualTo(FastCgiSettings.DEFAULT_MAX_CONNECTIONS);
		assertThat(block.keepConnection()).isTrue();
	}

	@Test
	void blockOverridesTimeoutsAndMaximum() {
		FastCgiLocation block = prepare(Map.of("pass", List.of("10.0.0.1:9000", "10.0.0.2:9000"), "connect-timeout",
				"500ms", "read-timeout", "2m", "max-connections", 12, "split-path-info", false))
			.values()
			.iterator()
			.next();
		assertThat(block.pass()).hasSize(2);
		assertThat(block.connectTimeout()).isEqualTo(Duration.ofMillis(500));
		assertThat(block.readTimeout()).isEqualTo(Duration.ofMinutes(2));
		assertThat(block.maxConnections()).isEqualTo(12);
		assertThat(block.splitPathInfo()).isNull();
	}

	@Test
	void missingPassIsRefusedNamingTheField() {
		assertThatIllegalArgumentException().isThrownBy(() -> prepare(Map.of("index", "index.php")))
			.withMessageStartingWith("site default: locations[0].fastcgi.pass: missing");
	}

	@Test
	void badAddressInAListIsRefusedNamingItsIndex() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> prepare(Map.of("pass", List.of("127.0.0.1:9000", "nowhere"))))
			.withMessageStartingWith("site default: locations[0].fastcgi.pass[1]: 'nowhere' (expected:");
	}

	@Test
	void unknownKeyIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> prepare(Map.of("pass", "127.0.0.1:9000", "fastcgi_pass", "x")))
			.withMessageStartingWith(
					"site default: locations[0].fastcgi: unknown key 'fastcgi_pass' (expected: one of ");
	}

	@Test
	void splitPathInfoNeedsTwoGroups() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> prepare(Map.of("pass", "127.0.0.1:9000", "split-path-info", "^(.+\\.php)$")))
			.withMessageStartingWith("site default: locations[0].fastcgi.split-path-info: ")
			.withMessageContaining("two groups");
	}

	@Test
	void badDurationIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> prepare(Map.of("pass", "127.0.0.1:9000", "read-timeout", "forever")))
			.withMessageStartingWith("site default: locations[0].fastcgi.read-timeout: 'forever' (expected:");
	}

	@Test
	void maxConnectionsOutOfRangeIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> prepare(Map.of("pass", "127.0.0.1:9000", "max-connections", 0)))
			.withMessageStartingWith(
					"site default: locations[0].fastcgi.max-connections: 0 (expected: an integer from 1 to ");
	}

	@Test
	void httpProxyParamIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> prepare(Map.of("pass", "127.0.0.1:9000", "params", Map.of("HTTP_PROXY", "x"))))
			.withMessageContaining("httpoxy");
	}

	@Test
	void relativeFrontControllerIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> prepare(Map.of("pass", "127.0.0.1:9000", "front-controller", "index.php")))
			.withMessageStartingWith("site default: locations[0].fastcgi.front-controller: 'index.php' (expected:");
	}

	@Test
	void twoMaximaForOneServerAreRefused() {
		Map<String, Object> keys = siteKeys();
		keys.put("locations",
				List.of(Map.of("path", "/a/", "fastcgi", Map.of("pass", "127.0.0.1:9000", "max-connections", 4)),
						Map.of("path", "/b/", "fastcgi", Map.of("pass", "127.0.0.1:9000", "max-connections", 8))));
		assertThatIllegalArgumentException().isThrownBy(() -> this.plugin.prepare(table(keys)))
			.withMessageStartingWith("site default: locations[1].fastcgi.max-connections: 8 for 127.0.0.1:9000");
	}

	@Test
	void siteLevelBlockIsRefused() {
		Map<String, Object> keys = siteKeys();
		keys.put("fastcgi", Map.of("pass", "127.0.0.1:9000"));
		assertThatIllegalArgumentException().isThrownBy(() -> this.plugin.prepare(table(keys)))
			.withMessageStartingWith("site default: fastcgi: not read at site level");
	}

	@Test
	void statusListsEachServerOfTheTable() {
		prepare(Map.of("pass", List.of("unix:/run/php/php-fpm.sock", "127.0.0.1:9000")));
		@SuppressWarnings("unchecked")
		List<Object> servers = (List<Object>) ((Map<String, Object>) this.plugin.status()).get("servers");
		assertThat(servers).hasSize(2);
		assertThat(servers.get(0)).hasFieldOrPropertyWithValue("server", "127.0.0.1:9000")
			.hasFieldOrPropertyWithValue("open", 0)
			.hasFieldOrPropertyWithValue("maxConnections", FastCgiSettings.DEFAULT_MAX_CONNECTIONS);
	}

	@SuppressWarnings("unchecked")
	private Map<Location, FastCgiLocation> prepare(Map<String, Object> block) {
		Map<String, Object> keys = siteKeys();
		keys.put("locations", List.of(Map.of("match", "\\.php$", "fastcgi", block)));
		return (Map<Location, FastCgiLocation>) this.plugin.prepare(table(keys));
	}

	private Map<String, Object> siteKeys() {
		Map<String, Object> keys = new LinkedHashMap<>();
		keys.put("name", "default");
		keys.put("document-root", this.root.toString());
		return keys;
	}

	private SiteTable table(Map<String, Object> keys) {
		return SiteTable.of(new SiteLoader(this.temp).parse(keys, "default"));
	}

}
