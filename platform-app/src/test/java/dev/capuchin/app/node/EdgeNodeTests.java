package dev.capuchin.app.node;

import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.capuchin.app.CapuchinApplication;
import dev.capuchin.app.TestApplication;
import dev.capuchin.app.shared.config.ConfigListener;
import dev.capuchin.core.internal.server.CapuchinServer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.stereotype.Controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * An edge node and an admin node on one PostgreSQL store ({@code .ci/run} starts one and
 * sets {@code CAPUCHIN_TEST_POSTGRES_URL}). Both poll the version only once an hour here,
 * so a change that reaches the edge node within a second came by {@code LISTEN/NOTIFY}.
 */
@EnabledIfEnvironmentVariable(named = "CAPUCHIN_TEST_POSTGRES_URL", matches = "jdbc:postgresql:.+")
class EdgeNodeTests {

	private static final String PASSWORD = "edge-node-password";

	private static final String URL = System.getenv("CAPUCHIN_TEST_POSTGRES_URL");

	private static final Duration ONE_SECOND = Duration.ofSeconds(1);

	@TempDir
	static Path temp;

	private static ConfigurableApplicationContext admin;

	private static ConfigurableApplicationContext edge;

	private static int edgeControlPort;

	private final HttpClient http = HttpClient.newHttpClient();

	private final JdbcTemplate database = new JdbcTemplate(new DriverManagerDataSource(URL, "capuchin", "capuchin"));

	@BeforeAll
	static void startAnAdminNodeAndAnEdgeNode() throws Exception {
		Flyway.configure().dataSource(URL, "capuchin", "capuchin").cleanDisabled(false).load().clean();
		Path sites = TestApplication.defaultSite(temp, root("one"), "");
		admin = new SpringApplicationBuilder(CapuchinApplication.class).run("--capuchin.node.role=admin",
				"--capuchin.sites-dir=" + sites, "--server.port=0", "--CAPUCHIN_ADMIN_PASSWORD=" + PASSWORD,
				"--spring.datasource.url=" + URL, "--spring.datasource.username=capuchin",
				"--spring.datasource.password=capuchin", "--capuchin.store.poll-interval=1h");
		edgeControlPort = freePort();
		edge = new SpringApplicationBuilder(CapuchinApplication.class).run("--capuchin.node.role=edge",
				"--capuchin.sites-dir=" + sites, "--capuchin.server.listeners[0].address=127.0.0.1:0",
				"--capuchin.server.workers=1", "--server.port=" + edgeControlPort, "--spring.datasource.url=" + URL,
				"--spring.datasource.username=capuchin", "--spring.datasource.password=capuchin",
				"--capuchin.store.poll-interval=1h");
	}

	@AfterAll
	static void stopTheNodes() {
		if (edge != null) {
			edge.close();
		}
		if (admin != null) {
			admin.close();
		}
	}

	@Test
	void aSiteChangedOnTheAdminNodeIsServedByTheEdgeNodeWithinOneSecond() throws Exception {
		serveOn(root("changed"));
		await().atMost(ONE_SECOND)
			.pollInterval(Duration.ofMillis(20))
			.untilAsserted(() -> assertThat(edgeServes()).isEqualTo("changed"));
	}

	@Test
	void theEdgeNodeListensAgainAfterItsConnectionIsTerminated() throws Exception {
		// each node's listener connects on a thread of its own, maybe after the context
		// started
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(listeners()).hasSize(2));
		List<Integer> before = listeners();
		this.database.query("select pg_terminate_backend(pid) from pg_stat_activity where application_name = ? "
				+ "and datname = current_database()", (rs) -> null, ConfigListener.APPLICATION_NAME);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(listeners()).hasSize(2).doesNotContainAnyElementsOf(before));
		serveOn(root("after-reconnect"));
		await().atMost(ONE_SECOND)
			.pollInterval(Duration.ofMillis(20))
			.untilAsserted(() -> assertThat(edgeServes()).isEqualTo("after-reconnect"));
	}

	@Test
	void theEdgeNodeHasNoControlListener() {
		assertThat(edge).isNotInstanceOf(WebServerApplicationContext.class);
		assertThat(edge.getBeanNamesForAnnotation(Controller.class)).isEmpty();
		assertThat(edge.getBeanNamesForType(SecurityFilterChain.class)).isEmpty();
		assertThatExceptionOfType(ConnectException.class)
			.isThrownBy(() -> new Socket("127.0.0.1", edgeControlPort).close());
	}

	@Test
	void theAdminNodeRunsNoDataPlane() {
		assertThat(admin).isInstanceOf(WebServerApplicationContext.class);
		assertThat(admin.getBeanProvider(CapuchinServer.class).getIfAvailable()).isNull();
	}

	private List<Integer> listeners() {
		return this.database.queryForList(
				"select pid from pg_stat_activity where application_name = ? " + "and datname = current_database()",
				Integer.class, ConfigListener.APPLICATION_NAME);
	}

	private static Path root(String content) throws Exception {
		Path root = Files.createDirectories(temp.resolve("roots").resolve(content));
		Files.writeString(root.resolve("index.html"), content);
		return root;
	}

	private void serveOn(Path root) throws Exception {
		String document = api("GET", null).body().replaceAll("document-root: .*", "document-root: " + root);
		HttpResponse<String> applied = api("PUT", document);
		assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
		assertThat(applied.body()).contains("applied: true");
	}

	private String edgeServes() throws Exception {
		int port = edge.getBean(CapuchinServer.class).boundAddresses().get(0).getPort();
		TestApplication.DataPlaneResponse response = TestApplication.get(port, "localhost", "/");
		return (response.status() == 200) ? response.body() : "status " + response.status();
	}

	private HttpResponse<String> api(String method, String body) throws Exception {
		String port = admin.getEnvironment().getProperty("local.server.port");
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/config"))
			.header("Authorization", TestApplication.basic("admin:" + PASSWORD))
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (body != null) {
			request.header("Content-Type", "application/yaml");
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static int freePort() throws Exception {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
