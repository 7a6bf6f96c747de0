package dev.capuchin.app;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a full node loads on its way to its first answer, seen from the JVM's class-load
 * log of the application in a process of its own (a test JVM has loaded whatever earlier
 * tests needed): the default plugins, a data-plane listener without TLS, no ACME.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StartPathTests {

	private Path temp;

	private Process app;

	private List<String> loaded;

	@BeforeAll
	void startAndAnswerOnce() throws Exception {
		this.temp = TestApplication.temporaryDirectory("capuchin-start-path");
		Path root = Files.createDirectories(this.temp.resolve("htdocs"));
		Files.writeString(root.resolve("index.html"), "<h1>hello</h1>");
		TestApplication.defaultSite(this.temp, root, "");
		int port = freePort();
		Path classes = this.temp.resolve("classes.log");
		this.app = start(port, classes);
		await("the data plane answers").atMost(Duration.ofMinutes(5))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> answers(port));
		this.loaded = Files.readAllLines(classes, StandardCharsets.UTF_8);
	}

	@AfterAll
	void stop() throws InterruptedException {
		if (this.app != null) {
			this.app.destroy();
			if (!this.app.waitFor(30, TimeUnit.SECONDS)) {
				this.app.destroyForcibly();
			}
		}
	}

	@Test
	void theClassLoadLogCoversTheDataPlanesStart() {
		// what the other tests look for would be missing from an empty or cut log too
		assertThat(loaded(" reactor.netty.http.server.HttpServer ")).hasSize(1);
	}

	@Test
	void boringSslIsNotLoadedWithoutTlsListeners() {
		assertThat(loaded(" io.netty.internal.tcnative.")).isEmpty();
		assertThat(loaded(" io.netty.handler.ssl.OpenSsl ")).isEmpty();
	}

	@Test
	void theAdminPasswordIsNotHashedAtStart() {
		assertThat(loaded(" org.springframework.security.crypto.bcrypt.BCrypt ")).isEmpty();
	}

	/** The class-load lines that name a class or a package. */
	private List<String> loaded(String name) {
		return this.loaded.stream().filter((line) -> line.contains(name)).toList();
	}

	private Process start(int port, Path classes) throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		// the repository's configuration, as a node started from a checkout reads it: the
		// default profile group's plugins
		Path config = Path.of("").toAbsolutePath().resolveSibling("config");
		ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-Xlog:class+load=info:file=" + classes, "-cp",
				System.getProperty("java.class.path"), CapuchinApplication.class.getName(),
				"--spring.config.additional-location=optional:file:" + config + "/",
				"--capuchin.sites-dir=" + this.temp.resolve("sites"),
				"--capuchin.server.listeners[0].address=127.0.0.1:" + port, "--capuchin.server.workers=1",
				"--spring.datasource.url=jdbc:h2:file:" + this.temp.resolve("store"), "--server.port=0",
				"--server.address=127.0.0.1");
		builder.environment().put("CAPUCHIN_ADMIN_PASSWORD", "correct-horse-battery");
		return builder.directory(this.temp.toFile())
			.redirectErrorStream(true)
			.redirectOutput(this.temp.resolve("app.log").toFile())
			.start();
	}

	private boolean answers(int port) {
		assertThat(this.app.isAlive()).as("the node runs (see %s)", this.temp.resolve("app.log")).isTrue();
		try {
			return TestApplication.get(port, "localhost", "/").status() == 200;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
