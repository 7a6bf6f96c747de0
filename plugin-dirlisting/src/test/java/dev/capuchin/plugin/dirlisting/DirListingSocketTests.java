package dev.capuchin.plugin.dirlisting;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Directory listings over a real socket: the three formats, sorting, hidden entries,
 * hostile names, streaming and the kernel's rules for what is declined. Runs on every
 * transport.
 */
@EveryTransport
class DirListingSocketTests {

	private static final Pattern HREF = Pattern.compile("<td class=\"name\"><a href=\"([^\"]*)\">([^<]*)</a>");

	@TempDir
	Path temp;

	private KernelFixture kernel;

	@Parameter
	Transport transport;

	@AfterEach
	void stopKernel() {
		if (this.kernel != null) {
			this.kernel.close();
		}
	}

	@Test
	void directoryWithoutIndexIsListedAsHtmlTable() throws Exception {
		start(files().defaultSite(Map.of("dirlisting", true)));
		RawHttp.Response response = this.kernel.get("/docs/");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
		assertThat(response.header("Vary")).isEqualToIgnoringCase("Accept");
		assertThat(response.text()).contains("<title>Index of /docs/</title>")
			.contains("<caption>3 entries, sorted by name, ascending</caption>")
			.contains("<th scope=\"col\" class=\"name\" aria-sort=\"ascending\">")
			.contains("<a href=\"/\" rel=\"up\">Parent directory</a>")
			.doesNotContain("<script");
		assertThat(links(response.text())).containsExactly("sub/", "a.txt", "b.bin");
	}

	@Test
	void listingIsSentChunkedWithoutContentLength() throws Exception {
		start(files().defaultSite(Map.of("dirlisting", true)));
		RawHttp.Response response = this.kernel.get("/docs/");
		assertThat(response.header("Transfer-Encoding")).isEqualToIgnoringCase("chunked");
		assertThat(response.header("Content-Length")).isNull();
	}

