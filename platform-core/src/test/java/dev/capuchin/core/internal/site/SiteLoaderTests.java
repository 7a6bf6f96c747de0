package dev.capuchin.core.internal.site;

import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.TlsCertificate;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Unit tests for {@link SiteLoader}: a complete site file, and every kind of bad value
 * refused with a message that names the file and the field.
 */
class SiteLoaderTests {

	@TempDir
	Path base;

	private SiteLoader loader;

	@BeforeEach
	void prepare() throws IOException {
		Files.createDirectories(this.base.resolve("htdocs"));
		this.loader = new SiteLoader(this.base);
	}

	@Test
	void fullSiteFileIsParsed() throws IOException {
		Files.createDirectories(this.base.resolve("certs"));
		Files.writeString(this.base.resolve("certs/shop.pem"), "certificate");
		Files.writeString(this.base.resolve("certs/shop.key"), "key");
		Path file = write("shop.yml", """
				name: shop
				server-names: [Shop.Example.COM, "*.shop.example.com"]
				default: true
				listen: 127.0.0.2:8443
				document-root: htdocs
				index-files: [home.html, index.html]
				error-pages:
				  404: /errors/404.html
				  503: /errors/busy.html
				fdt: false
				follow-symlinks: true
				hidden-files: true
				precompressed: false
				tls:
				  certificate: certs/shop.pem
				  private-key: certs/shop.key
				locations:
				  - path: /api/
				    proxy: {pool: api}
				  - match: \\.php$
				    fastcgi: {address: "127.0.0.1:9000"}
				auth: {realm: shop}
				""");
		Site site = this.loader.loadFile(file);
		assertThat(site.name()).isEqualTo("shop");
		assertThat(site.serverNames()).containsExactly("shop.example.com", "*.shop.example.com");
		assertThat(site.isDefault()).isTrue();
		assertThat(site.listen()).isEqualTo(new InetSocketAddress("127.0.0.2", 8443));
		assertThat(site.documentRoot()).isEqualTo(this.base.resolve("htdocs").toRealPath());
		assertThat(site.indexFiles()).containsExactly("home.html", "index.html");
		assertThat(site.errorPages())
			.containsExactlyInAnyOrderEntriesOf(Map.of(404, "/errors/404.html", 503, "/errors/busy.html"));
		assertThat(site.fdt()).isFalse();
		assertThat(site.followSymlinks()).isTrue();
		assertThat(site.hiddenFiles()).isTrue();
		assertThat(site.precompressed()).isFalse();
		assertThat(site.tls())
			.isEqualTo(new TlsCertificate(this.base.resolve("certs/shop.pem"), this.base.resolve("certs/shop.key")));
		assertThat(site.locations()).hasSize(2);
		assertThat(site.locations().get(0).path()).isEqualTo("/api/");
		assertThat(site.locations().get(0).setting("proxy")).isEqualTo(Map.of("pool", "api"));
		assertThat(site.locations().get(1).match().pattern()).isEqualTo("\\.php$");
		assertThat(site.locate("/api/orders").path()).isEqualTo("/api/");
		assertThat(site.locate("/shop/cart.php").match()).isNotNull();
		assertThat(site.setting("auth")).isEqualTo(Map.of("realm", "shop"));
	}

	@Test
	void minimalSiteFileGetsDefaults() throws IOException {
		Site site = this.loader.loadFile(write("plain.yml", "document-root: htdocs\n"));
		assertThat(site.name()).isEqualTo("plain");
		assertThat(site.serverNames()).isEmpty();
		assertThat(site.isDefault()).isFalse();
		assertThat(site.listen()).isNull();
		assertThat(site.indexFiles()).isEqualTo(Site.DEFAULT_INDEX_FILES);
		assertThat(site.fdt()).isTrue();
		assertThat(site.followSymlinks()).isFalse();
		assertThat(site.hiddenFiles()).isFalse();
		assertThat(site.precompressed()).isTrue();
		assertThat(site.tls()).isNull();
		assertThat(site.locations()).isEmpty();
	}

	@Test
	void directoryIsLoadedInFileNameOrder() throws IOException {
		Path sites = Files.createDirectories(this.base.resolve("sites"));
		Files.writeString(sites.resolve("b.yml"), "document-root: htdocs\n");
		Files.writeString(sites.resolve("a.yaml"), "document-root: htdocs\n");
		Files.writeString(sites.resolve("notes.txt"), "not a site");
		assertThat(this.loader.loadDirectory(Path.of("sites"))).extracting(Site::name).containsExactly("a", "b");
	}

