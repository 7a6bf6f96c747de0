package dev.capuchin.core.internal.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Static files over a real socket: validators, conditional requests, ranges, directories,
 * error pages, methods, path safety and precompressed siblings, on every transport.
 */
@EveryTransport
class StaticFileSocketTests {

	private static final String TEXT = "0123456789abcdefghij";

	private static final Instant MODIFIED = Instant.parse("2024-01-02T03:04:05Z");

	private static final String SECRET = "top-secret-outside-the-root";

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
	void getServesFileWithContentLength() throws Exception {
		start(files());
		RawHttp.Response response = this.kernel.get("/text.txt");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.header("Content-Length")).isEqualTo("20");
		assertThat(response.text()).isEqualTo(TEXT);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			page.html | text/html; charset=utf-8
			style.css | text/css; charset=utf-8
			app.js    | text/javascript; charset=utf-8
			image.png | image/png
			blob.zzz  | application/octet-stream
			""")
	void contentTypeComesFromMimeTable(String name, String type) throws Exception {
		start(files().file(name, "x"));
		RawHttp.Response response = this.kernel.get("/" + name);
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.header("Content-Type")).isEqualTo(type);
	}

	@Test
	void lastModifiedIsTheFileTimeAsImfFixdate() throws Exception {
		start(files());
		RawHttp.Response response = this.kernel.get("/text.txt");
		assertThat(response.header("Last-Modified")).isEqualTo("Tue, 02 Jan 2024 03:04:05 GMT");
	}

	@Test
	void etagIsStrong() throws Exception {
		start(files());
		String etag = this.kernel.get("/text.txt").header("ETag");
		assertThat(etag).startsWith("\"").endsWith("\"").hasSizeGreaterThan(2);
		assertThat(this.kernel.get("/text.txt").header("ETag")).isEqualTo(etag);
	}

	@Test
	void dateIsCurrentImfFixdate() throws Exception {
		start(files());
		String date = this.kernel.get("/text.txt").header("Date");
		assertThat(date).matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
		Instant sent = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
		assertThat(Duration.between(sent, Instant.now()).abs()).isLessThan(Duration.ofMinutes(1));
	}

	@Test
	void acceptRangesIsBytes() throws Exception {
		start(files());
		assertThat(this.kernel.get("/text.txt").header("Accept-Ranges")).isEqualTo("bytes");
	}

	@Test
	void headHasHeadersAndNoBody() throws Exception {
		start(files());
		try (RawHttp http = this.kernel.connect()) {
			RawHttp.Response head = http.send("HEAD /text.txt HTTP/1.1\r\nHost: localhost\r\n\r\n").readHead();
			assertThat(head.status()).isEqualTo(200);
			assertThat(head.header("Content-Length")).isEqualTo("20");
			assertThat(head.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
			assertThat(head.header("ETag")).isNotNull();
			assertThat(head.header("Last-Modified")).isNotNull();
			// a body after the HEAD response would be read as the next status line
			RawHttp.Response next = http.exchange(RawHttp.get("/text.txt", "localhost"));
			assertThat(next.statusLine()).isEqualTo("HTTP/1.1 200 OK");
			assertThat(next.text()).isEqualTo(TEXT);
		}
	}

	@Test
	void ifNoneMatchWithCurrentEtagIs304() throws Exception {
		start(files());
		String etag = this.kernel.get("/text.txt").header("ETag");
		RawHttp.Response response = request("GET /text.txt", "If-None-Match: " + etag);
		assertThat(response.status()).isEqualTo(304);
		assertThat(response.header("ETag")).isEqualTo(etag);
		assertThat(response.body()).isEmpty();
	}

	@Test
	void ifNoneMatchStarIs304() throws Exception {
		start(files());
		assertThat(request("GET /text.txt", "If-None-Match: *").status()).isEqualTo(304);
	}

	@Test
	void ifNoneMatchWithWeakFormOfEtagIs304() throws Exception {
		start(files());
		String etag = this.kernel.get("/text.txt").header("ETag");
		RawHttp.Response response = request("GET /text.txt", "If-None-Match: \"other\", W/" + etag);
		assertThat(response.status()).isEqualTo(304);
	}

	@Test
	void ifNoneMatchWithOtherEtagIs200() throws Exception {
		start(files());
		RawHttp.Response response = request("GET /text.txt", "If-None-Match: \"other\"");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.text()).isEqualTo(TEXT);
	}

	@Test
	void notModifiedResponseHasNoBodyOnAKeptAliveConnection() throws Exception {
		start(files());
		String etag = this.kernel.get("/text.txt").header("ETag");
		try (RawHttp http = this.kernel.connect()) {
			RawHttp.Response notModified = http
				.exchange("GET /text.txt HTTP/1.1\r\nHost: localhost\r\nIf-None-Match: " + etag + "\r\n\r\n");
			assertThat(notModified.status()).isEqualTo(304);
			RawHttp.Response next = http.exchange(RawHttp.get("/text.txt", "localhost"));
			assertThat(next.statusLine()).isEqualTo("HTTP/1.1 200 OK");
			assertThat(next.text()).isEqualTo(TEXT);
		}
	}

	@Test
	void ifModifiedSinceLastModifiedIs304() throws Exception {
		start(files());
		RawHttp.Response response = request("GET /text.txt", "If-Modified-Since: Tue, 02 Jan 2024 03:04:05 GMT");
		assertThat(response.status()).isEqualTo(304);
		assertThat(response.body()).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "Tue, 02 Jan 2024 03:04:05 GMT", "Tuesday, 02-Jan-24 03:04:05 GMT",
			"Tue Jan  2 03:04:05 2024" })
	void ifModifiedSinceInEachDateFormIs304(String date) throws Exception {
		start(files());
		RawHttp.Response response = request("GET /text.txt", "If-Modified-Since: " + date);
		assertThat(response.status()).isEqualTo(304);
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "Mon, 01 Jan 2024 00:00:00 GMT", "Monday, 01-Jan-24 00:00:00 GMT", "Mon Jan  1 00:00:00 2024" })
	void ifUnmodifiedSinceAnOlderDateInEachFormIs412(String date) throws Exception {
		start(files());
		RawHttp.Response response = request("GET /text.txt", "If-Unmodified-Since: " + date);
		assertThat(response.status()).isEqualTo(412);
	}

	@Test
	void headerNamesOfADirectAnswerAreInTheirRegisteredCase() throws Exception {
		start(files());
		String head = head(rawExchange("GET /text.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
		assertThat(head).startsWith("HTTP/1.1 200 OK\r\n")
			.contains("\r\nServer: Capuchin\r\n", "\r\nDate: ", "\r\nContent-Type: ", "\r\nContent-Length: 20\r\n",
					"\r\nETag: ", "\r\nLast-Modified: ", "\r\nAccept-Ranges: bytes\r\n");
	}

	@Test
	void headerNamesOfAStagedAnswerAreInTheirRegisteredCase() throws Exception {
		start(files());
		String head = head(rawExchange(
				"GET /text.txt HTTP/1.1\r\nHost: localhost\r\nRange: bytes=0-1\r\nConnection: close\r\n\r\n"));
		assertThat(head).startsWith("HTTP/1.1 206 Partial Content\r\n")
			.contains("\r\nServer: Capuchin\r\n", "\r\nContent-Range: bytes 0-1/20\r\n", "\r\nContent-Length: 2\r\n",
					"\r\nETag: ", "\r\nLast-Modified: ", "\r\nConnection: close\r\n");
	}

	@Test
	void aDirectAnswerSaysNosniff() throws Exception {
		start(files());
		String head = head(rawExchange("GET /text.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
		assertThat(head).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\nX-Content-Type-Options: nosniff\r\n");
	}

	@Test
	void aStagedAnswerSaysNosniff() throws Exception {
		start(files());
		String head = head(rawExchange(
				"GET /text.txt HTTP/1.1\r\nHost: localhost\r\nRange: bytes=0-1\r\nConnection: close\r\n\r\n"));
		assertThat(head).startsWith("HTTP/1.1 206 Partial Content\r\n")
			.contains("\r\nX-Content-Type-Options: nosniff\r\n");
	}

	@Test
	void anErrorAnswerSaysNosniff() throws Exception {
		start(files());
		String head = head(rawExchange("GET /missing.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
		assertThat(head).startsWith("HTTP/1.1 404 ").contains("\r\nX-Content-Type-Options: nosniff\r\n");
	}

	@Test
	void aRefusalOfTheCodecSaysNosniff() throws Exception {
		start(files());
		String head = head(rawExchange("GET /text.txt HTTP/2.0\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
		assertThat(head).startsWith("HTTP/1.1 505 ").contains("\r\nX-Content-Type-Options: nosniff\r\n");
	}

	@Test
	void theAnswerToAnHttp10RequestSaysHttp11() throws Exception {
		start(files());
		String head = head(rawExchange("GET /text.txt HTTP/1.0\r\nHost: localhost\r\n\r\n"));
		assertThat(head).startsWith("HTTP/1.1 200 OK\r\n");
	}

	@Test
	void ifModifiedSinceOlderDateIs200() throws Exception {
		start(files());
		RawHttp.Response response = request("GET /text.txt", "If-Modified-Since: Mon, 01 Jan 2024 00:00:00 GMT");
		assertThat(response.status()).isEqualTo(200);
	}

	@Test
	void ifMatchMismatchIs412() throws Exception {
		start(files());
		RawHttp.Response response = request("GET /text.txt", "If-Match: \"other\"");
		assertThat(response.status()).isEqualTo(412);
		assertThat(response.text()).doesNotContain(TEXT);
	}

	@Test
	void ifUnmodifiedSinceOlderDateIs412() throws Exception {
		start(files());
		RawHttp.Response response = request("GET /text.txt", "If-Unmodified-Since: Mon, 01 Jan 2024 00:00:00 GMT");
		assertThat(response.status()).isEqualTo(412);
	}

	@Test
	void singleRangeIs206WithContentRange() throws Exception {
		start(files());
		RawHttp.Response response = request("GET /text.txt", "Range: bytes=2-5");
		assertThat(response.status()).isEqualTo(206);
		assertThat(response.header("Content-Range")).isEqualTo("bytes 2-5/20");
		assertThat(response.header("Content-Length")).isEqualTo("4");
		assertThat(response.text()).isEqualTo("2345");
	}

	@Test
	void suffixRangeServesTheLastBytes() throws Exception {
		start(files());
		RawHttp.Response response = request("GET /text.txt", "Range: bytes=-3");
		assertThat(response.status()).isEqualTo(206);
		assertThat(response.header("Content-Range")).isEqualTo("bytes 17-19/20");
		assertThat(response.text()).isEqualTo("hij");
	}

	@Test
	void openEndedRangeServesToTheEnd() throws Exception {
		start(files());
		RawHttp.Response response = request("GET /text.txt", "Range: bytes=15-");
		assertThat(response.status()).isEqualTo(206);
		assertThat(response.header("Content-Range")).isEqualTo("bytes 15-19/20");
		assertThat(response.text()).isEqualTo("fghij");
	}

	@Test
	void multipleRangesAreMultipartByteranges() throws Exception {
		start(files());
		byte[] raw = rawExchange("GET /text.txt HTTP/1.1\r\nHost: localhost\r\nRange: bytes=0-1, 5-7, -2\r\n"
				+ "Connection: close\r\n\r\n");
		String all = new String(raw, StandardCharsets.ISO_8859_1);
		int end = all.indexOf("\r\n\r\n");
		String head = all.substring(0, end);
		String body = all.substring(end + 4);
		assertThat(head).startsWith("HTTP/1.1 206 ");
		String type = headerOf(head, "content-type");
		assertThat(type).startsWith("multipart/byteranges; boundary=");
		assertThat(headerOf(head, "content-length")).isEqualTo(Integer.toString(body.length()));
		String boundary = type.substring(type.indexOf("boundary=") + 9);
		assertThat(body).endsWith("\r\n--" + boundary + "--\r\n");
		List<String[]> parts = parts(body, boundary);
		assertThat(parts).hasSize(3);
		assertThat(parts.get(0)).containsExactly("text/plain; charset=utf-8", "bytes 0-1/20", "01");
		assertThat(parts.get(1)).containsExactly("text/plain; charset=utf-8", "bytes 5-7/20", "567");
		assertThat(parts.get(2)).containsExactly("text/plain; charset=utf-8", "bytes 18-19/20", "ij");
	}

	@Test
	void rangeBeyondEndIs416() throws Exception {
		start(files());
		RawHttp.Response response = request("GET /text.txt", "Range: bytes=20-30");
		assertThat(response.status()).isEqualTo(416);
		assertThat(response.header("Content-Range")).isEqualTo("bytes */20");
		assertThat(response.text()).doesNotContain(TEXT);
	}

	@ParameterizedTest
	@ValueSource(strings = { "bytes=5-2", "bytes=abc", "items=0-1", "bytes=1-2-3" })
	void malformedRangeIsIgnored(String range) throws Exception {
		start(files());
		RawHttp.Response response = request("GET /text.txt", "Range: " + range);
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.header("Content-Range")).isNull();
		assertThat(response.text()).isEqualTo(TEXT);
	}

	@Test
	void ifRangeWithCurrentEtagServesTheRange() throws Exception {
		start(files());
		String etag = this.kernel.get("/text.txt").header("ETag");
		RawHttp.Response response = request("GET /text.txt", "Range: bytes=0-3", "If-Range: " + etag);
		assertThat(response.status()).isEqualTo(206);
		assertThat(response.text()).isEqualTo("0123");
	}

	@Test
	void ifRangeWithOtherEtagServesTheWholeFile() throws Exception {
		start(files());
		RawHttp.Response response = request("GET /text.txt", "Range: bytes=0-3", "If-Range: \"other\"");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.header("Content-Range")).isNull();
		assertThat(response.text()).isEqualTo(TEXT);
	}

	@Test
	void directoryWithSlashServesIndexFile() throws Exception {
		start(files().file("dir/index.html", "<p>index</p>"));
		RawHttp.Response response = this.kernel.get("/dir/");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
		assertThat(response.text()).isEqualTo("<p>index</p>");
	}

	@Test
	void directoryWithoutSlashRedirectsKeepingQuery() throws Exception {
		start(files().file("dir/index.html", "<p>index</p>"));
		RawHttp.Response response = this.kernel.get("/dir?a=1&b=2");
		assertThat(response.status()).isEqualTo(301);
		assertThat(response.header("Location")).isEqualTo("/dir/?a=1&b=2");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			/my%20dir      | /my%20dir/
			/%C3%A9t%C3%A9 | /%C3%A9t%C3%A9/
			/a%3Fb         | /a%3Fb/
			/x/../my%20dir | /my%20dir/
			""")
	void directoryRedirectKeepsThePathEncoded(String target, String location) throws Exception {
		start(files().file("my dir/index.html", "1").file("été/index.html", "2").file("a?b/index.html", "3"));
		RawHttp.Response response = this.kernel.get(target);
		assertThat(response.status()).isEqualTo(301);
		assertThat(response.header("Location")).isEqualTo(location);
	}

	@Test
	void directoryWithoutIndexIs403() throws Exception {
		start(files().file("empty/readme.md", "not an index"));
		assertThat(this.kernel.get("/empty/").status()).isEqualTo(403);
	}

	@Test
	void fileWithTrailingSlashIs404() throws Exception {
		start(files());
		RawHttp.Response response = this.kernel.get("/text.txt/");
		assertThat(response.status()).isEqualTo(404);
		assertThat(response.text()).doesNotContain(TEXT);
	}

	@Test
	void absoluteFormTargetIsServed() throws Exception {
		start(files());
		RawHttp.Response response = request("GET http://localhost/text.txt");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.text()).isEqualTo(TEXT);
	}

	@Test
	void missingFileIs404() throws Exception {
		start(files());
		assertThat(this.kernel.get("/nope.txt").status()).isEqualTo(404);
	}

	@Test
	void customErrorPageIsServedWithItsStatus() throws Exception {
		start(files().file("errors/404.html", "<h1>custom missing</h1>")
			.defaultSite(Map.of("error-pages", Map.of(404, "/errors/404.html"))));
		RawHttp.Response response = this.kernel.get("/nope.txt");
		assertThat(response.status()).isEqualTo(404);
		assertThat(response.text()).isEqualTo("<h1>custom missing</h1>");
		assertThat(response.header("Content-Type")).startsWith("text/html");
	}

	@ParameterizedTest
	@ValueSource(strings = { "POST", "PUT", "DELETE", "PATCH" })
	void otherMethodsOnAFileAre405WithAllow(String method) throws Exception {
		start(files());
		RawHttp.Response response = request(method + " /text.txt", "Content-Length: 0");
		assertThat(response.status()).isEqualTo(405);
		assertThat(response.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
		assertThat(response.text()).doesNotContain(TEXT);
	}

	@Test
	void optionsIs204WithAllow() throws Exception {
		start(files());
		RawHttp.Response response = request("OPTIONS /text.txt");
		assertThat(response.status()).isEqualTo(204);
		assertThat(response.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
		assertThat(response.body()).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "/../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/a/..%2f..%2fsecret", "/../secret.txt",
			"/../../secret.txt", "/%2e%2e/secret.txt", "/%2e%2e/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt",
			"/a/..%2f..%2fsecret.txt", "/a/%2e%2e/%2e%2e/secret.txt", "/..%5csecret.txt", "/..\\secret.txt",
			"/a/..\\..\\secret.txt", "/text.txt%00.html", "/%00/../secret.txt", "/%c0%ae%c0%ae/secret.txt",
			"http://localhost/../secret.txt", "//../secret.txt" })
	void traversalNeverLeavesTheDocumentRoot(String target) throws Exception {
		start(files());
		byte[] raw = rawExchange("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
		String response = new String(raw, StandardCharsets.ISO_8859_1);
		assertThat(response).doesNotContain(SECRET).doesNotContain("root:");
		assertThat(response).matches("(?s)HTTP/1\\.1 (400|404) .*");
	}

	@Test
	void symlinkOutOfTheRootIs403ByDefault() throws Exception {
		KernelFixture.Builder builder = files();
		Files.createSymbolicLink(builder.root().resolve("link.txt"), this.temp.resolve("secret.txt"));
		start(builder);
		RawHttp.Response response = this.kernel.get("/link.txt");
		assertThat(response.status()).isEqualTo(403);
		assertThat(response.text()).doesNotContain(SECRET);
	}

	@Test
	void symlinkedDirectoryOutOfTheRootIs403ByDefault() throws Exception {
		KernelFixture.Builder builder = files();
		Files.createSymbolicLink(builder.root().resolve("up"), this.temp);
		start(builder);
		RawHttp.Response response = this.kernel.get("/up/secret.txt");
		assertThat(response.status()).isEqualTo(403);
		assertThat(response.text()).doesNotContain(SECRET);
	}

	@Test
	void symlinkIsServedWhenSiteFollowsSymlinks() throws Exception {
		KernelFixture.Builder builder = files().defaultSite(Map.of("follow-symlinks", true));
		Files.createSymbolicLink(builder.root().resolve("link.txt"), this.temp.resolve("secret.txt"));
		start(builder);
		RawHttp.Response response = this.kernel.get("/link.txt");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.text()).isEqualTo(SECRET);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/.env", "/dir/.git/config", "/%2eenv" })
	void dotfileIs404ByDefault(String target) throws Exception {
		start(files().file(".env", "PASSWORD=1").file("dir/.git/config", "[core]"));
		RawHttp.Response response = this.kernel.get(target);
		assertThat(response.status()).isEqualTo(404);
		assertThat(response.text()).doesNotContain("PASSWORD").doesNotContain("[core]");
	}

	@Test
	void dotfileIsServedWhenSiteAllowsHiddenFiles() throws Exception {
		start(files().file(".env", "PASSWORD=1").defaultSite(Map.of("hidden-files", true)));
		assertThat(this.kernel.get("/.env").text()).isEqualTo("PASSWORD=1");
	}

	@Test
	void wellKnownIsServed() throws Exception {
		start(files().file(".well-known/x", "known"));
		RawHttp.Response response = this.kernel.get("/.well-known/x");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.text()).isEqualTo("known");
	}

	@Test
	void gzipSiblingIsServedToGzipClients() throws Exception {
		start(precompressed());
		RawHttp.Response response = request("GET /app.js", "Accept-Encoding: gzip, deflate");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.header("Content-Encoding")).isEqualTo("gzip");
		assertThat(response.header("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
		assertThat(response.header("Vary")).isEqualToIgnoringCase("Accept-Encoding");
		assertThat(response.body()).isEqualTo(bytes("GZ-BYTES"));
	}

	@Test
	void identityIsServedWithoutAcceptEncoding() throws Exception {
		start(precompressed());
		RawHttp.Response response = request("GET /app.js");
		assertThat(response.header("Content-Encoding")).isNull();
		assertThat(response.header("Vary")).isEqualToIgnoringCase("Accept-Encoding");
		assertThat(response.text()).isEqualTo("console.log(1)");
	}

	@Test
	void identityIsServedWhenGzipHasQualityZero() throws Exception {
		start(precompressed());
		RawHttp.Response response = request("GET /app.js", "Accept-Encoding: gzip;q=0, identity");
		assertThat(response.header("Content-Encoding")).isNull();
		assertThat(response.text()).isEqualTo("console.log(1)");
	}

	@Test
	void brotliSiblingIsPreferredOverGzip() throws Exception {
		start(precompressed().file("app.js.br", "BR-BYTES"));
		RawHttp.Response response = request("GET /app.js", "Accept-Encoding: gzip, br");
		assertThat(response.header("Content-Encoding")).isEqualTo("br");
		assertThat(response.text()).isEqualTo("BR-BYTES");
	}

	@Test
	void precompressedVariantHasItsOwnEtag() throws Exception {
		start(precompressed());
		String identity = request("GET /app.js").header("ETag");
		String gzip = request("GET /app.js", "Accept-Encoding: gzip").header("ETag");
		assertThat(gzip).isNotEqualTo(identity);
	}

	@Test
	void largeFileDownloadIsIntact() throws Exception {
		byte[] content = new byte[10 * 1024 * 1024];
		new Random(42).nextBytes(content);
		start(files().file("big.bin", content));
		RawHttp.Response response = this.kernel.get("/big.bin");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.header("Content-Length")).isEqualTo(Integer.toString(content.length));
		assertThat(sha256(response.body())).isEqualTo(sha256(content));
	}

	@Test
	void largeFileRangeIsIntact() throws Exception {
		byte[] content = new byte[10 * 1024 * 1024];
		new Random(7).nextBytes(content);
		start(files().file("big.bin", content));
		RawHttp.Response response = request("GET /big.bin", "Range: bytes=1000-9000999");
		assertThat(response.status()).isEqualTo(206);
		assertThat(sha256(response.body())).isEqualTo(sha256(Arrays.copyOfRange(content, 1000, 9001000)));
	}

	@Test
	void percentEncodedFileNameIsServed() throws Exception {
		start(files().file("a b.txt", "spaced").file("é.txt", "accent"));
		assertThat(this.kernel.get("/a%20b.txt").text()).isEqualTo("spaced");
		assertThat(this.kernel.get("/%C3%A9.txt").text()).isEqualTo("accent");
	}

	/** A kernel on this transport with {@code text.txt} and secrets beside the root. */
	private KernelFixture.Builder files() throws IOException {
		Files.writeString(this.temp.resolve("secret.txt"), SECRET);
		Files.writeString(this.temp.resolve("secret"), SECRET);
		KernelFixture.Builder builder = KernelFixture.builder(this.temp)
			.transport(this.transport)
			.settings((settings) -> settings.withShutdownTimeout(Duration.ofSeconds(1)))
			.file("text.txt", TEXT);
		Files.setLastModifiedTime(builder.root().resolve("text.txt"), FileTime.from(MODIFIED));
		return builder;
	}

	private KernelFixture.Builder precompressed() throws IOException {
		return files().file("app.js", "console.log(1)").file("app.js.gz", bytes("GZ-BYTES"));
	}

	private void start(KernelFixture.Builder builder) throws IOException {
		this.kernel = builder.start();
		assertThat(this.kernel.server().transport().transport()).isEqualTo(this.transport);
	}

	/** One request with extra header lines, on its own connection. */
	private RawHttp.Response request(String methodAndTarget, String... headers) throws IOException {
		StringBuilder request = new StringBuilder(methodAndTarget).append(" HTTP/1.1\r\nHost: localhost\r\n");
		for (String header : headers) {
			request.append(header).append("\r\n");
		}
		request.append("Connection: close\r\n\r\n");
		try (RawHttp http = this.kernel.connect()) {
			return http.exchange(request.toString());
		}
	}

	/** Every byte the server sends until it closes the connection. */
	private byte[] rawExchange(String request) throws IOException {
		try (RawHttp http = this.kernel.connect()) {
			http.send(request);
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			http.socket().getInputStream().transferTo(out);
			return out.toByteArray();
		}
	}

	private static String head(byte[] raw) {
		String all = new String(raw, StandardCharsets.ISO_8859_1);
		return all.substring(0, all.indexOf("\r\n\r\n") + 2);
	}

	private static String headerOf(String head, String name) {
		for (String line : head.split("\r\n")) {
			int colon = line.indexOf(':');
			if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
				return line.substring(colon + 1).trim();
			}
		}
		return null;
	}

	/** The parts of a multipart body as {content-type, content-range, data}. */
	private static List<String[]> parts(String body, String boundary) {
		List<String[]> parts = new ArrayList<>();
		String delimiter = "\r\n--" + boundary;
		int at = body.indexOf(delimiter);
		assertThat(at).isZero();
		while (true) {
			int lineEnd = body.indexOf("\r\n", at + delimiter.length());
			if (body.startsWith("--", at + delimiter.length())) {
				return parts;
			}
			int headEnd = body.indexOf("\r\n\r\n", lineEnd);
			String head = body.substring(lineEnd + 2, headEnd);
			int next = body.indexOf(delimiter, headEnd + 4);
			parts.add(new String[] { headerOf(head, "content-type"), headerOf(head, "content-range"),
					body.substring(headEnd + 4, next) });
			at = next;
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String sha256(byte[] content) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
	}

}
