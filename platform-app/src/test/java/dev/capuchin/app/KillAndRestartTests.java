package dev.capuchin.app;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The application in a process of its own on its default store (the H2 file under
 * {@code ./data}, as shipped), killed with SIGKILL right after a configuration change was
 * committed through the API: started again on the same store, it serves the change. A
 * committed change survives a crash, not only a clean stop.
 */
class KillAndRestartTests {

	private static final String PASSWORD = "kill-and-restart-password";

	private final HttpClient http = HttpClient.newHttpClient();

	@TempDir
	Path temp;

	@Test
	void aChangeCommittedRightBeforeKillMinusNineIsServedAfterTheRestart() throws Exception {
		Path one = root("one");
		Path two = root("two");
		TestApplication.defaultSite(this.temp, one, "");
		int port = freePort();
		int control = freePort();
		Process first = start(port, control, "first.log");
		try {
			awaitServing(first, port, "one");
			assertThat(this.temp.resolve("data/capuchin.mv.db")).as("the default store's file").isRegularFile();
			String document = api(control, "GET", null).body();
			assertThat(document).contains("document-root: " + one);
			HttpResponse<String> applied = api(control, "PUT", document.replace(one.toString(), two.toString()));
			// SIGKILL the moment the API says the change is stored: no shutdown hook runs
			first.destroyForcibly();
			assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
			assertThat(applied.body()).contains("applied: true");
			assertThat(first.waitFor(30, TimeUnit.SECONDS)).as("the process ends").isTrue();
			assertThat(first.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
		}
		finally {
			first.destroyForcibly();
		}
		Process second = start(port, control, "second.log");
		try {
			awaitServing(second, port, "two", () -> "it serves '" + dataPlane(port) + "'; the API's document:\n"
					+ apiDocument(control) + "\nsecond.log ends:\n" + tail(this.temp.resolve("second.log")));
			assertThat(api(control, "GET", null).body()).contains("document-root: " + two);
		}
		finally {
			second.destroy();
			if (!second.waitFor(60, TimeUnit.SECONDS)) {
				second.destroyForcibly();
			}
		}
	}

	private Path root(String content) throws IOException {
		Path root = Files.createDirectories(this.temp.resolve("roots").resolve(content));
		Files.writeString(root.resolve("index.html"), content);
		return root;
	}

	private void awaitServing(Process app, int port, String content) {
		awaitServing(app, port, content, () -> "it serves '" + dataPlane(port) + "'");
	}

	private void awaitServing(Process app, int port, String content, Supplier<String> state) {
		try {
			await("the data plane serves " + content).atMost(Duration.ofMinutes(3))
				.pollInterval(Duration.ofMillis(500))
				.until(() -> {
					assertThat(app.isAlive()).as("the process runs (see its log)").isTrue();
					return content.equals(dataPlane(port));
				});
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError(ex.getMessage() + "; " + state.get(), ex);
		}
	}

	private String apiDocument(int control) {
		try {
			HttpResponse<String> response = api(control, "GET", null);
			return response.statusCode() + " " + response.body();
		}
		catch (Exception ex) {
			return ex.toString();
		}
	}

	private static String tail(Path log) {
		try {
			List<String> lines = Files.readAllLines(log);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
		}
		catch (IOException ex) {
			return ex.toString();
		}
	}

	private Process start(int port, int control, String log) throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		// the store is the default one, ./data under the working directory
		ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-cp", shippedClassPath(),
				CapuchinApplication.class.getName(), "--capuchin.sites-dir=" + this.temp.resolve("sites"),
				"--capuchin.server.listeners[0].address=127.0.0.1:" + port, "--capuchin.server.workers=1",
				"--server.port=" + control, "--server.address=127.0.0.1");
		builder.environment().put("CAPUCHIN_ADMIN_PASSWORD", PASSWORD);
		return builder.directory(this.temp.toFile())
			.redirectErrorStream(true)
			.redirectOutput(this.temp.resolve(log).toFile())
			.start();
	}

	/**
	 * This JVM's class path without the tests' own classes: their
	 * {@code config/application.yml} gives every test an in-memory store, which a restart
	 * would find empty. The processes run on the defaults Capuchin ships with.
	 */
	private static String shippedClassPath() {
		try {
			Path tests = Path.of(KillAndRestartTests.class.getProtectionDomain().getCodeSource().getLocation().toURI());
			String classPath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
				.filter((entry) -> !Path.of(entry).toAbsolutePath().equals(tests.toAbsolutePath()))
				.collect(Collectors.joining(File.pathSeparator));
			assertThat(classPath).as("the class path without " + tests)
				.isNotEqualTo(System.getProperty("java.class.path"));
			return classPath;
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private String dataPlane(int port) {
		try {
			TestApplication.DataPlaneResponse response = TestApplication.get(port, "localhost", "/");
			return (response.status() == 200) ? response.body() : "status " + response.status();
		}
		catch (IOException ex) {
			return ex.toString();
		}
	}

	private HttpResponse<String> api(int control, String method, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + control + "/api/config"))
			.timeout(Duration.ofMinutes(2))
			.header("Authorization", TestApplication.basic("admin:" + PASSWORD))
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (body != null) {
			request.header("Content-Type", "application/yaml");
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
