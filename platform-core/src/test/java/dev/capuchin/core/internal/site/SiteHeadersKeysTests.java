package dev.capuchin.core.internal.site;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.capuchin.core.spi.ResponseHeaders;
import dev.capuchin.core.spi.Site;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The {@code headers} key of a site file: the default, checks that name the field, and
 * the round trip through the writer.
 */
class SiteHeadersKeysTests {

	@TempDir
	Path base;

	private SiteLoader loader;

	@BeforeEach
	void prepare() throws IOException {
		Files.createDirectories(this.base.resolve("htdocs"));
		this.loader = new SiteLoader(this.base);
	}

	@Test
	void siteWithoutTheKeyAddsAndRemovesNothing() {
		assertThat(this.loader.parse(keys(), "site").headers()).isEqualTo(ResponseHeaders.NONE);
	}

	@Test
	void headersBlockIsBound() {
		Map<String, Object> keys = keys();
		keys.put("headers", Map.of("add", Map.of("X-Frame-Options", "DENY"), "remove", List.of("Server")));
		Site site = this.loader.parse(keys, "site");
		assertThat(site.headers().add()).containsExactly(Map.entry("X-Frame-Options", "DENY"));
		assertThat(site.headers().remove()).containsExactly("server");
	}

	@Test
	void headerNameWithASpaceIsRefusedNamingTheField() {
		Map<String, Object> keys = keys();
		keys.put("headers", Map.of("add", Map.of("X Frame", "DENY")));
		assertThatIllegalArgumentException().isThrownBy(() -> this.loader.parse(keys, "site"))
			.withMessage("headers.add: 'X Frame' (expected: a header name of letters, digits and !#$%&'*+-.^_`|~)");
	}

	@Test
	void headerValueWithALineBreakIsRefusedNamingTheField() {
		Map<String, Object> keys = keys();
		keys.put("headers", Map.of("add", Map.of("X-Frame-Options", "DENY\r\nSet-Cookie: a=b")));
		assertThatIllegalArgumentException().isThrownBy(() -> this.loader.parse(keys, "site"))
			.withMessageStartingWith("headers.add.X-Frame-Options: 'DENY")
			.withMessageEndingWith("(expected: printable ASCII, 1..4096 characters)");
	}

	@Test
	void framingHeaderIsRefusedNamingTheField() {
		Map<String, Object> keys = keys();
		keys.put("headers", Map.of("remove", List.of("Content-Length")));
		assertThatIllegalArgumentException().isThrownBy(() -> this.loader.parse(keys, "site"))
			.withMessageStartingWith("headers.remove: 'Content-Length' (expected: not one of [");
	}

	@Test
	void unknownHeadersKeyIsRefused() {
		Map<String, Object> keys = keys();
		keys.put("headers", Map.of("set", Map.of("X-Frame-Options", "DENY")));
		assertThatIllegalArgumentException().isThrownBy(() -> this.loader.parse(keys, "site"))
			.withMessageContaining("set");
	}

	@Test
	void writerKeepsTheHeadersBlock() {
		Map<String, Object> keys = keys();
		keys.put("headers", Map.of("add", Map.of("Content-Security-Policy", "default-src 'self'"), "remove",
				List.of("X-Content-Type-Options")));
		Site site = this.loader.parse(keys, "site");
		Site again = this.loader.parse(SiteWriter.toMap(site), "site");
		assertThat(again.headers()).isEqualTo(site.headers());
		assertThat(again.headers().remove()).isEqualTo(Set.of("x-content-type-options"));
	}

	private Map<String, Object> keys() {
		Map<String, Object> keys = new LinkedHashMap<>();
		keys.put("document-root", "htdocs");
		return keys;
	}

}
