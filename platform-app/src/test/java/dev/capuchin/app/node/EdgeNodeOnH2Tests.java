package dev.capuchin.app.node;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.capuchin.app.CapuchinApplication;
import dev.capuchin.app.TestApplication;
import dev.capuchin.app.shared.config.ConfigListener;
import dev.capuchin.core.internal.server.CapuchinServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.thymeleaf.ITemplateEngine;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An edge node on the H2 file store shared on one machine ({@code AUTO_SERVER=TRUE}): it
 * seeds the empty store from the site files and serves them, and starts nothing of the
 * control plane.
 */
class EdgeNodeOnH2Tests {

	@TempDir
	static Path temp;

	private static ConfigurableApplicationContext edge;

	private final HttpClient http = HttpClient.newHttpClient();

	@BeforeAll
	static void startAnEdgeNode() throws Exception {
		Path root = Files.createDirectories(temp.resolve("root"));
		Files.writeString(root.resolve("index.html"), "edge");
		Path sites = TestApplication.defaultSite(temp, root, "");
		edge = new SpringApplicationBuilder(CapuchinApplication.class).run("--capuchin.node.role=edge",
				"--spring.datasource.url=jdbc:h2:file:" + temp.resolve("store/capuchin") + ";AUTO_SERVER=TRUE",
				"--capuchin.sites-dir=" + sites, "--capuchin.server.listeners[0].address=127.0.0.1:0",
				"--capuchin.server.workers=1", "--capuchin.node.health-port=0");
	}

	@AfterAll
	static void stopTheNode() {
		if (edge != null) {
			edge.close();
		}
	}

	@Test
	void theEdgeNodeServesTheSitesOfTheStore() throws Exception {
		int port = edge.getBean(CapuchinServer.class).boundAddresses().get(0).getPort();
		TestApplication.DataPlaneResponse response = TestApplication.get(port, "localhost", "/");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("edge");
	}

	@Test
	void theEdgeNodeStartsNoServletContainerConsoleSecurityOrTemplates() {
		assertThat(edge).isNotInstanceOf(WebServerApplicationContext.class);
		assertThat(edge.getBeanNamesForAnnotation(Controller.class)).isEmpty();
		assertThat(edge.getBeanNamesForAnnotation(RestController.class)).isEmpty();
		assertThat(edge.getBeanNamesForType(SecurityFilterChain.class)).isEmpty();
		assertThat(edge.getBeanNamesForType(AuthenticationEventPublisher.class)).isEmpty();
		assertThat(edge.getBeanNamesForType(ITemplateEngine.class)).isEmpty();
	}

	@Test
	void theEdgeNodeOnH2ListensForNothingAndRestsOnThePoll() {
		assertThat(edge.getBeanProvider(ConfigListener.class).getIfAvailable()).isNull();
	}

	@Test
	void theHealthProbeAnswersOnItsOwnPort() throws Exception {
		int port = edge.getBean(HealthProbe.class).port();
		HttpResponse<String> health = get(port, "/health");
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.headers().firstValue("content-type")).hasValue("application/json");
		assertThat(health.body()).contains("\"status\":\"UP\"", "\"configuration-version\":1");
		assertThat(get(port, "/console").statusCode()).isEqualTo(404);
	}

	@Test
	void theHealthProbeAnswersHeadForBalancersThatAskSo() throws Exception {
		int port = edge.getBean(HealthProbe.class).port();
		HttpResponse<String> health = this.http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
				.method("HEAD", HttpRequest.BodyPublishers.noBody())
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.body()).isEmpty();
	}

	private HttpResponse<String> get(int port, String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

}
