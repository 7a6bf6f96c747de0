package dev.capuchin.app.monkey;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.capuchin.app.TestApplication;
import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.app.audit.AuditLog;
import dev.capuchin.core.internal.server.CapuchinServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
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
class MonkeyImportApiTests {

	private static final String PASSWORD = "monkey-api-password";

	@TempDir
	static Path temp;

	static MonkeyFixture monkey;

	@LocalServerPort
	int controlPort;

	@Autowired
	CapuchinServer server;

	@Autowired
	ConfigService config;

	@Autowired
	AuditLog audit;

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws IOException {
		Path root = Files.createDirectories(temp.resolve("capuchin-root"));
		Files.writeString(root.resolve("index.html"), "capuchin");
		TestApplication.register(registry, TestApplication.defaultSite(temp, root, ""), 2, PASSWORD);
		registry.add("capuchin.store.poll-interval", () -> "0s");
		registry.add("capuchin.plugins.auth.enabled", () -> "true");
		registry.add("capuchin.plugins.mandril.enabled", () -> "true");
		registry.add("capuchin.plugins.logger.enabled", () -> "true");
		monkey = MonkeyFixture.install(temp.resolve("monkey"), "2001");
		monkey.append("plugins/mandril/mandril.conf", "    URL /SeCrEt\n");
	}

	@Test
	void aDryRunAnswersTheDifferenceReportAndServerSettingsAndChangesNothing() throws Exception {
		ConfigService.Snapshot before = this.config.current();
		HttpResponse<String> response = post("/api/config/monkey?dry-run=true", body(monkey.directory()));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("content-type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/json"));
		JsonNode answer = this.json.readTree(response.body());
		assertThat(answer.get("applied").asBoolean()).isFalse();
		assertThat(answer.get("directory").asString()).isEqualTo(monkey.directory().toString());
		assertThat(answer.get("serverConfig").asString()).contains("address: 0.0.0.0:2001", "flush-interval: 3s");
		assertThat(answer.get("report").toString()).contains(
				"\"text\":\"monkey.conf:78 [SERVER] User: not mapped (run Capuchin as the user you want)\"",
				"\"file\":\"monkey.conf\",\"line\":78,\"section\":\"[SERVER]\",\"key\":\"User\",\"mapped\":false");
		assertThat(answer.get("changes").toString()).contains("\"site\":\"staff\"", "\"change\":\"added\"");
		assertThat(this.config.current()).isEqualTo(before);
	}

	@Test
	void anAppliedImportIsServedAtOnceWithMonkeysAuthAndMandrilRules() throws Exception {
		HttpResponse<String> response = post("/api/config/monkey", body(monkey.directory()));
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode answer = this.json.readTree(response.body());
		assertThat(answer.get("applied").asBoolean()).isTrue();
		assertThat(answer.get("version").asLong()).isEqualTo(this.config.appliedVersion());
		assertThat(dataPlane("shop.test", "/", null)).startsWith("HTTP/1.1 200").endsWith("shop");
		assertThat(dataPlane("www.shop.test", "/missing", null)).startsWith("HTTP/1.1 404").endsWith("shop not found");
		assertThat(dataPlane("127.0.0.1", "/", null)).endsWith("monkey default");
		assertThat(dataPlane("staff.test", "/private/", null)).startsWith("HTTP/1.1 401")
			.containsIgnoringCase("www-authenticate: Basic realm=\"Staff Only\"");
		assertThat(dataPlane("staff.test", "/private/",
				TestApplication.basic(MonkeyFixture.USER + ":" + MonkeyFixture.PASSWORD)))
			.startsWith("HTTP/1.1 200")
			.endsWith("staff only");
		assertThat(dataPlane("staff.test", "/private/", TestApplication.basic(MonkeyFixture.USER + ":wrong")))
			.startsWith("HTTP/1.1 401");
		assertThat(dataPlane("shop.test", "/secret.html", null)).startsWith("HTTP/1.1 403");
		assertThat(this.audit.recent(20)).anySatisfy((entry) -> {
			assertThat(entry.actor()).isEqualTo("admin");
			assertThat(entry.target()).isEqualTo("site staff");
			assertThat(entry.after()).contains("users-file: " + monkey.users());
		});
		Path accessLog = monkey.logs().resolve("shop.access.log");
		// the logger writes its buffer out on its own schedule
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(accessLog).content().contains("\"GET / HTTP/1.1\" 200"));
	}

	@Test
	void badInputIsRefusedWith400NamingFileAndLine() throws Exception {
		long version = this.config.current().version();
		HttpResponse<String> missing = post("/api/config/monkey", body(temp.resolve("nowhere")));
		assertThat(missing.statusCode()).isEqualTo(400);
		assertThat(this.json.readTree(missing.body()).get("error").asString())
			.startsWith("directory: " + temp.resolve("nowhere") + " (expected: Monkey's configuration directory");
		MonkeyFixture broken = MonkeyFixture.install(temp.resolve("broken"), "not-a-port");
		HttpResponse<String> refused = post("/api/config/monkey", body(broken.directory()));
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(this.json.readTree(refused.body()).get("error").asString())
			.isEqualTo("monkey.conf:20: [SERVER] Listen: 'not-a-port' (expected: a port, address:port or [IPv6]:port,"
					+ " port 1..65535)");
		HttpResponse<String> empty = post("/api/config/monkey", "{}");
		assertThat(empty.statusCode()).isEqualTo(400);
		assertThat(empty.body()).contains("directory: missing");
		HttpResponse<String> notJson = post("/api/config/monkey", "{");
		assertThat(notJson.statusCode()).isEqualTo(400);
		assertThat(notJson.body()).contains("body: not a JSON object");
		assertThat(this.config.current().version()).isEqualTo(version);
	}

	@Test
	void onlyJsonFromAnAdminIsAccepted() throws Exception {
		HttpResponse<String> form = this.http.send(HttpRequest.newBuilder(control("/api/config/monkey"))
			.header("Authorization", TestApplication.basic("admin:" + PASSWORD))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("directory=" + monkey.directory()))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(form.statusCode()).isEqualTo(415);
		HttpResponse<String> anonymous = this.http.send(HttpRequest.newBuilder(control("/api/config/monkey"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body(monkey.directory())))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(anonymous.statusCode()).isEqualTo(401);
	}

	private String body(Path directory) {
		return "{\"directory\": \"" + directory + "\"}";
	}

	private HttpResponse<String> post(String path, String body) throws Exception {
		return this.http.send(HttpRequest.newBuilder(control(path))
			.header("Authorization", TestApplication.basic("admin:" + PASSWORD))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI control(String path) {
		return URI.create("http://127.0.0.1:" + this.controlPort + path);
	}

	private String dataPlane(String host, String path, String authorization) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", this.server.boundAddresses().get(0).getPort())) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n"
					+ ((authorization != null) ? "Authorization: " + authorization + "\r\n" : "")
					+ "Connection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