	@Test
	void jsonListingForAcceptJson() throws Exception {
		start(files().defaultSite(Map.of("dirlisting", true)));
		RawHttp.Response response = request("GET /docs/", "Accept: application/json");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.header("Content-Type")).isEqualTo("application/json");
		String json = response.text();
		assertThat(JsonPath.<List<String>>read(json, "$[*].name")).containsExactly("sub", "a.txt", "b.bin");
		assertThat(JsonPath.<List<String>>read(json, "$[*].type")).containsExactly("directory", "file", "file");
		assertThat(JsonPath.<Integer>read(json, "$[1].size")).isEqualTo(5);
		assertThat(JsonPath.<Object>read(json, "$[0].size")).isNull();
		assertThat(JsonPath.<String>read(json, "$[1].modified")).isEqualTo("2024-01-02T03:04:05Z");
		assertThat(JsonPath.<List<String>>read(json, "$[*].href")).containsExactly("/docs/sub/", "/docs/a.txt",
				"/docs/b.bin");
	}

	@Test
	void emptyDirectoryIsAnEmptyJsonArray() throws Exception {
		KernelFixture.Builder builder = files().defaultSite(Map.of("dirlisting", true));
		Files.createDirectories(builder.root().resolve("empty"));
		start(builder);
		RawHttp.Response response = request("GET /empty/", "Accept: application/json");
		assertThat(JsonPath.<List<Object>>read(response.text(), "$")).isEmpty();
	}

	@Test
	void textListingForAcceptTextPlain() throws Exception {
		start(files().defaultSite(Map.of("dirlisting", true)));
		RawHttp.Response response = request("GET /docs/", "Accept: text/plain");
		assertThat(response.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
		assertThat(response.text()).isEqualTo("""
				2024-01-02T03:04:05Z           -  sub/
				2024-01-02T03:04:05Z         5 B  a.txt
				2024-01-02T03:04:05Z     1.5 KiB  b.bin
				""");
	}

	@Test
	void browserAcceptGetsHtml() throws Exception {
		start(files().defaultSite(Map.of("dirlisting", true)));
		RawHttp.Response response = request("GET /docs/",
				"Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
		assertThat(response.header("Content-Type")).startsWith("text/html");
	}

	@Test
	void sortsBySizeDescendingWithDirectoriesFirst() throws Exception {
		start(files().defaultSite(Map.of("dirlisting", true)));
		RawHttp.Response response = this.kernel.get("/docs/?sort=size&order=desc");
		assertThat(links(response.text())).containsExactly("sub/", "b.bin", "a.txt");
		assertThat(response.text()).contains("<th scope=\"col\" class=\"size\" aria-sort=\"descending\">")
			.contains("href=\"?sort=size&amp;order=asc\"");
	}

	@Test
	void sortsByTimeAscending() throws Exception {
		KernelFixture.Builder builder = files().defaultSite(Map.of("dirlisting", true));
		Path docs = builder.root().resolve("docs");
		Files.setLastModifiedTime(docs.resolve("a.txt"), FileTime.from(Instant.parse("2025-01-01T00:00:00Z")));
		start(builder);
		assertThat(links(this.kernel.get("/docs/?sort=time&order=asc").text())).containsExactly("sub/", "b.bin",
				"a.txt");
		assertThat(links(this.kernel.get("/docs/?sort=time&order=desc").text())).containsExactly("sub/", "a.txt",
				"b.bin");
	}

	@Test
	void invalidSortFallsBackToNameAscending() throws Exception {
		start(files().defaultSite(Map.of("dirlisting", true)));
		RawHttp.Response response = this.kernel.get("/docs/?sort=owner&order=sideways");
		assertThat(response.status()).isEqualTo(200);
		assertThat(links(response.text())).containsExactly("sub/", "a.txt", "b.bin");
	}

	@Test
	void siteSortIsTheDefault() throws Exception {
		start(files().defaultSite(Map.of("dirlisting", Map.of("sort", "size", "order", "desc"))));
		assertThat(links(this.kernel.get("/docs/").text())).containsExactly("sub/", "b.bin", "a.txt");
	}

	@Test
	void sizesAreInHumanUnits() throws Exception {
		start(files().defaultSite(Map.of("dirlisting", true)));
		String html = this.kernel.get("/docs/").text();
		assertThat(html).contains("<data value=\"5\">5 B</data>").contains("<data value=\"1536\">1.5 KiB</data>");
	}

	@Test
	void dotEntriesAreHiddenByDefault() throws Exception {
		start(files().file("docs/.env", "x").file("docs/.git/config", "x").defaultSite(Map.of("dirlisting", true)));
		assertThat(links(this.kernel.get("/docs/").text())).containsExactly("sub/", "a.txt", "b.bin");
	}

	@Test
	void dotEntriesAreListedWhenTheSiteServesHiddenFiles() throws Exception {
		start(files().file("docs/.env", "x").defaultSite(Map.of("dirlisting", true, "hidden-files", true)));
		assertThat(links(this.kernel.get("/docs/").text())).containsExactly("sub/", ".env", "a.txt", "b.bin");
	}

	@Test
	void dotDirectoryIsNotListedByDefault() throws Exception {
		start(files().file(".git/config", "x").defaultSite(Map.of("dirlisting", true)));
		RawHttp.Response response = this.kernel.get("/.git/");
		assertThat(response.status()).isEqualTo(404);
		assertThat(response.text()).doesNotContain("config");
	}

	@Test
	void hidePatternsLeaveOutMatchingNames() throws Exception {
		start(files().file("docs/old.bak", "x")
			.file("docs/secret-plan.txt", "x")
			.file("docs/public.txt", "x")
			.defaultSite(Map.of("dirlisting", Map.of("hide", List.of("*.bak", "secret*")))));
		assertThat(links(this.kernel.get("/docs/").text())).containsExactly("sub/", "a.txt", "b.bin", "public.txt");
	}

	@Test
	void globalHidePatternsApplyToEverySite() throws Exception {
		start(files().file("docs/old.bak", "x").defaultSite(Map.of("dirlisting", true)),
				DirListingSettings.defaults().withHide(List.of("*.bak")));
		assertThat(links(this.kernel.get("/docs/").text())).doesNotContain("old.bak");
	}

	@Test
	void directoryMatchingAHidePatternIsNotListed() throws Exception {
		start(files().file("secret-dir/x.txt", "x")
			.defaultSite(Map.of("dirlisting", Map.of("hide", List.of("secret*")))));
		assertThat(this.kernel.get("/secret-dir/").status()).isEqualTo(403);
	}

	@Test
	void hostileNamesAreListedEscaped() throws Exception {
		start(hostile());
		RawHttp.Response response = this.kernel.get("/files/");
		String html = response.text();
		assertThat(html).doesNotContain("<img").doesNotContain("onerror=alert(1)>");
		assertThat(html).contains("&lt;img src=x onerror=alert(1)&gt;.txt").contains(">a b#?%.txt</a>");
		assertThat(response.header("Content-Security-Policy")).contains("script-src 'none'");
	}

	@Test
	void hostileNamesDownloadThroughTheirLinks() throws Exception {
		start(hostile());
		String html = this.kernel.get("/files/").text();
		List<String> hrefs = new ArrayList<>();
		Matcher matcher = HREF.matcher(html);
		while (matcher.find()) {
			hrefs.add(unescape(matcher.group(1)));
		}
		assertThat(hrefs).containsExactlyInAnyOrder("/files/%3Cimg%20src=x%20onerror=alert(1)%3E.txt",
				"/files/a%20b%23%3F%25.txt");
		for (String href : hrefs) {
			RawHttp.Response download = this.kernel.get(href);
			assertThat(download.status()).isEqualTo(200);
			assertThat(download.text()).startsWith("content of ");
		}
		assertThat(this.kernel.get("/files/a%20b%23%3F%25.txt").text()).isEqualTo("content of a b#?%.txt");
	}

	@Test
	void hostileNamesAreEscapedInJsonAndText() throws Exception {
		start(hostile());
		String json = request("GET /files/", "Accept: application/json").text();
		assertThat(json).doesNotContain("<img");
		assertThat(JsonPath.<List<String>>read(json, "$[*].name"))
			.containsExactlyInAnyOrder("<img src=x onerror=alert(1)>.txt", "a b#?%.txt");
		for (String href : JsonPath.<List<String>>read(json, "$[*].href")) {
			assertThat(this.kernel.get(href).text()).startsWith("content of ");
		}
		String text = request("GET /files/", "Accept: text/plain").text();
		assertThat(text.lines()).hasSize(2);
	}

	@Test
	void tenThousandEntriesAreListedCompletelyInChunks() throws Exception {
		KernelFixture.Builder builder = KernelFixture.builder(this.temp).defaultSite(Map.of("dirlisting", true));
		Path big = Files.createDirectories(builder.root().resolve("big"));
		for (int i = 0; i < 10_000; i++) {
			Files.createFile(big.resolve(String.format("file-%05d.txt", i)));
		}
		start(builder);
		RawHttp.Response html = this.kernel.get("/big/");
		assertThat(html.status()).isEqualTo(200);
		assertThat(html.header("Transfer-Encoding")).isEqualToIgnoringCase("chunked");
		assertThat(html.header("Content-Length")).isNull();
		List<String> names = links(html.text());
		assertThat(names).hasSize(10_000);
		assertThat(names.get(0)).isEqualTo("file-00000.txt");
		assertThat(names.get(9_999)).isEqualTo("file-09999.txt");
		assertThat(html.text()).endsWith("</html>\n");
		RawHttp.Response json = request("GET /big/", "Accept: application/json");
		assertThat(JsonPath.<List<String>>read(json.text(), "$[*].name")).hasSize(10_000);
	}

	@Test
	void rowsGoOutAHundredPerChunk() throws Exception {
		KernelFixture.Builder builder = KernelFixture.builder(this.temp).defaultSite(Map.of("dirlisting", true));
		Path dir = Files.createDirectories(builder.root().resolve("many"));
		for (int i = 0; i < 1_000; i++) {
			Files.createFile(dir.resolve("f" + i));
		}
		start(builder);
		try (RawHttp http = this.kernel.connect()) {
			http.send("GET /many/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
			String raw = new String(http.socket().getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
			String body = raw.substring(raw.indexOf("\r\n\r\n") + 4);
			int chunks = 0;
			int at = 0;
			while (true) {
				int lineEnd = body.indexOf("\r\n", at);
				int size = Integer.parseInt(body.substring(at, lineEnd), 16);
				if (size == 0) {
					break;
				}
				chunks++;
				at = lineEnd + 2 + size + 2;
			}
			// the opening, ten chunks of a hundred rows, the closing
			assertThat(chunks).isEqualTo(12);
		}
	}

	@Test
	void clientLeavingMidListingCostsNothingElse() throws Exception {
		KernelFixture.Builder builder = KernelFixture.builder(this.temp).defaultSite(Map.of("dirlisting", true));
		Path big = Files.createDirectories(builder.root().resolve("big"));
		for (int i = 0; i < 2_000; i++) {
			Files.createFile(big.resolve("a-rather-long-file-name-to-fill-the-socket-buffers-" + i + ".txt"));
		}
		start(builder);
		for (int i = 0; i < 5; i++) {
			try (RawHttp http = this.kernel.connect()) {
				http.send("GET /big/ HTTP/1.1\r\nHost: localhost\r\n\r\n");
				assertThat(http.socket().getInputStream().readNBytes(100)).hasSize(100);
			}
		}
		RawHttp.Response response = this.kernel.get("/big/");
		assertThat(response.status()).isEqualTo(200);
		assertThat(links(response.text())).hasSize(2_000);
	}

	@Test
	void listingIsCutAtMaxEntriesWithANote() throws Exception {
		KernelFixture.Builder builder = KernelFixture.builder(this.temp).defaultSite(Map.of("dirlisting", true));
		Path dir = Files.createDirectories(builder.root().resolve("many"));
		for (int i = 0; i < 30; i++) {
			Files.createFile(dir.resolve("f" + i));
		}
		start(builder, DirListingSettings.defaults().withMaxEntries(10));
		RawHttp.Response html = this.kernel.get("/many/");
		assertThat(links(html.text())).hasSize(10);
		assertThat(html.text()).contains("Only the first 10 entries of this directory are listed.");
		assertThat(html.header("Capuchin-Listing-Truncated")).isEqualTo("10");
		RawHttp.Response text = request("GET /many/", "Accept: text/plain");
		assertThat(text.text().lines()).hasSize(11).last().isEqualTo("# listing truncated at 10 entries");
	}

	@Test
	void headSendsTheHeadersOnly() throws Exception {
		start(files().defaultSite(Map.of("dirlisting", true)));
		try (RawHttp http = this.kernel.connect()) {
			RawHttp.Response head = http.send("HEAD /docs/ HTTP/1.1\r\nHost: localhost\r\n\r\n").readHead();
			assertThat(head.status()).isEqualTo(200);
			assertThat(head.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
			assertThat(head.header("Transfer-Encoding")).isEqualToIgnoringCase("chunked");
			assertThat(head.header("Content-Length")).isNull();
			RawHttp.Response next = http.exchange("GET /docs/a.txt HTTP/1.1\r\nHost: localhost\r\n\r\n");
			assertThat(next.text()).isEqualTo("aaaaa");
		}
	}

	@Test
	void keepAliveConnectionCarriesListingsBackToBack() throws Exception {
		start(files().defaultSite(Map.of("dirlisting", true)));
		try (RawHttp http = this.kernel.connect()) {
			for (int i = 0; i < 3; i++) {
				RawHttp.Response response = http.exchange("GET /docs/ HTTP/1.1\r\nHost: localhost\r\n\r\n");
				assertThat(links(response.text())).containsExactly("sub/", "a.txt", "b.bin");
			}
		}
	}

	@Test
	void http10ClientGetsTheWholeListing() throws Exception {
		start(files().defaultSite(Map.of("dirlisting", true)));
		try (RawHttp http = this.kernel.connect()) {
			RawHttp.Response response = http.exchange("GET /docs/ HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.header("Transfer-Encoding")).isNull();
			assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
			assertThat(links(response.text())).containsExactly("sub/", "a.txt", "b.bin");
		}
	}

	@Test
	void directoryWithIndexFileIsLeftToTheKernel() throws Exception {
		start(files().file("site/index.html", "<p>index</p>").defaultSite(Map.of("dirlisting", true)));
		RawHttp.Response response = this.kernel.get("/site/");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.text()).isEqualTo("<p>index</p>");
	}

	@Test
	void pathWithoutTrailingSlashIsRedirectedByTheKernel() throws Exception {
		start(files().defaultSite(Map.of("dirlisting", true)));
		RawHttp.Response response = this.kernel.get("/docs");
		assertThat(response.status()).isEqualTo(301);
		assertThat(response.header("Location")).isEqualTo("/docs/");
	}

	@Test
	void otherMethodsAreLeftToTheKernel() throws Exception {
		start(files().defaultSite(Map.of("dirlisting", true)));
		RawHttp.Response response = request("DELETE /docs/");
		assertThat(response.status()).isEqualTo(405);
	}

	@Test
	void filesAreLeftToTheKernel() throws Exception {
		start(files().defaultSite(Map.of("dirlisting", true)));
		assertThat(this.kernel.get("/docs/a.txt").text()).isEqualTo("aaaaa");
		assertThat(this.kernel.get("/docs/missing/").status()).isEqualTo(404);
	}

	@Test
	void siteWithoutDirlistingAnswers403() throws Exception {
		start(files());
		assertThat(this.kernel.get("/docs/").status()).isEqualTo(403);
	}

	@Test
	void symlinkedDirectoryIsRefusedByDefault() throws Exception {
		KernelFixture.Builder builder = files().defaultSite(Map.of("dirlisting", true));
		Files.createSymbolicLink(builder.root().resolve("up"), outside());
		start(builder);
		RawHttp.Response response = this.kernel.get("/up/");
		assertThat(response.status()).isEqualTo(403);
		assertThat(response.text()).doesNotContain("secret.txt");
	}

	@Test
	void symlinkedDirectoryIsListedWhenTheSiteFollowsSymlinks() throws Exception {
		KernelFixture.Builder builder = files().defaultSite(Map.of("dirlisting", true, "follow-symlinks", true));
		Files.createSymbolicLink(builder.root().resolve("up"), outside());
		start(builder);
		assertThat(links(this.kernel.get("/up/").text())).containsExactly("secret.txt");
	}

	@Test
	void symlinkEntriesAreListedOnlyWhenTheSiteFollowsSymlinks() throws Exception {
		KernelFixture.Builder builder = files().defaultSite(Map.of("dirlisting", true));
		Files.createSymbolicLink(builder.root().resolve("docs/link.txt"), outside().resolve("secret.txt"));
		Files.createSymbolicLink(builder.root().resolve("docs/dangling"), this.temp.resolve("nowhere"));
		start(builder);
		assertThat(links(this.kernel.get("/docs/").text())).containsExactly("sub/", "a.txt", "b.bin");
		this.kernel.close();
		start(KernelFixture.builder(this.temp).defaultSite(Map.of("dirlisting", true, "follow-symlinks", true)));
		assertThat(links(this.kernel.get("/docs/").text())).containsExactly("sub/", "a.txt", "b.bin", "link.txt");
	}

	@Test
	void locationCanSwitchListingsOff() throws Exception {
		start(files().defaultSite(
				Map.of("dirlisting", true, "locations", List.of(Map.of("path", "/docs/sub/", "dirlisting", false)))));
		assertThat(this.kernel.get("/docs/").status()).isEqualTo(200);
		assertThat(this.kernel.get("/docs/sub/").status()).isEqualTo(403);
	}

	@Test
	void locationCanSwitchListingsOn() throws Exception {
		start(files().defaultSite(Map.of("locations", List.of(Map.of("path", "/docs/sub/", "dirlisting", true)))));
		assertThat(this.kernel.get("/docs/").status()).isEqualTo(403);
		assertThat(this.kernel.get("/docs/sub/").status()).isEqualTo(200);
	}

	@Test
	void locationBlockOverridesTheSiteBlock() throws Exception {
		start(files().defaultSite(Map.of("dirlisting", Map.of("hide", List.of("*.bin")), "locations",
				List.of(Map.of("path", "/docs/", "dirlisting", Map.of("sort", "size", "order", "desc"))))));
		assertThat(links(this.kernel.get("/docs/").text())).containsExactly("sub/", "a.txt");
	}

	@Test
	void siteThemeDirectoryRendersThePage() throws Exception {
		Path theme = Files.createDirectories(this.temp.resolve("theme"));
		Files.writeString(theme.resolve("header.html"), "<ul data-path=\"{{path}}\">\n");
		Files.writeString(theme.resolve("parent.html"), "<li><a href=\"{{href}}\">..</a></li>\n");
		Files.writeString(theme.resolve("entry.html"), "<li>{{label}} {{size}}</li>\n");
		Files.writeString(theme.resolve("footer.html"), "</ul>\n");
		start(files().defaultSite(Map.of("dirlisting", Map.of("theme", theme.toString()))));
		assertThat(this.kernel.get("/docs/sub/").text()).isEqualTo(
				"<ul data-path=\"/docs/sub/\">\n<li><a href=\"/docs/\">..</a></li>\n<li>c.txt 1 B</li>\n</ul>\n");
	}

	@Test
	void siteThemeDirectoryRelativeToTheWorkingDirectoryIsFound() throws Exception {
		Path theme = Files.createDirectories(this.temp.resolve("themes/plain"));
		Files.writeString(theme.resolve("header.html"), "[");
		Files.writeString(theme.resolve("entry.html"), "{{name}};");
		Files.writeString(theme.resolve("footer.html"), "]");
		start(files().defaultSite(Map.of("dirlisting", Map.of("theme", "themes/plain"))));
		assertThat(this.kernel.get("/docs/").text()).isEqualTo("[sub;a.txt;b.bin;]");
	}

	@Test
	void readmeIsShownEscapedBelowTheList() throws Exception {
		start(files().file("docs/README.txt", "Read <b>me</b> & \"you\"\n")
			.defaultSite(Map.of("dirlisting", Map.of("readme", true))));
		String html = this.kernel.get("/docs/").text();
		assertThat(html).contains("<h2 id=\"readme-title\">README.txt</h2>\n<pre>Read &lt;b&gt;me&lt;/b&gt; "
				+ "&amp; &quot;you&quot;\n</pre>");
		assertThat(html.indexOf("<pre>")).isGreaterThan(html.indexOf("</table>"));
	}

	@Test
	void markdownReadmeIsShownAsEscapedText() throws Exception {
		start(files().file("docs/README.md", "# Title\n<script>alert(1)</script>\n")
			.file("docs/README", "plain")
			.defaultSite(Map.of("dirlisting", Map.of("readme", true))));
		String html = this.kernel.get("/docs/").text();
		assertThat(html).contains("<pre># Title\n&lt;script&gt;alert(1)&lt;/script&gt;\n</pre>")
			.doesNotContain("<script>")
			.doesNotContain("<h1>Title");
	}

	@Test
	void readmeIsNotShownUnlessSwitchedOn() throws Exception {
		start(files().file("docs/README.txt", "hello readme").defaultSite(Map.of("dirlisting", true)));
		assertThat(this.kernel.get("/docs/").text()).doesNotContain("hello readme");
	}

	@Test
	void invalidSiteBlockRefusesTheTableNamingSiteAndField() throws Exception {
		KernelFixture.Builder builder = files().plugin(new DirListingPlugin(DirListingSettings.defaults()))
			.defaultSite(Map.of("dirlisting", Map.of("sort", "owner")));
		assertThatIllegalArgumentException().isThrownBy(builder::start)
			.withMessage("plugin dirlisting: site default: dirlisting.sort: 'owner' (expected: name, size or time)");
	}

	private KernelFixture.Builder files() throws IOException {
		KernelFixture.Builder builder = KernelFixture.builder(this.temp)
			.file("docs/a.txt", "aaaaa")
			.file("docs/b.bin", new byte[1536])
			.file("docs/sub/c.txt", "c");
		Path docs = builder.root().resolve("docs");
		FileTime time = FileTime.from(Instant.parse("2024-01-02T03:04:05Z"));
		for (String name : List.of("a.txt", "b.bin", "sub")) {
			Files.setLastModifiedTime(docs.resolve(name), time);
		}
		return builder;
	}

	private KernelFixture.Builder hostile() throws IOException {
		KernelFixture.Builder builder = KernelFixture.builder(this.temp).defaultSite(Map.of("dirlisting", true));
		for (String name : List.of("<img src=x onerror=alert(1)>.txt", "a b#?%.txt")) {
			builder.file("files/" + name, "content of " + name);
		}
		return builder;
	}

	private Path outside() throws IOException {
		Path outside = Files.createDirectories(this.temp.resolve("outside"));
		Files.writeString(outside.resolve("secret.txt"), "secret");
		return outside;
	}

	private void start(KernelFixture.Builder builder) throws IOException {
		start(builder, DirListingSettings.defaults());
	}

	private void start(KernelFixture.Builder builder, DirListingSettings settings) throws IOException {
		this.kernel = builder.transport(this.transport).plugin(new DirListingPlugin(settings, this.temp)).start();
	}

	private RawHttp.Response request(String requestLine, String... headers) throws IOException {
		StringBuilder request = new StringBuilder(requestLine).append(" HTTP/1.1\r\nHost: localhost\r\n");
		for (String header : headers) {
			request.append(header).append("\r\n");
		}
		request.append("Connection: close\r\n\r\n");
		try (RawHttp http = this.kernel.connect()) {
			return http.exchange(request.toString());
		}
	}

	/** The labels of the entry links of an HTML listing, in page order. */
	private static List<String> links(String html) {
		List<String> labels = new ArrayList<>();
		Matcher matcher = HREF.matcher(html);
		while (matcher.find()) {
			labels.add(unescape(matcher.group(2)));
		}
		return labels;
	}

	private static String unescape(String html) {
		return html.replace("&lt;", "<")
			.replace("&gt;", ">")
			.replace("&quot;", "\"")
			.replace("&#39;", "'")
			.replace("&amp;", "&");
	}

}
