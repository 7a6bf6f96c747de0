package dev.capuchin.app;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The application in a process of its own, stopped with SIGTERM (what systemd and
 * {@code kill} send) while requests are in flight: those requests complete, new
 * connections are refused, and every completed request has its access-log line.
 */
class TerminationUnderLoadTests {

	/** Bytes each slow script writes after its pause. */
	private static final int BODY = 64 * 1024;

	/** Requests in flight when SIGTERM arrives. */
	private static final int IN_FLIGHT = 6;

	@TempDir
	Path temp;

	@Test
	void sigtermLetsRequestsInFlightCompleteRefusesNewOnesAndLogsEveryOne() throws Exception {
		Path root = Files.createDirectories(this.temp.resolve("htdocs"));
		Files.writeString(root.resolve("index.html"), "<h1>hello</h1>");
		Path cgiBin = Files.createDirectories(root.resolve("cgi-bin"));
		Path script = cgiBin.resolve("slow.sh");
		// the pause outlasts the moment SIGTERM arrives; the body is written after it
		Files.writeString(script, "#!/bin/sh\nsleep 2\nprintf 'Content-Type: text/plain\\r\\n\\r\\n'\nhead -c " + BODY
				+ " /dev/zero | tr '\\0' x\n");
		Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
		Path accessLog = this.temp.resolve("access.log");
		TestApplication.defaultSite(this.temp, root, "logger: {access-log: " + accessLog
				+ ", format: \"pattern:%{status} %{target}\"}\nlocations:\n  - path: /cgi-bin/\n    cgi: {}\n");
		int port = freePort();
		Process app = start(port);
		try {
			await("the data plane answers").atMost(Duration.ofMinutes(3))
				.pollInterval(Duration.ofMillis(500))
				.until(() -> app.isAlive() && answers(port));
			ExecutorService clients = Executors.newFixedThreadPool(IN_FLIGHT);
			List<Future<HttpResponse<String>>> inFlight = new ArrayList<>();
			for (int i = 0; i < IN_FLIGHT; i++) {
				URI uri = URI.create("http://127.0.0.1:" + port + "/cgi-bin/slow.sh?" + i);
				inFlight.add(clients.submit(() -> get(uri)));
			}
			// every request has reached its script before the signal
			await().atMost(Duration.ofSeconds(10)).until(() -> runningScripts(script) >= IN_FLIGHT);
			app.destroy();
			await("new connections refused").atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> !connects(port));
			for (Future<HttpResponse<String>> request : inFlight) {
				HttpResponse<String> response = request.get(30, TimeUnit.SECONDS);
				assertThat(response.statusCode()).isEqualTo(200);
				assertThat(response.body()).hasSize(BODY);
			}
			clients.shutdown();
			assertThat(app.waitFor(60, TimeUnit.SECONDS)).as("the process ends").isTrue();
			assertThat(connects(port)).as("a connection after the stop").isFalse();
			List<String> lines = Files.readAllLines(accessLog, StandardCharsets.ISO_8859_1);
			for (int i = 0; i < IN_FLIGHT; i++) {
				assertThat(lines).contains("200 /cgi-bin/slow.sh?" + i);
			}
		}
		finally {
			app.destroyForcibly();
		}
	}

	private Process start(int port) throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
				CapuchinApplication.class.getName(), "--capuchin.sites-dir=" + this.temp.resolve("sites"),
				"--capuchin.server.listeners[0].address=127.0.0.1:" + port, "--capuchin.server.workers=2",
				"--capuchin.plugins.cgi.enabled=true", "--capuchin.plugins.logger.enabled=true", "--server.port=0",
				"--server.address=127.0.0.1");
		builder.environment().put("CAPUCHIN_ADMIN_PASSWORD", "correct-horse-battery");
		return builder.directory(this.temp.toFile())
			.redirectErrorStream(true)
			.redirectOutput(this.temp.resolve("app.log").toFile())
			.start();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static boolean connects(int port) {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static boolean answers(int port) {
		try {
			return get(URI.create("http://127.0.0.1:" + port + "/")).statusCode() == 200;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/** A GET on a connection of its own. */
	private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
				HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1));
	}

	/** This test's slow scripts running now, from the process table. */
	private static long runningScripts(Path script) {
		String path = script.toString();
		return ProcessHandle.allProcesses()
			.filter((process) -> process.info().commandLine().orElse("").contains(path))
			.count();
	}

}