	@Test
	void missingDocumentRootIsRefused() throws IOException {
		Path file = write("site.yml", "name: site\n");
		assertRefused(file, "document-root: missing");
	}

	@Test
	void nonExistentDocumentRootIsRefused() throws IOException {
		Path file = write("site.yml", "document-root: nowhere\n");
		assertRefused(file, "document-root: " + this.base.resolve("nowhere"));
	}

	@Test
	void nonExistentDocumentRootIsReadAsWrittenWhenMissingFilesAreAllowed() throws IOException {
		Path file = write("site.yml", "document-root: nowhere\n");
		Site site = new SiteLoader(this.base, SiteLoader.MissingFiles.ALLOW).loadFile(file);
		assertThat(site.documentRoot()).isEqualTo(this.base.resolve("nowhere"));
	}

	@Test
	void unreadableCertificateIsReadAsWrittenWhenMissingFilesAreAllowed() throws IOException {
		Path file = write("site.yml",
				"document-root: htdocs\ntls:\n  certificate: missing.pem\n  private-key: missing.key\n");
		Site site = new SiteLoader(this.base, SiteLoader.MissingFiles.ALLOW).loadFile(file);
		assertThat(site.tls().certificate()).isEqualTo(this.base.resolve("missing.pem"));
	}

	@Test
	void documentRootThatIsAFileIsRefused() throws IOException {
		Files.writeString(this.base.resolve("file.txt"), "x");
		Path file = write("site.yml", "document-root: file.txt\n");
		assertRefused(file, "document-root: ");
	}

	@ParameterizedTest
	@ValueSource(strings = { "bad name", "under_score!", "a..b", "-a.test", "*.", "a.*.test", "http://a.test" })
	void badServerNameIsRefused(String serverName) throws IOException {
		Path file = write("site.yml", "document-root: htdocs\nserver-names: ['" + serverName + "']\n");
		assertRefused(file, "server-names: '" + serverName + "'");
	}

	@ParameterizedTest
	@ValueSource(strings = { "127.0.0.1", "127.0.0.1:", "127.0.0.1:99999", "127.0.0.1:-1", "127.0.0.1:http",
			"bad host:80", "[::1:80" })
	void badListenAddressIsRefused(String listen) throws IOException {
		Path file = write("site.yml", "document-root: htdocs\nlisten: '" + listen + "'\n");
		assertRefused(file, "listen: '" + listen + "'");
	}

	@ParameterizedTest
	@ValueSource(strings = { "200", "302", "600", "four-oh-four" })
	void badErrorPageStatusIsRefused(String status) throws IOException {
		Path file = write("site.yml", "document-root: htdocs\nerror-pages:\n  " + status + ": /error.html\n");
		assertRefused(file, "error-pages: '" + status + "'");
	}

	@Test
	void errorPageOutsideTheDocumentRootIsRefused() throws IOException {
		Path file = write("site.yml", "document-root: htdocs\nerror-pages:\n  404: error.html\n");
		assertRefused(file, "error-pages.404: 'error.html'");
	}

	@Test
	void badLocationRegexIsRefused() throws IOException {
		Path file = write("site.yml", "document-root: htdocs\nlocations:\n  - path: /ok/\n  - match: '(unclosed'\n");
		assertRefused(file, "locations[1].match: '(unclosed'");
	}

	@Test
	void locationWithBothPathAndMatchIsRefused() throws IOException {
		Path file = write("site.yml", "document-root: htdocs\nlocations:\n  - path: /a/\n    match: '\\.php$'\n");
		assertRefused(file, "locations[0]: exactly one of 'path' or 'match'");
	}

	@Test
	void locationWithNeitherPathNorMatchIsRefused() throws IOException {
		Path file = write("site.yml", "document-root: htdocs\nlocations:\n  - proxy: {pool: api}\n");
		assertRefused(file, "locations[0]: exactly one of 'path' or 'match'");
	}

	@Test
	void locationPathWithoutLeadingSlashIsRefused() throws IOException {
		Path file = write("site.yml", "document-root: htdocs\nlocations:\n  - path: api/\n");
		assertRefused(file, "locations[0].path: 'api/'");
	}

	@ParameterizedTest
	@ValueSource(strings = { "sub/index.html", "/index.html", "..", "." })
	void indexFileThatIsNotAPlainNameIsRefused(String index) throws IOException {
		Path file = write("site.yml", "document-root: htdocs\nindex-files: ['" + index + "']\n");
		assertRefused(file, "index-files: '" + index + "'");
	}

	@Test
	void missingTlsCertificateFileIsRefused() throws IOException {
		Files.writeString(this.base.resolve("site.key"), "key");
		Path file = write("site.yml",
				"document-root: htdocs\ntls:\n  certificate: missing.pem\n  private-key: site.key\n");
		assertRefused(file, "tls.certificate: " + this.base.resolve("missing.pem"));
	}

