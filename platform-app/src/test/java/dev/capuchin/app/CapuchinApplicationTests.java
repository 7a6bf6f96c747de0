package dev.capuchin.app;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;
import dev.capuchin.core.internal.server.CapuchinServer;
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
class CapuchinApplicationTests {

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
		TestApplication.register(registry, TestApplication.defaultSite(temp, root, ""), 2, PASSWORD);
	}

	@Test
	void theDataPlaneServesTheSitesOfTheSitesDirectory() throws Exception {
		int port = this.server.boundAddresses().get(0).getPort();
		HttpResponse<String> response = get("http://127.0.0.1:" + port + "/", null);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("<h1>hello</h1>");
		assertThat(response.headers().firstValue("server")).hasValue("Capuchin");
	}

	@Test
	void healthIsOpenWithoutCredentials() throws Exception {
		HttpResponse<String> response = get(control("/actuator/health"), null);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"status\":\"UP\"");
	}

	@Test
	void theCapuchinEndpointNeedsTheAdminAccount() throws Exception {
		assertThat(get(control("/actuator/capuchin"), null).statusCode()).isEqualTo(401);
		assertThat(get(control("/actuator/capuchin"), "admin:wrong-password").statusCode()).isEqualTo(401);
	}

	@Test
	@SuppressWarnings("unchecked")
	void theCapuchinEndpointReportsTransportWorkersSitesAndPlugins() throws Exception {
		int port = this.server.boundAddresses().get(0).getPort();
		get("http://127.0.0.1:" + port + "/", null);
		HttpResponse<String> response = get(control("/actuator/capuchin"), "admin:" + PASSWORD);
		assertThat(response.statusCode()).isEqualTo(200);
		Map<String, Object> report = JsonMapper.builder().build().readValue(response.body(), Map.class);
		assertThat(report).containsKeys("transport", "workers", "sites", "plugins");
		assertThat(report.get("transport")).isIn("epoll", "nio", "io-uring");
		List<Map<String, Object>> workers = (List<Map<String, Object>>) report.get("workers");
		assertThat(workers).hasSize(2);
		assertThat(workers.get(0)).containsKeys("name", "connections", "accepted", "fdt");
		assertThat((Map<String, Object>) workers.get(0).get("fdt")).containsKeys("open", "hits", "misses");
		long accepted = workers.stream().mapToLong((worker) -> ((Number) worker.get("accepted")).longValue()).sum();
		assertThat(accepted).isPositive();
		List<Map<String, Object>> sites = (List<Map<String, Object>>) report.get("sites");
		assertThat(sites).extracting((site) -> site.get("name")).containsExactly("default");
		assertThat(sites.get(0)).containsKeys("server-names", "is-default", "document-root");
		assertThat(report).containsKeys("transport-fallback", "configuration-version", "recent-errors");
		assertThat(report.get("plugins")).isInstanceOf(List.class);
	}

	@Test
	void otherActuatorEndpointsNeedTheAdminAccount() throws Exception {
		assertThat(get(control("/actuator/metrics"), null).statusCode()).isEqualTo(401);
		assertThat(get(control("/actuator/metrics"), "admin:" + PASSWORD).statusCode()).isEqualTo(200);
	}

	@Test
	void springBootsOwnEndpointsKeepTheNamesTheirClientsExpect() throws Exception {
		// only what Capuchin serves is kebab-case; monitoring tools read Boot's endpoints
		HttpResponse<String> metric = get(control("/actuator/metrics/jvm.memory.used"), "admin:" + PASSWORD);
		assertThat(metric.statusCode()).isEqualTo(200);
		assertThat(metric.body()).contains("\"baseUnit\"").doesNotContain("\"base-unit\"");
	}

	@Test
	void workerAndOpenFileTableMetricsArePublishedForPrometheus() throws Exception {
		int port = this.server.boundAddresses().get(0).getPort();
		get("http://127.0.0.1:" + port + "/", null);
		HttpResponse<String> response = get(control("/actuator/prometheus"), "admin:" + PASSWORD);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("capuchin_connections{worker=\"capuchin-worker-0\"}",
				"capuchin_connections_accepted_total", "capuchin_fdt_hits_total", "capuchin_fdt_misses_total",
				"capuchin_fdt_open");
	}

	private String control(String path) {
		return "http://127.0.0.1:" + this.controlPort + path;
	}

	private HttpResponse<String> get(String url, String credentials) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
		if (credentials != null) {
			request.header("Authorization", TestApplication.basic(credentials));
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
