package dev.capuchin.app.openidlogins;

import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;

import dev.capuchin.app.CapuchinApplication;
import dev.capuchin.app.TestApplication;
import dev.capuchin.app.shared.console.Browser;
import dev.capuchin.core.internal.server.CapuchinServer;
import dev.capuchin.plugin.auth.OpenIdProvider;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An {@code openid} location served by two full nodes on one PostgreSQL store
 * ({@code .ci/run} starts one and sets {@code CAPUCHIN_TEST_POSTGRES_URL}), in a real
 * headless Chromium against the real {@code oidc-provider}: a browser signs in through
 * node A and is served by node B with the same cookie (same host, another port: cookies
 * ignore ports), as the nodes share the master key the session key is derived from; and a
 * back-channel logout the provider posts to node A is refused by node B within the
 * revocations' poll interval, though the browser still sends its cookie.
 */
@EnabledIfEnvironmentVariable(named = "CAPUCHIN_TEST_POSTGRES_URL", matches = "jdbc:postgresql:.+")
class OpenIdSessionAcrossNodesBrowserTests {

	private static final String PASSWORD = "across-nodes-password";

	private static final String URL = System.getenv("CAPUCHIN_TEST_POSTGRES_URL");

	/** How often each node reads the other nodes' back-channel logouts. */
	private static final Duration POLL = Duration.ofSeconds(1);

	private static final String PAGE = "/team/page.html?from=test";

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	@RegisterExtension
	static final Browser chromium = new Browser();

	@TempDir
	static Path temp;

	private static OpenIdProvider provider;

	private static ConfigurableApplicationContext nodeA;

	private static ConfigurableApplicationContext nodeB;

	private static int dataA;

	private static int dataB;

