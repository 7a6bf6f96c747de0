package dev.capuchin.plugin.cgi.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.capuchin.core.internal.site.SiteLoader;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.SiteTable;
import dev.capuchin.plugin.cgi.CgiLocation;
import dev.capuchin.plugin.cgi.CgiSettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CgiBlocksTests {

	@TempDir
	Path temp;

	private Path passwd;

	@BeforeEach
	void users() throws IOException {
		Files.createDirectories(this.temp.resolve("htdocs"));
		this.passwd = Files.writeString(this.temp.resolve("passwd"),
				"root:x:0:0:root:/root:/bin/sh\nwww-data:x:33:33:www:/var/www:/usr/sbin/nologin\n");
	}

	@Test
	void emptyBlockTakesTheGlobalDefaults() {
		CgiLocation cgi = location(Map.of());
		assertThat(cgi.timeout()).isEqualTo(CgiSettings.defaults().timeout());
		assertThat(cgi.passEnv()).containsExactly("PATH", "LANG");
		assertThat(cgi.interpreters()).isEmpty();
		assertThat(cgi.user()).isNull();
	}

	@Test
	void blockSettingsAreRead() {
		CgiLocation cgi = location(
				Map.of("interpreters", Map.of(".PY", "/usr/bin/python3"), "extensions", List.of(".cgi"), "pass-env",
						List.of("TZ"), "timeout", "1500ms", "queue-timeout", 0, "env", Map.of("MODE", "x")));
		assertThat(cgi.interpreter("a.py")).isEqualTo(Path.of("/usr/bin/python3"));
		assertThat(cgi.isScript("x.cgi")).isTrue();
		assertThat(cgi.isScript("x.py")).isTrue();
		assertThat(cgi.isScript("x.txt")).isFalse();
		assertThat(cgi.passEnv()).containsExactly("TZ");
		assertThat(cgi.timeout()).isEqualTo(Duration.ofMillis(1500));
		assertThat(cgi.queueTimeout()).isZero();
		assertThat(cgi.env()).containsEntry("MODE", "x");
	}

	@Test
	void unknownKeyIsNamed() {
		assertThatIllegalArgumentException().isThrownBy(() -> location(Map.of("interpreter", Map.of())))
			.withMessage("site s: locations[0].cgi.interpreter: unknown key (expected: env, extensions, "
					+ "interpreters, pass-env, queue-timeout, timeout, user)");
	}

	@Test
	void missingInterpreterIsNamed() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> location(Map.of("interpreters", Map.of(".py", "/nowhere/python"))))
			.withMessage("site s: locations[0].cgi.interpreters..py: '/nowhere/python' (expected: an executable file)");
	}

	@Test
	void extensionWithoutDotIsNamed() {
		assertThatIllegalArgumentException().isThrownBy(() -> location(Map.of("extensions", List.of("cgi"))))
			.withMessageStartingWith("site s: locations[0].cgi.extensions[0]: 'cgi' (expected: an extension");
	}

	@Test
	void badTimeoutIsNamed() {
		assertThatIllegalArgumentException().isThrownBy(() -> location(Map.of("timeout", "soon")))
			.withMessageStartingWith("site s: locations[0].cgi.timeout: 'soon' (expected: a duration");
	}

	@Test
	void badPassEnvNameIsNamed() {
		assertThatIllegalArgumentException().isThrownBy(() -> location(Map.of("pass-env", List.of("A-B"))))
			.withMessageStartingWith("site s: locations[0].cgi.pass-env[0]: 'A-B'");
	}

	@Test
	void unknownUserIsNamed() {
		assertThatIllegalArgumentException().isThrownBy(() -> location(Map.of("user", "nobody-here"), 0))
			.withMessageStartingWith("site s: locations[0].cgi.user: 'nobody-here' (expected: a user of");
	}

	@Test
	void otherUserNeedsRoot() {
		assertThatIllegalArgumentException().isThrownBy(() -> location(Map.of("user", "www-data"), 1000))
			.withMessageContaining("cgi.user: 'www-data' (expected: Capuchin running as root");
	}

	@Test
	void userIsResolvedWhenRunningAsRoot() {
		assertThat(location(Map.of("user", "www-data"), 0).user()).isEqualTo(new CgiLocation.RunAs("www-data", 33, 33));
	}

	@Test
	void siteMaxConcurrentIsRead() {
		Site site = site(Map.of(), Map.of("max-concurrent", 3));
		CgiBlocks blocks = CgiBlocks.prepare(SiteTable.of(site), CgiSettings.defaults(), this.passwd, 0);
		assertThat(blocks.maxConcurrent(site, 16)).isEqualTo(3);
	}

	@Test
	void siteBlockUnknownKeyIsNamed() {
		Site site = site(Map.of(), Map.of("timeout", "1s"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> CgiBlocks.prepare(SiteTable.of(site), CgiSettings.defaults(), this.passwd, 0))
			.withMessage("site s: cgi.timeout: unknown key (expected: max-concurrent)");
	}

	private CgiLocation location(Map<String, Object> block) {
		return location(block, 0);
	}

	private CgiLocation location(Map<String, Object> block, int uid) {
		Site site = site(block, null);
		CgiBlocks blocks = CgiBlocks.prepare(SiteTable.of(site), CgiSettings.defaults(), this.passwd, uid);
		return blocks.location(site, site.locations().get(0));
	}

	private Site site(Map<String, Object> block, Map<String, Object> siteBlock) {
		Map<String, Object> keys = new LinkedHashMap<>();
		keys.put("name", "s");
		keys.put("document-root", this.temp.resolve("htdocs").toString());
		keys.put("locations", List.of(Map.of("path", "/cgi-bin/", "cgi", block)));
		if (siteBlock != null) {
			keys.put("cgi", siteBlock);
		}
		return new SiteLoader(this.temp).parse(keys, "s");
	}

}
