package dev.capuchin.app.node;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.capuchin.app.CapuchinApplication;
import dev.capuchin.app.TestApplication;
import dev.capuchin.core.internal.server.CapuchinServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The store goes away under a running node: a PostgreSQL of the test's own
 * ({@link ThrowawayPostgres}) is stopped and started again while a full node (data plane,
 * API, console) and an admin node run on it. The data plane keeps serving what it has;
 * the API and the console refuse changes with 503 and say the store is unreachable, and
 * nothing of a refused change is stored; the log says so once; once the store is back a
 * change made on the other node reaches the data plane by itself, and changes are taken
 * again.
 */
class StoreOutageTests {

	private static final String PASSWORD = "store-outage-password";

	@TempDir
	static Path temp;

	private static ThrowawayPostgres postgres;

	private static ConfigurableApplicationContext node;

	private static ConfigurableApplicationContext admin;

	private final HttpClient http = HttpClient.newHttpClient();

	@BeforeAll
	static void startAStoreAndTwoNodes() throws Exception {
		assumeThat(ThrowawayPostgres.unavailable()).as("a throw-away PostgreSQL").isEmpty();
		postgres = ThrowawayPostgres.start();
		Path sites = TestApplication.defaultSite(temp, root("one"), "");
		String[] store = { "--spring.datasource.url=" + postgres.url(), "--spring.datasource.username=postgres",
				"--spring.datasource.password=", "--spring.datasource.hikari.connection-timeout=2000",
				"--CAPUCHIN_ADMIN_PASSWORD=" + PASSWORD, "--capuchin.sites-dir=" + sites, "--server.port=0" };
		node = new SpringApplicationBuilder(CapuchinApplication.class)
			.run(with(store, "--capuchin.server.listeners[0].address=127.0.0.1:0", "--capuchin.server.workers=1",
					"--capuchin.store.poll-interval=1s", "--capuchin.store.snapshot=" + temp.resolve("node.yml")));
		admin = new SpringApplicationBuilder(CapuchinApplication.class).run(with(store, "--capuchin.node.role=admin",
				"--capuchin.store.poll-interval=1h", "--capuchin.store.snapshot=" + temp.resolve("admin.yml")));
	}

	@AfterAll
	static void stopEverything() throws Exception {
		if (admin != null) {
			admin.close();
		}
		if (node != null) {
			node.close();
		}
		if (postgres != null) {
			postgres.close();
		}
	}

	@Test
	void aNodeRidesOutAStoppedStoreAndCatchesUpWhenItReturns() throws Exception {
		ListAppender<ILoggingEvent> log = new ListAppender<>();
		Logger refresher = (Logger) LoggerFactory.getLogger("dev.capuchin.app.shared.config.ConfigRefresher");
		log.start();
		refresher.addAppender(log);
		try {
			HttpClient console = signedIn();
			assertThat(dataPlane()).isEqualTo("one");
			long version = storedVersion();
			String document = document(node);

			postgres.stopServer();
			for (int i = 0; i < 20; i++) {
				assertThat(dataPlane()).as("the data plane serves the last good configuration").isEqualTo("one");
			}
			HttpResponse<String> refused = api(node, "PUT",
					document.replace(root("one").toString(), root("two").toString()));
			assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
			assertThat(refused.body()).contains("store: unreachable")
				.contains("nothing was changed")
				.contains("configuration version " + version);
			HttpResponse<String> page = console.send(HttpRequest.newBuilder(control(node, "/console/sites")).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(page.statusCode()).isEqualTo(503);
			assertThat(page.body()).contains("The store is unreachable").contains("nothing was changed");
			// several polls fail; the log says so once
			await().atMost(Duration.ofSeconds(20)).until(() -> messages(log, "The store is unreachable").size() == 1);
			await().during(Duration.ofSeconds(3))
				.atMost(Duration.ofSeconds(10))
				.until(() -> messages(log, "The store is unreachable").size() == 1);
			assertThat(dataPlane()).isEqualTo("one");

			postgres.startServer();
			assertThat(storedVersion()).as("nothing of the refused change was stored").isEqualTo(version);
			// a change made on another node while this one may still be reconnecting
			await().atMost(Duration.ofSeconds(30))
				.ignoreExceptions()
				.untilAsserted(() -> assertThat(
						api(admin, "PUT", document(admin).replace(root("one").toString(), root("three").toString()))
							.statusCode())
					.isEqualTo(200));
			await("the node catches up by itself").atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> "three".equals(dataPlane()));
			await().atMost(Duration.ofSeconds(10))
				.until(() -> messages(log, "The store is reachable again").size() == 1);
			HttpResponse<String> accepted = api(node, "PUT",
					document(node).replace(root("three").toString(), root("four").toString()));
			assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
			assertThat(dataPlane()).isEqualTo("four");
		}
		finally {
			refresher.detachAppender(log);
		}
	}