	@BeforeAll
	static void startTheProviderAndTwoNodes() throws Exception {
		Flyway.configure().dataSource(URL, "capuchin", "capuchin").cleanDisabled(false).load().clean();
		dataA = freePort();
		// the provider posts its back-channel logouts beside the callback: to node A
		provider = OpenIdProvider.start("http://127.0.0.1:" + dataA + "/.capuchin/openid/callback");
		byte[] master = new byte[32];
		new SecureRandom().nextBytes(master);
		String masterKey = Base64.getEncoder().encodeToString(master);
		Path root = Files.createDirectories(temp.resolve("root/team"));
		Files.writeString(root.resolve("page.html"), "<!DOCTYPE html><title>Team</title><p id=\"team\">team page</p>");
		Path sites = TestApplication.defaultSite(temp, root.getParent(), "");
		nodeA = node(sites, masterKey, "127.0.0.1:" + dataA);
		nodeB = node(sites, masterKey, "127.0.0.1:0");
		dataB = nodeB.getBean(CapuchinServer.class).boundAddresses().get(0).getPort();
		HttpResponse<String> login = api("POST", "/api/openid-logins", "{\"name\": \"corp\", \"issuer\": \""
				+ provider.issuer() + "\", \"client-id\": \"" + OpenIdProvider.CLIENT_ID + "\", \"client-secret\": \""
				+ OpenIdProvider.CLIENT_SECRET
				+ "\", \"scopes\": [\"openid\", \"email\", \"profile\"], \"user-claim\": \"preferred_username\"}");
		assertThat(login.statusCode()).as(login.body()).isEqualTo(201);
		HttpResponse<String> site = api("PUT", "/api/sites/default",
				"{\"server-names\": [\"localhost\"], \"default\": true, \"document-root\": \"" + root.getParent()
						+ "\", \"locations\": [{\"path\": \"/team/\", \"auth\": {\"openid\": {\"login\": \"corp\","
						+ " \"require\": {\"claims\": {\"groups\": [\"staff\"]}}}}}]}");
		assertThat(site.statusCode()).as(site.body()).isEqualTo(200);
		// both nodes protect the location before the browser comes
		await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
			assertThat(scriptStatus(dataA)).isEqualTo(401);
			assertThat(scriptStatus(dataB)).isEqualTo(401);
		});
	}

	@AfterAll
	static void stopTheNodesAndTheProvider() throws Exception {
		if (nodeB != null) {
			nodeB.close();
		}
		if (nodeA != null) {
			nodeA.close();
		}
		if (provider != null) {
			provider.close();
		}
	}

	@Test
	void aSessionMadeThroughOneNodeIsServedByTheOtherUntilTheProviderEndsItThroughTheFirst() {
		chromium.driver().get(site(dataA) + PAGE);
		chromium.until(ExpectedConditions.urlContains(provider.issuer() + "/interaction/"));
		chromium.type(By.name("login"), "alice");
		chromium.type(By.name("password"), "any-password");
		chromium.click(By.tagName("button"));
		chromium.until(ExpectedConditions.presenceOfElementLocated(By.id("team")));
		assertThat(chromium.driver().getCurrentUrl()).isEqualTo(site(dataA) + PAGE);

		chromium.driver().get(site(dataB) + PAGE);
		chromium.until(ExpectedConditions.presenceOfElementLocated(By.id("team")));
		assertThat(chromium.driver().getCurrentUrl()).isEqualTo(site(dataB) + PAGE);
		assertThat(chromium.driver().findElement(By.id("team")).getText()).isEqualTo("team page");

		// alice signs out at the provider, which posts a logout token to node A
		chromium.driver().get(provider.issuer() + "/session/end?client_id=" + OpenIdProvider.CLIENT_ID);
		chromium.click(By.cssSelector("button[name=logout][value=yes]"));
		chromium.until(ExpectedConditions.not(ExpectedConditions.urlContains("/session/end?")));
		String cookie = chromium.driver().manage().getCookieNamed("capuchin-openid-corp").getValue();
		assertThat(cookie).as("the browser keeps its session cookie").isNotEmpty();

		// sent to sign in again (at the provider, which knows only node A's callback)
		await().atMost(POLL.plusSeconds(10)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
			chromium.driver().get(site(dataB) + PAGE);
			assertThat(chromium.driver().getCurrentUrl()).startsWith(provider.issuer() + "/");
		});
		assertThat(chromium.driver().findElements(By.id("team"))).isEmpty();
		chromium.driver().get(site(dataA) + PAGE);
		chromium.until(ExpectedConditions.urlContains(provider.issuer() + "/interaction/"));
		assertThat(chromium.driver().manage().getCookieNamed("capuchin-openid-corp").getValue()).isEqualTo(cookie);
	}

	private static ConfigurableApplicationContext node(Path sites, String masterKey, String listener) {
		return new SpringApplicationBuilder(CapuchinApplication.class).run("--capuchin.sites-dir=" + sites,
				"--capuchin.server.listeners[0].address=" + listener, "--capuchin.server.workers=1", "--server.port=0",
				"--CAPUCHIN_ADMIN_PASSWORD=" + PASSWORD, "--CAPUCHIN_MASTER_KEY=" + masterKey,
				"--capuchin.plugins.auth.enabled=true", "--spring.datasource.url=" + URL,
				"--spring.datasource.username=capuchin", "--spring.datasource.password=capuchin",
				"--capuchin.store.poll-interval=" + POLL.toMillis() + "ms");
	}

	/**
	 * The status of a script's request for the page without a session: 401 once the
	 * location is protected (answered without asking the provider).
	 */
	private static int scriptStatus(int port) throws Exception {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream()
				.write(("GET " + PAGE + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n"
						+ "Connection: close\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
			String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
			return Integer.parseInt(response.substring(9, 12));
		}
	}

	private static String site(int port) {
		return "http://127.0.0.1:" + port;
	}

	private static HttpResponse<String> api(String method, String path, String json) throws Exception {
		String port = nodeA.getEnvironment().getProperty("local.server.port");
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Authorization", TestApplication.basic("admin:" + PASSWORD))
			.header("Content-Type", "application/json")
			.method(method, HttpRequest.BodyPublishers.ofString(json))
			.build();
		return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private static int freePort() throws Exception {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
