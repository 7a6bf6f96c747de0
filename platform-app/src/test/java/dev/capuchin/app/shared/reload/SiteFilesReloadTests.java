package dev.capuchin.app.shared.reload;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.capuchin.app.TestApplication;
import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.app.transfer.ConfigDocument;
import dev.capuchin.core.internal.server.CapuchinServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sun.misc.Signal;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
class SiteFilesReloadTests {

	@TempDir
	static Path temp;

	static Path sites;

	@Autowired
	CapuchinServer server;

	@Autowired
	ConfigService config;

	private final HttpClient http = HttpClient.newHttpClient();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws IOException {
		for (String name : new String[] { "one", "two", "three" }) {
			Files.writeString(Files.createDirectories(temp.resolve(name)).resolve("index.html"), name);
		}
		sites = TestApplication.defaultSite(temp, temp.resolve("one"), "");
		TestApplication.register(registry, sites, 1, "reload-password");
	}

	@Test
	void sighupServesTheChangedSiteFilesOfAFileSeededStore() throws Exception {
		assumeFalse(ReloadSignal.ignoredByProcess(), "SIGHUP is ignored by this process (started under nohup)");
		assertThat(dataPlane()).isEqualTo("one");
		TestApplication.defaultSite(temp, temp.resolve("two"), "");
		Signal.raise(new Signal("HUP"));
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(dataPlane()).isEqualTo("two"));
		// a store the files seeded and a reload rewrote is still the files'
		TestApplication.defaultSite(temp, temp.resolve("one"), "");
		assertThat(this.config.reloadSiteFiles(sites))
			.hasValueSatisfying((outcome) -> assertThat(outcome.applied()).isTrue());
		assertThat(dataPlane()).isEqualTo("one");
	}

	@Test
	void aReloadLeavesAStoreChangedThroughTheConsoleAlone() throws Exception {
		String document = ConfigDocument.write(this.config.current())
			.replace(temp.resolve("one").toString(), temp.resolve("three").toString());
		this.config.apply(ConfigDocument.readDocument(document, this.config.base()), "admin", false);
		assertThat(dataPlane()).isEqualTo("three");
		try {
			TestApplication.defaultSite(temp, temp.resolve("two"), "");
			assertThat(this.config.reloadSiteFiles(sites)).isEmpty();
			assertThat(dataPlane()).isEqualTo("three");
		}
		finally {
			TestApplication.defaultSite(temp, temp.resolve("one"), "");
		}
	}

	private String dataPlane() throws Exception {
		int port = this.server.boundAddresses().get(0).getPort();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build();
		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		return (response.statusCode() == 200) ? response.body() : "status " + response.statusCode();
	}

}
