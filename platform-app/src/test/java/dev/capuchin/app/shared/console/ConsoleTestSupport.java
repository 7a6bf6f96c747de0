package dev.capuchin.app.shared.console;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.capuchin.app.TestApplication;
import dev.capuchin.app.users.ConsoleUser;
import dev.capuchin.app.users.ConsoleUserStore;
import dev.capuchin.core.internal.server.CapuchinServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The application the console tests share (one context): the control listener on a random
 * port, the data plane on an ephemeral loopback port, an in-memory store, and a sites
 * directory with one default site. Tests create what they change under their own names.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
public abstract class ConsoleTestSupport {

	protected static final String PASSWORD = "console-admin-password";

	protected static final Path TEMP = TestApplication.temporaryDirectory("capuchin-console-");

	@LocalServerPort
	protected int controlPort;

	@Autowired
	protected MockMvc mvc;

	@Autowired
	protected CapuchinServer server;

	@Autowired
	protected ConsoleUserStore users;

	@Autowired
	protected PasswordEncoder encoder;

	@DynamicPropertySource
	protected static void properties(DynamicPropertyRegistry registry) {
		Path root = documentRoot("default-root", "<h1>default</h1>");
		Path sites = TEMP.resolve("sites");
		write(sites.resolve("default.yml"),
				"name: default\nserver-names: [localhost]\ndefault: true\ndocument-root: " + root + "\n");
		registry.add("capuchin.sites-dir", sites::toString);
		registry.add("capuchin.server.listeners[0].address", () -> "127.0.0.1:0");
		registry.add("capuchin.server.workers", () -> "2");
		registry.add("capuchin.store.poll-interval", () -> "0s");
		registry.add("CAPUCHIN_ADMIN_PASSWORD", () -> PASSWORD);
		// a test class that needs a store of its own names another database
		registry.add("spring.datasource.url",
				() -> "jdbc:h2:mem:${capuchin.test.database:console-tests};DB_CLOSE_DELAY=-1");
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

	protected int dataPlanePort() {
		return this.server.boundAddresses().get(0).getPort();
	}

	/**
	 * A GET on the data plane with a Host header, over a raw socket (the JDK's client
	 * does not let a caller set Host).
	 */
	protected Response dataPlane(String host, String path) throws IOException {
		TestApplication.DataPlaneResponse response = TestApplication.get(dataPlanePort(), host, path);
		return new Response(response.status(), response.body());
	}

	/**
	 * A data-plane response.
	 *
	 * @param statusCode the status
	 * @param body the body
	 */
	public record Response(int statusCode, String body) {
	}

	/**
	 * A browser-like HTTP client of the control listener that keeps cookies and does not
	 * follow redirects.
	 */
	protected static HttpClient browser() {
		return HttpClient.newBuilder()
			.cookieHandler(new CookieManager())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	/**
	 * Sign in through the form with a real session.
	 * @return the response to the sign-in post
	 */
	protected HttpResponse<String> signIn(HttpClient client, String username, String password) throws Exception {
		String token = csrfToken(httpGet(client, "/console/login").body());
		return httpPost(client, "/console/login", "username=" + username + "&password=" + password + "&_csrf=" + token);
	}

	protected HttpResponse<String> httpGet(HttpClient client, String path) throws Exception {
		return client.send(HttpRequest.newBuilder(URI.create(control(path))).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	protected HttpResponse<String> httpPost(HttpClient client, String path, String form) throws Exception {
		return client.send(HttpRequest.newBuilder(URI.create(control(path)))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	protected static String csrfToken(String html) {
		Matcher matcher = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(html);
		if (!matcher.find()) {
			throw new IllegalStateException("no CSRF token in the page");
		}
		return matcher.group(1);
	}

	protected static void write(Path file, String content) {
		TestApplication.write(file, content);
	}

}
