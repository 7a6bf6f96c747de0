package dev.capuchin.app.node;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.capuchin.app.CapuchinApplication;
import dev.capuchin.app.TestApplication;
import dev.capuchin.core.internal.server.CapuchinServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * An edge node that starts while its store (a PostgreSQL of the test's own,
 * {@link ThrowawayPostgres}) is down: it serves the snapshot of the configuration it last
 * applied, says so in the log, and once the store is back loads what was changed
 * meanwhile on an admin node.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartFromSnapshotTests {

	private static final String PASSWORD = "start-from-snapshot-password";

	@TempDir
	Path temp;

	private ThrowawayPostgres postgres;

	private ConfigurableApplicationContext edge;

	private ConfigurableApplicationContext admin;

	@AfterEach
	void stopEverything() throws Exception {
		for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] { this.admin, this.edge }) {
			if (context != null) {
				context.close();
			}
		}
		if (this.postgres != null) {
			this.postgres.close();
		}
	}

	@Test
	void anEdgeNodeStartsFromItsSnapshotWhenTheStoreIsDownAndCatchesUpWhenItIsBack(CapturedOutput output)
			throws Exception {
		assumeThat(ThrowawayPostgres.unavailable()).as("a throw-away PostgreSQL").isEmpty();
		this.postgres = ThrowawayPostgres.start();
		Path snapshot = this.temp.resolve("node/last-configuration.yml");
		Path sites = TestApplication.defaultSite(this.temp, root("one"), "");
		String[] edgeArgs = { "--capuchin.node.role=edge", "--capuchin.sites-dir=" + sites,
				"--capuchin.server.listeners[0].address=127.0.0.1:0", "--capuchin.server.workers=1",
				"--capuchin.store.snapshot=" + snapshot, "--capuchin.store.poll-interval=1s",
				"--spring.datasource.url=" + this.postgres.url(), "--spring.datasource.username=postgres",
				"--spring.datasource.password=", "--spring.datasource.hikari.connection-timeout=2000" };
		this.edge = new SpringApplicationBuilder(CapuchinApplication.class).run(edgeArgs);
		assertThat(dataPlane()).isEqualTo("one");
		this.edge.close();
		assertThat(snapshot).content().contains("document-root: " + root("one"));

		this.postgres.stopServer();
		this.edge = new SpringApplicationBuilder(CapuchinApplication.class).run(edgeArgs);
		assertThat(dataPlane()).as("served from the snapshot").isEqualTo("one");
		assertThat(output.getOut()
			.lines()
			.filter((line) -> line.contains("WARN") && line.contains("The store is unreachable (")
					&& line.contains("from the snapshot " + snapshot)))
			.hasSize(1);

		this.postgres.startServer();
		this.admin = new SpringApplicationBuilder(CapuchinApplication.class).run("--capuchin.node.role=admin",
				"--capuchin.sites-dir=" + sites, "--server.port=0", "--CAPUCHIN_ADMIN_PASSWORD=" + PASSWORD,
				"--spring.datasource.url=" + this.postgres.url(), "--spring.datasource.username=postgres",
				"--spring.datasource.password=", "--capuchin.store.poll-interval=1h",
				"--capuchin.store.snapshot=" + this.temp.resolve("admin/last-configuration.yml"));
		String document = api("GET", null).body();
		HttpResponse<String> applied = api("PUT", document.replace(root("one").toString(), root("two").toString()));
		assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
		await("the edge node loads the store's configuration").atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> "two".equals(dataPlane()));
		assertThat(snapshot).content().contains("document-root: " + root("two"));
	}

	private Path root(String content) throws Exception {
		Path root = Files.createDirectories(this.temp.resolve("roots").resolve(content));
		Files.writeString(root.resolve("index.html"), content);
		return root;
	}

	private String dataPlane() throws Exception {
		int port = this.edge.getBean(CapuchinServer.class).boundAddresses().get(0).getPort();
		TestApplication.DataPlaneResponse response = TestApplication.get(port, "localhost", "/");
		return (response.status() == 200) ? response.body() : "status " + response.status();
	}

	private HttpResponse<String> api(String method, String body) throws Exception {
		String port = this.admin.getEnvironment().getProperty("local.server.port");
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/config"))
			.header("Authorization", TestApplication.basic("admin:" + PASSWORD))
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (body != null) {
			request.header("Content-Type", "application/yaml");
		}
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