	@Test
	void missingTlsPrivateKeyFileIsRefused() throws IOException {
		Files.writeString(this.base.resolve("site.pem"), "certificate");
		Path file = write("site.yml",
				"document-root: htdocs\ntls:\n  certificate: site.pem\n  private-key: missing.key\n");
		assertRefused(file, "tls.private-key: " + this.base.resolve("missing.key"));
	}

	@Test
	void tlsBlockWithoutPrivateKeyIsRefused() throws IOException {
		Files.writeString(this.base.resolve("site.pem"), "certificate");
		Path file = write("site.yml", "document-root: htdocs\ntls:\n  certificate: site.pem\n");
		assertRefused(file, "tls: both 'certificate' and 'private-key' are required");
	}

	@Test
	void nonBooleanFlagIsRefused() throws IOException {
		Path file = write("site.yml", "document-root: htdocs\nfollow-symlinks: sometimes\n");
		assertRefused(file, "follow-symlinks: 'sometimes'");
	}

	@Test
	void badSiteNameIsRefused() throws IOException {
		Path file = write("site.yml", "name: 'my site'\ndocument-root: htdocs\n");
		assertRefused(file, "name: 'my site'");
	}

	@Test
	void fileThatIsNotAMappingIsRefused() throws IOException {
		Path file = write("site.yml", "- just\n- a list\n");
		assertRefused(file, "expected a mapping of site keys");
	}

	@Test
	void malformedYamlIsRefused() throws IOException {
		Path file = write("site.yml", "document-root: [htdocs\n");
		assertRefused(file, "not valid YAML");
	}

	@Test
	void unknownKeyInTheTlsBlockIsRefused() throws IOException {
		Path file = write("site.yml",
				"document-root: htdocs\ntls:\n  certificate: site.pem\n  private-key: site.key\n  password: x\n");
		assertRefusedExactly(file, "tls.password: unknown key (expected: certificate, private-key, acme)");
	}

	@Test
	void locationPathOfAnotherTypeIsRefused() throws IOException {
		Path file = write("shop.yml",
				"document-root: htdocs\nlocations:\n  - path: /a/\n  - match: '\\.php$'\n  - path: 12\n");
		assertRefusedExactly(file, "locations[2].path: 12 (expected: a string starting with /)");
	}

	@Test
	void flagOfAnotherTypeIsRefused() throws IOException {
		Path file = write("site.yml", "document-root: htdocs\nfollow-symlinks: sometimes\n");
		assertRefusedExactly(file, "follow-symlinks: 'sometimes' (expected: true or false)");
	}

	@Test
	void serverNamesOfAnotherTypeAreRefused() throws IOException {
		Path file = write("site.yml", "document-root: htdocs\nserver-names: {a: b}\n");
		assertRefusedExactly(file, "server-names: a mapping (expected: a list of host names)");
	}

	@Test
	void errorPageOfAnotherTypeIsRefused() throws IOException {
		Path file = write("site.yml", "document-root: htdocs\nerror-pages:\n  404: [a]\n");
		assertRefusedExactly(file,
				"error-pages.404: a list (expected: a path under the document root, starting with /)");
	}

	@Test
	void documentRootOfAnotherTypeIsRefused() throws IOException {
		Path file = write("site.yml", "document-root: true\n");
		assertRefusedExactly(file, "document-root: true (expected: a directory)");
	}

	@Test
	void mistypedSiteKeyIsRefused() throws IOException {
		Path file = write("site.yml", "document-root: htdocs\nfollow-symlink: true\n");
		assertRefusedExactly(file, "follow-symlink: unknown key (expected: follow-symlinks, or a plugin block)");
	}

	@Test
	void siteKeyWithUnderscoresIsRefused() throws IOException {
		Path file = write("site.yml", "document_root: htdocs\n");
		assertRefusedExactly(file, "document_root: unknown key (expected: document-root, or a plugin block)");
	}

	@Test
	void mistypedLocationKeyIsRefused() throws IOException {
		Path file = write("site.yml", "document-root: htdocs\nlocations:\n  - path: /a/\n    paths: /b/\n");
		assertRefusedExactly(file, "locations[0].paths: unknown key (expected: path, or a plugin block)");
	}

	@Test
	void keyGivenTwiceIsRefused() throws IOException {
		Path file = write("site.yml", "document-root: htdocs\nfdt: true\nfdt: false\n");
		assertRefused(file, "not valid YAML");
	}

