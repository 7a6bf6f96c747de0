package dev.capuchin.app.identity;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import dev.capuchin.app.CapuchinApplication;
import dev.capuchin.app.TestApplication;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two nodes on one PostgreSQL store ({@code .ci/run} starts one and sets
 * {@code CAPUCHIN_TEST_POSTGRES_URL}): a client made on one works on the other, a token
 * issued on one is introspected and revoked on the other, and a key rotated on one is in
 * the other's JWK set within the key refresh.
 */
@EnabledIfEnvironmentVariable(named = "CAPUCHIN_TEST_POSTGRES_URL", matches = "jdbc:postgresql:.+")
class TwoNodesIdentityTests {

	private static final String PASSWORD = "two-nodes-password";

	private static final String URL = System.getenv("CAPUCHIN_TEST_POSTGRES_URL");

	private final HttpClient http = HttpClient.newHttpClient();

	@TempDir
	Path temp;

	@Test
	void clientsTokensAndKeysAreSharedThroughTheStore() throws Exception {
		Flyway.configure().dataSource(URL, "capuchin", "capuchin").cleanDisabled(false).load().clean();
		byte[] masterKey = new byte[32];
		new java.security.SecureRandom().nextBytes(masterKey);
		try (ConfigurableApplicationContext a = start("a", masterKey);
				ConfigurableApplicationContext b = start("b", masterKey)) {
			assertThat(api(a, "POST", "/api/realms", Map.of("name", "Staff")).statusCode()).isEqualTo(201);
			HttpResponse<String> created = api(a, "POST", "/api/oauth-clients",
					Map.of("client-id", "svc", "type", "confidential", "realm", "Staff", "grant-types",
							List.of("client_credentials"), "scopes", List.of("read"), "token-format", "opaque"));
			assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
			String secret = (String) json(created).get("client-secret");

			HttpResponse<String> onB = form(b, "/oauth2/token", secret, "grant_type=client_credentials&scope=read");
			assertThat(onB.statusCode()).as(onB.body()).isEqualTo(200);
			String onA = (String) json(form(a, "/oauth2/token", secret, "grant_type=client_credentials"))
				.get("access_token");
			assertThat(json(form(b, "/oauth2/introspect", secret, "token=" + onA))).containsEntry("active", true);
			assertThat(form(b, "/oauth2/revoke", secret, "token=" + onA).statusCode()).isEqualTo(200);
			assertThat(json(form(a, "/oauth2/introspect", secret, "token=" + onA))).containsEntry("active", false);

			String kid = (String) json(api(a, "POST", "/api/signing-keys/rotate", null)).get("kid");
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(get(b, "/oauth2/jwks").body()).contains(kid));
		}
	}

	private ConfigurableApplicationContext start(String name, byte[] masterKey) throws Exception {
		Path root = Files.createDirectories(this.temp.resolve(name + "/root"));
		Files.writeString(root.resolve("index.html"), name);
		Path sites = TestApplication.defaultSite(this.temp.resolve(name), root, "");
		return new SpringApplicationBuilder(CapuchinApplication.class).run("--capuchin.sites-dir=" + sites,
				"--capuchin.server.listeners[0].address=127.0.0.1:0", "--capuchin.server.workers=1", "--server.port=0",
				"--CAPUCHIN_ADMIN_PASSWORD=" + PASSWORD, "--spring.datasource.url=" + URL,
				"--spring.datasource.username=capuchin", "--spring.datasource.password=capuchin",
				"--capuchin.store.poll-interval=1s", "--capuchin.identity.key-refresh=1s",
				"--capuchin.identity.issuer=http://identity.capuchin.test",
				"--" + MasterKey.ENVIRONMENT_VARIABLE + "=" + Base64.getEncoder().encodeToString(masterKey));
	}

	private static String base(ConfigurableApplicationContext node) {
		return "http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port");
	}

	private HttpResponse<String> get(ConfigurableApplicationContext node, String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(base(node) + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> api(ConfigurableApplicationContext node, String method, String path, Object body)
			throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base(node) + path))
			.header("Authorization", TestApplication.basic("admin:" + PASSWORD))
			.header("Content-Type", "application/json")
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(JsonMapper.shared().writeValueAsString(body))
							: HttpRequest.BodyPublishers.noBody());
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> form(ConfigurableApplicationContext node, String path, String secret, String form)
			throws Exception {
		String basic = Base64.getEncoder().encodeToString(("svc:" + secret).getBytes(StandardCharsets.UTF_8));
		return this.http.send(HttpRequest.newBuilder(URI.create(base(node) + path))
			.header("Authorization", "Basic " + basic)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> json(HttpResponse<String> response) {
		return JsonMapper.shared().readValue(response.body(), Map.class);
	}

}
