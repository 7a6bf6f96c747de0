package dev.capuchin.app.shared.config;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.capuchin.app.TestApplication;
import dev.capuchin.app.audit.AuditLog;
import dev.capuchin.core.internal.server.CapuchinServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class LiveConfigurationTests {

	private static final String PASSWORD = "live-config-password";

	@TempDir
	static Path temp;

	@LocalServerPort
	int controlPort;

	@Autowired
	CapuchinServer server;

	@Autowired
	AuditLog audit;

	private final HttpClient http = HttpClient.newHttpClient();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws IOException {
		Path one = Files.createDirectories(temp.resolve("one"));
		Files.writeString(one.resolve("index.html"), "one");
		Path two = Files.createDirectories(temp.resolve("two"));
		Files.writeString(two.resolve("index.html"), "two");
		TestApplication.register(registry, TestApplication.defaultSite(temp, one, ""), 2, PASSWORD);
	}

	@BeforeEach
	void servesSiteOne() throws Exception {
		String document = api("GET", "/api/config", null).body()
			.replace(temp.resolve("two").toString(), temp.resolve("one").toString());
		assertThat(api("PUT", "/api/config", document).statusCode()).isEqualTo(200);
	}

	@Test
	void theSiteFilesAreImportedIntoTheEmptyStoreOnFirstStart() throws Exception {
		HttpResponse<String> export = api("GET", "/api/config", null);
		assertThat(export.statusCode()).isEqualTo(200);
		assertThat(export.headers().firstValue("content-type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/yaml"));
		assertThat(export.body()).contains("name: default", "document-root: " + temp.resolve("one"));
		assertThat(this.audit.recent(1000)).anySatisfy((entry) -> {
			assertThat(entry.actor()).startsWith("import:");
			assertThat(entry.after()).contains("name: default");
		});
	}

	@Test
	void aChangedDocumentRootIsServedWithoutRestart() throws Exception {
		assertThat(dataPlane("/")).isEqualTo("one");
		String document = api("GET", "/api/config", null).body()
			.replace(temp.resolve("one").toString(), temp.resolve("two").toString());
		long before = version();
		HttpResponse<String> applied = api("PUT", "/api/config", document);
		assertThat(applied.statusCode()).isEqualTo(200);
		assertThat(applied.body()).contains("applied: true", "change: changed", "version: " + (before + 1));
		assertThat(dataPlane("/")).isEqualTo("two");
		assertThat(this.audit.recent(10)).anySatisfy((entry) -> {
			assertThat(entry.actor()).isEqualTo("admin");
			assertThat(entry.target()).isEqualTo("field document-root on default");
			assertThat(entry.action()).isEqualTo("changed");
			assertThat(entry.before()).contains("one");
			assertThat(entry.after()).contains("two");
		});
	}

	@Test
	void aDryRunShowsTheDifferenceAndChangesNothing() throws Exception {
		String document = api("GET", "/api/config", null).body()
			.replace(temp.resolve("one").toString(), temp.resolve("two").toString());
		long before = version();
		HttpResponse<String> shown = api("PUT", "/api/config?dry-run=true", document);
		assertThat(shown.statusCode()).isEqualTo(200);
		assertThat(shown.body()).contains("applied: false", "change: changed");
		assertThat(dataPlane("/")).isEqualTo("one");
		assertThat(version()).isEqualTo(before);
	}

	@Test
	void anInvalidChangeIsRefusedByNameAndTheOldConfigurationStaysLive() throws Exception {
		String document = api("GET", "/api/config", null).body()
			.replace(temp.resolve("one").toString(), temp.resolve("missing").toString());
		long before = version();
		HttpResponse<String> refused = api("PUT", "/api/config", document);
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.body()).contains("site default: document-root:");
		assertThat(dataPlane("/")).isEqualTo("one");
		assertThat(version()).isEqualTo(before);
	}

	@Test
	void malformedYamlIsRefusedWithA400() throws Exception {
		HttpResponse<String> refused = api("PUT", "/api/config", "sites: [ {name: x");
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.body()).contains("not valid YAML");
	}

	@Test
	void theApiNeedsTheAdminAccount() throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.controlPort + "/api/config"))
			.build();
		assertThat(this.http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
	}

	@Test
	void requestsUnderLoadAcrossSwapsAllSucceed() throws Exception {
		String first = api("GET", "/api/config", null).body();
		String second = first.replace(temp.resolve("one").toString(), temp.resolve("two").toString());
		AtomicBoolean running = new AtomicBoolean(true);
		ExecutorService clients = Executors.newFixedThreadPool(4);
		List<Future<int[]>> results = new ArrayList<>();
		try {
			for (int i = 0; i < 4; i++) {
				results.add(clients.submit(() -> {
					int ok = 0;
					int failed = 0;
					while (running.get()) {
						String body = dataPlane("/");
						if (body.equals("one") || body.equals("two")) {
							ok++;
						}
						else {
							failed++;
						}
					}
					return new int[] { ok, failed };
				}));
			}
			for (int swap = 0; swap < 6; swap++) {
				assertThat(api("PUT", "/api/config", (swap % 2 == 0) ? second : first).statusCode()).isEqualTo(200);
			}
		}
		finally {
			running.set(false);
			clients.shutdown();
		}
		int ok = 0;
		for (Future<int[]> result : results) {
			int[] counts = result.get();
			assertThat(counts[1]).isZero();
			ok += counts[0];
		}
		assertThat(ok).isPositive();
	}

	private long version() throws Exception {
		String export = api("GET", "/api/config", null).body();
		Matcher matcher = Pattern.compile("(?m)^version: (\\d+)$").matcher(export);
		assertThat(matcher.find()).isTrue();
		return Long.parseLong(matcher.group(1));
	}

	private String dataPlane(String path) throws Exception {
		int port = this.server.boundAddresses().get(0).getPort();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build();
		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		return (response.statusCode() == 200) ? response.body() : "status " + response.statusCode();
	}

	private HttpResponse<String> api(String method, String path, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.controlPort + path))
			.header("Authorization", TestApplication.basic("admin:" + PASSWORD))
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (body != null) {
			request.header("Content-Type", "application/yaml");
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