	@Test
	void pluginBlocksOfAnyShapeAreKeptForTheirPlugins() throws IOException {
		Site site = this.loader.loadFile(write("site.yml", """
				document-root: htdocs
				dirlisting: true
				logger: {format: combined, buffer: 32}
				locations:
				  - path: /files/
				    dirlisting: {theme: plain}
				"""));
		assertThat(site.setting("dirlisting")).isEqualTo(true);
		assertThat(site.setting("logger")).isEqualTo(Map.of("format", "combined", "buffer", 32));
		assertThat(site.locations().get(0).setting("dirlisting")).isEqualTo(Map.of("theme", "plain"));
	}

	@Test
	void parsedMapIsBoundAsAFileIs() {
		Map<String, Object> keys = new java.util.LinkedHashMap<>();
		keys.put("document-root", "htdocs");
		keys.put("fdt", "yes");
		assertThatIllegalArgumentException().isThrownBy(() -> this.loader.parse(keys, "site"))
			.withMessage("fdt: 'yes' (expected: true or false)");
	}

	@Test
	void tlsFromAcmeNamesTheSiteInsteadOfFiles() {
		Site site = this.loader.parse(Map.of("document-root", "htdocs", "tls", Map.of("acme", true)), "shop");
		assertThat(site.tls().acme()).isTrue();
		assertThat(site.tls().acmeName()).isEqualTo("shop");
	}

	@Test
	void tlsFromAcmeWithFilesIsRefused() {
		Map<String, Object> keys = Map.of("document-root", "htdocs", "tls",
				Map.of("acme", true, "certificate", "a.pem", "private-key", "a.key"));
		assertThatIllegalArgumentException().isThrownBy(() -> this.loader.parse(keys, "site"))
			.withMessage("tls: acme: true takes no 'certificate' or 'private-key' (the CA issues them)");
	}

	@Test
	void parsedMapWithAnUnknownTlsKeyIsRefused() {
		Map<String, Object> keys = Map.of("document-root", "htdocs", "tls",
				Map.of("certificate", "a.pem", "private-key", "a.key", "chain", "b.pem"));
		assertThatIllegalArgumentException().isThrownBy(() -> this.loader.parse(keys, "site"))
			.withMessage("tls.chain: unknown key (expected: certificate, private-key, acme)");
	}

	@Test
	void writtenSiteIsReadBackUnchanged() throws IOException {
		Site site = this.loader.loadFile(write("shop.yml", """
				name: shop
				server-names: [shop.example.com]
				listen: 127.0.0.2:8443
				document-root: htdocs
				error-pages: {404: /errors/404.html}
				hidden-files: true
				locations:
				  - path: /api/
				    proxy: {pool: api}
				  - match: \\.php$
				auth: {realm: shop}
				"""));
		Site read = this.loader.parse(SiteWriter.toMap(site), null);
		assertThat(read).usingRecursiveComparison().ignoringFields("locations").isEqualTo(site);
		assertThat(read.locations()).extracting(Object::toString).containsExactly("path /api/", "match \\.php$");
		assertThat(read.locations().get(0).settings()).isEqualTo(site.locations().get(0).settings());
	}

	/**
	 * Found by {@code SiteLoaderFuzzTests#loadFile} (input
	 * {@code crash-9e8ed176b619fdcee09072f7d11daf5dd0019e6a}): an empty entry in a list
	 * was a {@code NullPointerException}.
	 */
	@Test
	void emptyListEntriesAreRefusedNamingTheirList() throws IOException {
		assertRefusedExactly(
				write("locations.yml",
						"name: shop\nserver-names: [shop.test]\ndocument-root: htdocs\nlocations:\n  - \n"),
				"locations[0]: an empty entry (expected: a mapping with path or match)");
		assertRefusedExactly(write("names.yml", "server-names:\n  - shop.test\n  -\ndocument-root: htdocs\n"),
				"server-names: an empty entry (expected: a host name or *.domain)");
		assertRefused(write("index.yml", "document-root: htdocs\nindex-files:\n  -\n"), "index-files: 'null'");
	}

	private void assertRefusedExactly(Path file, String message) {
		assertThatIllegalArgumentException().isThrownBy(() -> this.loader.loadFile(file))
			.withMessage(file + ": " + message);
	}

	private void assertRefused(Path file, String message) {
		assertThatIllegalArgumentException().isThrownBy(() -> this.loader.loadFile(file))
			.withMessageStartingWith(file + ": ")
			.withMessageContaining(message);
	}

	private Path write(String name, String content) throws IOException {
		return Files.writeString(this.base.resolve(name), content, StandardCharsets.UTF_8);
	}

}
