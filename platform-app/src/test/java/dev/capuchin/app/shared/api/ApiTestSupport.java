package dev.capuchin.app.shared.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.capuchin.app.TestApplication;
import dev.capuchin.app.users.ConsoleUser;
import dev.capuchin.app.users.ConsoleUserStore;
import dev.capuchin.core.internal.server.CapuchinServer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The application the API tests share (one context): the control listener on a random
 * port, the data plane on an ephemeral loopback port, an in-memory store of its own, and
 * a sites directory with one default site. Every request goes over real HTTP on loopback.
 * Tests create what they change under their own names.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
public abstract class ApiTestSupport {

	protected static final String PASSWORD = "api-admin-password";

	protected static final String ADMIN = TestApplication.basic("admin:" + PASSWORD);

	protected static final Path TEMP = TestApplication.temporaryDirectory("capuchin-api-");

	private static final JsonMapper json = JsonMapper.shared();

	@LocalServerPort
	protected int controlPort;

	@Autowired
	protected CapuchinServer server;

	@Autowired
	protected ConsoleUserStore users;

	@Autowired
	protected PasswordEncoder encoder;

	private final HttpClient http = HttpClient.newHttpClient();

	@DynamicPropertySource
	protected static void properties(DynamicPropertyRegistry registry) {
		Path root = documentRoot("default-root", "default site");
		Path sites = TEMP.resolve("sites");
		write(sites.resolve("default.yml"),
				"name: default\nserver-names: [localhost]\ndefault: true\ndocument-root: " + root + "\n");
		registry.add("capuchin.sites-dir", sites::toString);
		registry.add("capuchin.server.listeners[0].address", () -> "127.0.0.1:0");
		registry.add("capuchin.server.workers", () -> "2");
		registry.add("capuchin.store.poll-interval", () -> "0s");
		registry.add("CAPUCHIN_ADMIN_PASSWORD", () -> PASSWORD);
		registry.add("spring.datasource.url", () -> "jdbc:h2:mem:api-tests;DB_CLOSE_DELAY=-1");
		registry.add("capuchin.identity.master-key-file", () -> TEMP.resolve("master.key").toString());
	}

	/**
	 * A directory with an {@code index.html}.
	 */
	protected static Path documentRoot(String name, String index) {
		Path root = TEMP.resolve(name);
		write(root.resolve("index.html"), index);
		return root;
	}

	/**
	 * A stored console account with a known password, made once per name.
	 */
	protected void account(String username, ConsoleUser.Role role, String password) {
		if (this.users.find(username).isEmpty()) {
			this.users.create(username, this.encoder.encode(password), role);
		}
	}

	protected String control(String path) {
		return "http://127.0.0.1:" + this.controlPort + path;
	}

	/**
	 * A request to the control listener.
	 * @param method the method
	 * @param path the path and query
	 * @param authorization the {@code Authorization} header, or {@code null}
	 * @param body a JSON body, or {@code null}
	 */
	protected HttpResponse<String> send(String method, String path, String authorization, String body)
			throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(control(path)))
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)
					: HttpRequest.BodyPublishers.noBody());
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	protected HttpResponse<String> get(String path, String authorization) throws Exception {
		return send("GET", path, authorization, null);
	}

	protected static String bearer(String token) {
		return "Bearer " + token;
	}

	@SuppressWarnings("unchecked")
	protected static Map<String, Object> object(HttpResponse<String> response) {
		return json.readValue(response.body(), Map.class);
	}

	@SuppressWarnings("unchecked")
	protected static List<Map<String, Object>> array(HttpResponse<String> response) {
		return json.readValue(response.body(), List.class);
	}

	protected static String toJson(Object value) {
		return json.writeValueAsString(value);
	}

	/**
	 * The API's error message of a refused request.
	 */
	protected static String error(HttpResponse<String> response) {
		return (String) object(response).get("error");
	}

	/**
	 * A token created through the API by the admin account.
	 * @return the created token's JSON, with its secret under {@code token}
	 */
	protected Map<String, Object> createToken(String name, String scope) throws Exception {
		HttpResponse<String> created = send("POST", "/api/tokens", ADMIN, toJson(Map.of("name", name, "scope", scope)));
		if (created.statusCode() != 201) {
			throw new IllegalStateException("token not created: " + created.body());
		}
		return object(created);
	}

	/**
	 * A GET on the data plane with a Host header, over a raw socket (the JDK's client
	 * does not let a caller set Host).
	 * @return the status and the body
	 */
	protected String[] dataPlane(String host, String path) throws IOException {
		TestApplication.DataPlaneResponse response = TestApplication.get(this.server.boundAddresses().get(0).getPort(),
				host, path);
		return new String[] { Integer.toString(response.status()), response.body() };
	}

	/**
	 * A browser-like client that keeps cookies and does not follow redirects.
	 */
	protected static HttpClient browser() {
		return HttpClient.newBuilder()
			.cookieHandler(new CookieManager())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	protected static void write(Path file, String content) {
		TestApplication.write(file, content);
	}

	protected static void assertRefused(HttpResponse<String> response, int status, String message) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("content-type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/json"));
		assertThat(error(response)).startsWith(message);
		assertThat(response.body()).doesNotContain("Exception", "\tat ");
	}

}
