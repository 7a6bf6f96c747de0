package dev.capuchin.app.shared.config;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.capuchin.app.CapuchinApplication;
import dev.capuchin.app.TestApplication;
import dev.capuchin.core.internal.server.CapuchinServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store, not the site files, is the configuration from the first start on: a change
 * made while Capuchin runs is still served after it stops and starts again on the same
 * store, and the site files are not imported a second time.
 */
class ChangesSurviveRestartTests {

	private static final String PASSWORD = "restart-password";

	private final HttpClient http = HttpClient.newHttpClient();

	@TempDir
	Path temp;

	@Test
	void aChangeMadeWhileRunningIsServedAfterARestartOnTheSameStore() throws Exception {
		Path one = Files.createDirectories(this.temp.resolve("one"));
		Files.writeString(one.resolve("index.html"), "one");
		Path two = Files.createDirectories(this.temp.resolve("two"));
		Files.writeString(two.resolve("index.html"), "two");
		Path sites = TestApplication.defaultSite(this.temp, one, "");
		String[] args = { "--capuchin.sites-dir=" + sites, "--capuchin.server.listeners[0].address=127.0.0.1:0",
				"--capuchin.server.workers=1", "--server.port=0", "--CAPUCHIN_ADMIN_PASSWORD=" + PASSWORD,
				"--spring.datasource.url=jdbc:h2:file:" + this.temp.resolve("store/capuchin") };
		try (ConfigurableApplicationContext first = start(args)) {
			assertThat(dataPlane(first, "/")).isEqualTo("one");
			String document = api(first, "GET", null).body().replace(one.toString(), two.toString());
			assertThat(api(first, "PUT", document).statusCode()).isEqualTo(200);
			assertThat(dataPlane(first, "/")).isEqualTo("two");
		}
		try (ConfigurableApplicationContext second = start(args)) {
			assertThat(dataPlane(second, "/")).isEqualTo("two");
			assertThat(api(second, "GET", null).body()).contains("document-root: " + two)
				.doesNotContain("document-root: " + one);
		}
	}

	private static ConfigurableApplicationContext start(String[] args) {
		return new SpringApplicationBuilder(CapuchinApplication.class).run(args);
	}

	private String dataPlane(ConfigurableApplicationContext context, String path) throws Exception {
		int port = context.getBean(CapuchinServer.class).boundAddresses().get(0).getPort();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString()).body();
	}

	private HttpResponse<String> api(ConfigurableApplicationContext context, String method, String body)
			throws Exception {
		String port = context.getEnvironment().getProperty("local.server.port");
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/config"))
			.header("Authorization", TestApplication.basic("admin:" + PASSWORD))
			.header("Content-Type", "application/yaml");
		request.method(method,
				(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
