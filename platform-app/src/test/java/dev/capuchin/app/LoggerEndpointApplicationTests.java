package dev.capuchin.app;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.capuchin.core.internal.server.CapuchinServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class LoggerEndpointApplicationTests {

	private static final String PASSWORD = "correct-horse-battery";

	@TempDir
	static Path temp;

	@LocalServerPort
	int controlPort;

	@Autowired
	CapuchinServer server;

	private final HttpClient http = HttpClient.newHttpClient();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws IOException {
		Path root = Files.createDirectories(temp.resolve("htdocs"));
		Files.writeString(root.resolve("index.html"), "<h1>hello</h1>");
		Path sites = TestApplication.defaultSite(temp, root,
				"logger: { access-log: " + temp.resolve("logs/access.log") + " }\n");
		TestApplication.register(registry, sites, 1, PASSWORD);
		registry.add("capuchin.plugins.logger.enabled", () -> "true");
		registry.add("capuchin.plugins.logger.flush-interval", () -> "50ms");
	}

	@Test
	@SuppressWarnings("unchecked")
	void theLoggerEndpointShowsTheFilesAndReopensThemOnPost() throws Exception {
		int port = this.server.boundAddresses().get(0).getPort();
		Path log = temp.resolve("logs/access.log");
		send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).GET(), null);
		await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(log) && Files.size(log) > 0);
		assertThat(send(HttpRequest.newBuilder(control()).GET(), null).statusCode()).isEqualTo(401);
		HttpResponse<String> read = send(HttpRequest.newBuilder(control()).GET(), "admin:" + PASSWORD);
		assertThat(read.statusCode()).isEqualTo(200);
		Map<String, Object> report = JsonMapper.builder().build().readValue(read.body(), Map.class);
		assertThat(report.get("dropped")).isEqualTo(0);
		List<Map<String, Object>> files = (List<Map<String, Object>>) report.get("files");
		assertThat(files).extracting((file) -> file.get("path")).containsExactly(log.toString());
		Files.move(log, temp.resolve("logs/access.log.1"));
		HttpResponse<String> reopened = send(
				HttpRequest.newBuilder(control()).POST(HttpRequest.BodyPublishers.noBody()), "admin:" + PASSWORD);
		assertThat(reopened.statusCode()).isEqualTo(200);
		assertThat(reopened.body()).contains("\"reopened\":true");
		assertThat(log).exists();
	}

	@Test
	@SuppressWarnings("unchecked")
	void theNodeStatusShowsWhatTheRunningLoggerReportsOfItself() throws Exception {
		int port = this.server.boundAddresses().get(0).getPort();
		send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).GET(), null);
		HttpResponse<String> read = send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.controlPort + "/actuator/capuchin")).GET(),
				"admin:" + PASSWORD);
		assertThat(read.statusCode()).isEqualTo(200);
		Map<String, Object> report = JsonMapper.builder().build().readValue(read.body(), Map.class);
		Map<String, Object> logger = ((List<Map<String, Object>>) report.get("plugins")).stream()
			.filter((plugin) -> "logger".equals(plugin.get("name")))
			.findFirst()
			.orElseThrow();
		assertThat(logger.get("enabled")).isEqualTo(true);
		Map<String, Object> state = (Map<String, Object>) logger.get("state");
		assertThat(state.get("dropped")).isEqualTo(0);
		assertThat((List<Map<String, Object>>) state.get("files")).extracting((file) -> file.get("path"))
			.anySatisfy((path) -> assertThat((String) path).endsWith("access.log"));
	}

	private URI control() {
		return URI.create("http://127.0.0.1:" + this.controlPort + "/actuator/logger");
	}

	private HttpResponse<String> send(HttpRequest.Builder request, String credentials) throws Exception {
		if (credentials != null) {
			request.header("Authorization", TestApplication.basic(credentials));
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
