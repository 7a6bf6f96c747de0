package dev.capuchin.core.internal.site;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.capuchin.core.spi.Hsts;
import dev.capuchin.core.spi.Site;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The {@code hsts} and {@code redirect-https} keys of a site file: defaults, checks that
 * name the field, and the round trip through the writer.
 */
class SiteHstsKeysTests {

	@TempDir
	Path base;

	private SiteLoader loader;

	@BeforeEach
	void prepare() throws IOException {
		Files.createDirectories(this.base.resolve("htdocs"));
		this.loader = new SiteLoader(this.base);
	}

	@Test
	void siteWithoutTheKeysHasNoHstsAndNoRedirect() {
		Site site = this.loader.parse(keys(), "site");
		assertThat(site.hsts()).isNull();
		assertThat(site.redirectHttps()).isFalse();
	}

	@Test
	void emptyHstsBlockMeansOneYearForThisHostOnly() {
		Map<String, Object> keys = keys();
		keys.put("hsts", Map.of());
		Site site = this.loader.parse(keys, "site");
		assertThat(site.hsts()).isEqualTo(new Hsts(Hsts.DEFAULT_MAX_AGE, false, false));
		assertThat(site.hsts().headerValue()).isEqualTo("max-age=31536000");
	}

	@Test
	void fullHstsBlockIsBound() {
		Map<String, Object> keys = keys();
		keys.put("hsts", Map.of("max-age", 63072000, "include-subdomains", true, "preload", true));
		keys.put("redirect-https", true);
		Site site = this.loader.parse(keys, "site");
		assertThat(site.hsts().headerValue()).isEqualTo("max-age=63072000; includeSubDomains; preload");
		assertThat(site.redirectHttps()).isTrue();
	}

	@Test
	void preloadWithoutSubdomainsIsRefusedNamingTheField() {
		Map<String, Object> keys = keys();
		keys.put("hsts", Map.of("preload", true));
		assertThatIllegalArgumentException().isThrownBy(() -> this.loader.parse(keys, "site"))
			.withMessage("hsts.preload: true (expected: with include-subdomains: true and max-age >= 31536000)");
	}

	@Test
	void negativeMaxAgeIsRefusedNamingTheField() {
		Map<String, Object> keys = keys();
		keys.put("hsts", Map.of("max-age", -1));
		assertThatIllegalArgumentException().isThrownBy(() -> this.loader.parse(keys, "site"))
			.withMessage("hsts.max-age: -1 (expected: 0..63072000 seconds)");
	}

	@Test
	void unknownHstsKeyIsRefused() {
		Map<String, Object> keys = keys();
		keys.put("hsts", Map.of("max-age", 60, "subdomains", true));
		assertThatIllegalArgumentException().isThrownBy(() -> this.loader.parse(keys, "site"))
			.withMessageContaining("subdomains");
	}

	@Test
	void writerKeepsHstsAndRedirect() {
		Map<String, Object> keys = keys();
		keys.put("hsts", Map.of("max-age", 600, "include-subdomains", true));
		keys.put("redirect-https", true);
		Site site = this.loader.parse(keys, "site");
		Site again = this.loader.parse(SiteWriter.toMap(site), "site");
		assertThat(again.hsts()).isEqualTo(site.hsts());
		assertThat(again.redirectHttps()).isTrue();
	}

	private Map<String, Object> keys() {
		Map<String, Object> keys = new LinkedHashMap<>();
		keys.put("document-root", "htdocs");
		return keys;
	}

}