	private static String[] with(String[] common, String... more) {
		String[] all = new String[common.length + more.length];
		System.arraycopy(common, 0, all, 0, common.length);
		System.arraycopy(more, 0, all, common.length, more.length);
		return all;
	}

	private static List<String> messages(ListAppender<ILoggingEvent> log, String prefix) {
		List<ILoggingEvent> events;
		// the appender appends under its own lock, on the poller's thread
		synchronized (log) {
			events = List.copyOf(log.list);
		}
		return events.stream()
			.filter((event) -> event.getLevel().isGreaterOrEqual(Level.INFO))
			.map(ILoggingEvent::getFormattedMessage)
			.filter((message) -> message.startsWith(prefix))
			.toList();
	}

	private static Path root(String content) throws Exception {
		Path root = Files.createDirectories(temp.resolve("roots").resolve(content));
		Files.writeString(root.resolve("index.html"), content);
		return root;
	}

	private static long storedVersion() {
		JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(postgres.url(), "postgres", ""));
		Long version = jdbc.queryForObject("select version from config_version where id = 1", Long.class);
		return (version != null) ? version : 0;
	}

	private String dataPlane() throws Exception {
		int port = node.getBean(CapuchinServer.class).boundAddresses().get(0).getPort();
		TestApplication.DataPlaneResponse response = TestApplication.get(port, "localhost", "/");
		return (response.status() == 200) ? response.body() : "status " + response.status();
	}

	private String document(ConfigurableApplicationContext context) throws Exception {
		HttpResponse<String> response = api(context, "GET", null);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return response.body();
	}

	private HttpResponse<String> api(ConfigurableApplicationContext context, String method, String body)
			throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(control(context, "/api/config"))
			.timeout(Duration.ofSeconds(30))
			.header("Authorization", TestApplication.basic("admin:" + PASSWORD))
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (body != null) {
			request.header("Content-Type", "application/yaml");
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** A console session of the built-in admin, signed in while the store is up. */
	private static HttpClient signedIn() throws Exception {
		HttpClient browser = HttpClient.newBuilder()
			.cookieHandler(new CookieManager())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		String login = browser
			.send(HttpRequest.newBuilder(control(node, "/console/login")).build(), HttpResponse.BodyHandlers.ofString())
			.body();
		Matcher token = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(login);
		assertThat(token.find()).as("a CSRF token on the sign-in page").isTrue();
		HttpResponse<String> signIn = browser.send(HttpRequest.newBuilder(control(node, "/console/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers
				.ofString("username=admin&password=" + PASSWORD + "&_csrf=" + token.group(1), StandardCharsets.UTF_8))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(signIn.statusCode()).as("signed in").isEqualTo(302);
		assertThat(signIn.headers().firstValue("Location"))
			.hasValueSatisfying((to) -> assertThat(to).doesNotContain("error"));
		return browser;
	}

	private static URI control(ConfigurableApplicationContext context, String path) {
		return URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port") + path);
	}

}
