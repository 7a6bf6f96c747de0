package dev.capuchin.plugin.cgi;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.spi.Exchange;
import dev.capuchin.core.spi.LogEvent;
import dev.capuchin.core.spi.Location;
import dev.capuchin.core.spi.Plugin;
import dev.capuchin.core.spi.RequestResult;
import dev.capuchin.core.spi.Stage;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.plugin.logger.LoggerPlugin;
import dev.capuchin.plugin.logger.LoggerSettings;
import dev.capuchin.core.testing.RawHttp;
import dev.capuchin.core.testing.TestCertificates;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * CGI over a real socket with real sh, perl and python3 scripts: the meta-variables, the
 * response forms, streaming, limits, killing and reaping. Runs on every transport.
 */
@EveryTransport
class CgiSocketTests {

	private static final String ENV_SCRIPT = """
			#!/bin/sh
			printf 'Content-Type: text/plain\\r\\n\\r\\n'
			env
			""";

	@TempDir
	Path temp;

	@Parameter
	Transport transport;

	private KernelFixture kernel;

	private CgiPlugin plugin;

	private TestCertificates.Issued tls;

	/** The {@code max-body-size} of the /cgi-bin/ location, when a test sets one. */
	private String locationBodyLimit;

	private final List<String> reasons = new CopyOnWriteArrayList<>();

	/** Keys of the default site beside its locations, when a test sets some. */
	private Map<String, Object> siteKeys = Map.of();

	@AfterEach
	void stopKernel() {
		if (this.kernel != null) {
			this.kernel.close();
		}
	}

	@Test
	void everyMetaVariableOfRfc3875IsSet() throws Exception {
		start(Map.of());
		script("/cgi-bin/env.sh", ENV_SCRIPT);
		try (RawHttp http = this.kernel.connect()) {
			int clientPort = http.socket().getLocalPort();
			RawHttp.Response response = http.exchange("GET /cgi-bin/env.sh/extra/info?a=1&b=%20 HTTP/1.1\r\n"
					+ "Host: localhost:" + this.kernel.port() + "\r\nX-Custom: yes\r\nConnection: close\r\n\r\n");
			assertThat(response.status()).isEqualTo(200);
			Map<String, String> env = env(response.text());
			String root = this.kernel.root().toRealPath().toString();
			assertThat(env).containsEntry("GATEWAY_INTERFACE", "CGI/1.1")
				.containsEntry("SERVER_SOFTWARE", "Capuchin")
				.containsEntry("SERVER_NAME", "localhost")
				.containsEntry("SERVER_PORT", Integer.toString(this.kernel.port()))
				.containsEntry("SERVER_PROTOCOL", "HTTP/1.1")
				.containsEntry("REQUEST_METHOD", "GET")
				.containsEntry("SCRIPT_NAME", "/cgi-bin/env.sh")
				.containsEntry("PATH_INFO", "/extra/info")
				.containsEntry("PATH_TRANSLATED", root + "/extra/info")
				.containsEntry("QUERY_STRING", "a=1&b=%20")
				.containsEntry("REMOTE_ADDR", "127.0.0.1")
				.containsEntry("REMOTE_HOST", "127.0.0.1")
				.containsEntry("REMOTE_PORT", Integer.toString(clientPort))
				.containsEntry("REQUEST_URI", "/cgi-bin/env.sh/extra/info?a=1&b=%20")
				.containsEntry("DOCUMENT_ROOT", root)
				.containsEntry("SCRIPT_FILENAME", root + "/cgi-bin/env.sh")
				.containsEntry("HTTP_X_CUSTOM", "yes")
				.containsEntry("HTTP_HOST", "localhost:" + this.kernel.port())
				.doesNotContainKeys("CONTENT_LENGTH", "CONTENT_TYPE", "AUTH_TYPE", "REMOTE_USER", "HTTPS");
		}
	}

	@Test
	void contentLengthAndTypeDescribeTheBody() throws Exception {
		start(Map.of());
		script("/cgi-bin/post.pl", """
				#!/usr/bin/perl
				read(STDIN, my $body, $ENV{CONTENT_LENGTH});
				print "Content-Type: text/plain\\n\\n";
				print "$ENV{REQUEST_METHOD} $ENV{CONTENT_LENGTH} $ENV{CONTENT_TYPE} [$body]";
				""");
		RawHttp.Response response = exchange("POST /cgi-bin/post.pl HTTP/1.1\r\nHost: localhost\r\n"
				+ "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 7\r\nConnection: close\r\n\r\n"
				+ "a=1&b=2");
		assertThat(response.text()).isEqualTo("POST 7 application/x-www-form-urlencoded [a=1&b=2]");
	}

	@Test
	void proxyHeaderNeverBecomesHttpProxy() throws Exception {
		start(Map.of());
		script("/cgi-bin/env.sh", ENV_SCRIPT);
		RawHttp.Response response = exchange("GET /cgi-bin/env.sh HTTP/1.1\r\nHost: localhost\r\n"
				+ "Proxy: http://evil.example:8080\r\nConnection: close\r\n\r\n");
		assertThat(env(response.text())).doesNotContainKey("HTTP_PROXY");
	}

	@Test
	void headerNamesThatWouldCollideAreLeftOut() throws Exception {
		start(Map.of());
		script("/cgi-bin/env.sh", ENV_SCRIPT);
		RawHttp.Response response = exchange("GET /cgi-bin/env.sh HTTP/1.1\r\nHost: localhost\r\n"
				+ "X-Forwarded-User: real\r\nX_Forwarded_User: forged\r\nConnection: close\r\n\r\n");
		assertThat(env(response.text())).containsEntry("HTTP_X_FORWARDED_USER", "real");
	}

	@Test
	void withoutExtraPathPathInfoAndPathTranslatedAreUnset() throws Exception {
		start(Map.of());
		script("/cgi-bin/env.sh", ENV_SCRIPT);
		assertThat(env(this.kernel.get("/cgi-bin/env.sh").text())).doesNotContainKeys("PATH_INFO", "PATH_TRANSLATED");
	}

	@Test
	void environmentHoldsOnlyMetaVariablesAndTheAllowList() throws Exception {
		start(Map.of("env", Map.of("APP_MODE", "test")));
		script("/cgi-bin/env.sh", ENV_SCRIPT);
		Map<String, String> env = env(this.kernel.get("/cgi-bin/env.sh").text());
		assertThat(env).containsEntry("APP_MODE", "test").containsKey("PATH");
		assertThat(env.keySet()).allMatch((name) -> name.startsWith("HTTP_") || META.contains(name),
				"a meta-variable, a header or allowed");
	}

	private static final Set<String> META = Set.of("GATEWAY_INTERFACE", "SERVER_SOFTWARE", "SERVER_NAME", "SERVER_PORT",
			"SERVER_ADDR", "SERVER_PROTOCOL", "REQUEST_METHOD", "REQUEST_URI", "REQUEST_SCHEME", "QUERY_STRING",
			"SCRIPT_NAME", "SCRIPT_FILENAME", "DOCUMENT_ROOT", "REMOTE_ADDR", "REMOTE_HOST", "REMOTE_PORT",
			"REDIRECT_STATUS", "PATH", "LANG", "APP_MODE", "PWD", "SHLVL", "_");

	@Test
	void remoteUserAndAuthTypeComeFromTheAuthenticatingPlugin() throws Exception {
		Plugin authenticator = new Plugin() {

			@Override
			public String name() {
				return "authenticator";
			}

			@Override
			public Set<Stage> stages() {
				return Set.of(Stage.REQUEST);
			}

			@Override
			public Mono<RequestResult> onRequest(Exchange exchange) {
				exchange.attribute(Exchange.USER, "alice");
				exchange.attribute(Exchange.AUTH_TYPE, "Basic");
				return CONTINUE;
			}
		};
		start(Map.of(), authenticator);
		script("/cgi-bin/env.sh", ENV_SCRIPT);
		RawHttp.Response response = exchange("GET /cgi-bin/env.sh HTTP/1.1\r\nHost: localhost\r\n"
				+ "Authorization: Basic YWxpY2U6c2VjcmV0\r\nConnection: close\r\n\r\n");
		assertThat(env(response.text())).containsEntry("REMOTE_USER", "alice")
			.containsEntry("AUTH_TYPE", "Basic")
			.doesNotContainKey("HTTP_AUTHORIZATION");
	}

	@Test
	void pythonScriptRunsThroughItsInterpreterByExtension() throws Exception {
		start(Map.of());
		CgiScripts.plain(this.kernel.root(), "/app/hello.py", """
				import os
				print("Content-Type: text/plain")
				print()
				print("hello from python " + os.environ["SCRIPT_NAME"], end="")
				""");
		RawHttp.Response response = this.kernel.get("/app/hello.py");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.text()).isEqualTo("hello from python /app/hello.py");
	}

	@Test
	void scriptRunsInItsOwnDirectory() throws Exception {
		start(Map.of());
		script("/cgi-bin/sub/pwd.sh", "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\npwd\n");
		assertThat(this.kernel.get("/cgi-bin/sub/pwd.sh").text().trim())
			.isEqualTo(this.kernel.root().toRealPath().resolve("cgi-bin/sub").toString());
	}

	@Test
	void nonExecutableFileIsRefusedWith403() throws Exception {
		start(Map.of());
		CgiScripts.plain(this.kernel.root(), "/cgi-bin/secret.sh", "#!/bin/sh\necho source\n");
		RawHttp.Response response = this.kernel.get("/cgi-bin/secret.sh");
		assertThat(response.status()).isEqualTo(403);
		assertThat(response.text()).doesNotContain("echo source");
	}

	@Test
	void missingScriptIs404() throws Exception {
		start(Map.of());
		assertThat(this.kernel.get("/cgi-bin/none.sh/info").status()).isEqualTo(404);
	}

	@Test
	void statusHeaderSetsTheStatus() throws Exception {
		start(Map.of());
		script("/cgi-bin/gone.sh", "#!/bin/sh\nprintf 'Status: 410 Gone Away\\nContent-Type: text/plain\\n\\ngone'\n");
		RawHttp.Response response = this.kernel.get("/cgi-bin/gone.sh");
		assertThat(response.statusLine()).isEqualTo("HTTP/1.1 410 Gone Away");
		assertThat(response.text()).isEqualTo("gone");
	}

	@Test
	void bodyWithoutLengthIsSentChunked() throws Exception {
		start(Map.of());
		script("/cgi-bin/hi.sh", "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\nhi'\n");
		RawHttp.Response response = this.kernel.get("/cgi-bin/hi.sh");
		assertThat(response.header("Transfer-Encoding")).isEqualToIgnoringCase("chunked");
		assertThat(response.text()).isEqualTo("hi");
	}

	@Test
	void scriptsContentLengthIsKept() throws Exception {
		start(Map.of());
		script("/cgi-bin/len.sh", "#!/bin/sh\nprintf 'Content-Type: text/plain\\nContent-Length: 5\\n\\nhello'\n");
		RawHttp.Response response = this.kernel.get("/cgi-bin/len.sh");
		assertThat(response.header("Content-Length")).isEqualTo("5");
		assertThat(response.header("Transfer-Encoding")).isNull();
		assertThat(response.text()).isEqualTo("hello");
	}

	@Test
	void bytesPastTheScriptsContentLengthAreDropped() throws Exception {
		start(Map.of());
		script("/cgi-bin/long.sh",
				"#!/bin/sh\nprintf 'Content-Type: text/plain\\nContent-Length: 5\\n\\nhelloHTTP/1.1 200 OK\\r\\n\\r\\n'\n");
		try (RawHttp http = this.kernel.connect()) {
			RawHttp.Response response = http
				.exchange("GET /cgi-bin/long.sh HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
			assertThat(response.text()).isEqualTo("hello");
			assertThat(http.socket().getInputStream().readAllBytes()).as("bytes after the body").isEmpty();
		}
	}

	@Test
	void wholeAnswerIsSentWithoutWaitingForTheScriptsEndOfOutput() throws Exception {
		start(Map.of());
		// answers at once, then keeps stdout open until the test lets it go
		script("/cgi-bin/linger.sh", """
				#!/bin/sh
				printf 'Content-Type: text/plain\\nContent-Length: 5\\n\\nhello'
				while [ ! -e "$DOCUMENT_ROOT/released" ]; do sleep 0.05; done
				""");
		script("/cgi-bin/hi.sh", "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\nhi'\n");
		try (RawHttp http = this.kernel.connect()) {
			assertThat(http.exchange("GET /cgi-bin/linger.sh HTTP/1.1\r\nHost: localhost\r\n\r\n").text())
				.isEqualTo("hello");
			// the next request on the connection is served while the first script runs
			assertThat(http.exchange("GET /cgi-bin/hi.sh HTTP/1.1\r\nHost: localhost\r\n\r\n").text()).isEqualTo("hi");
			// and the first script keeps its place until it is gone
			await().untilAsserted(() -> assertThat(this.plugin.status().running()).isEqualTo(1));
		}
		Files.writeString(this.kernel.root().resolve("released"), "");
		await().untilAsserted(() -> assertThat(this.plugin.status().running()).isZero());
		assertThat(this.plugin.status().outcomes()).containsEntry("ok", 2L);
	}

	@Test
	void scriptThatOverfillsThePipePastItsContentLengthIsKilledAtItsTimeout() throws Exception {
		start(Map.of("timeout", "500ms"));
		script("/cgi-bin/overfill.sh", """
				#!/bin/sh
				printf 'Content-Type: text/plain\\nContent-Length: 5\\n\\nhello'
				head -c 1048576 /dev/zero
				""");
		RawHttp.Response response = this.kernel.get("/cgi-bin/overfill.sh");
		assertThat(response.text()).isEqualTo("hello");
		await().untilAsserted(() -> assertThat(this.plugin.status().running()).isZero());
		assertThat(this.plugin.status().outcomes()).containsEntry("ok", 1L);
	}

	@Test
	void bodyShortOfItsContentLengthClosesTheConnection() throws Exception {
		start(Map.of());
		script("/cgi-bin/short.sh", "#!/bin/sh\nprintf 'Content-Type: text/plain\\nContent-Length: 50\\n\\nhello'\n");
		try (RawHttp http = this.kernel.connect()) {
			RawHttp.Response head = http.send("GET /cgi-bin/short.sh HTTP/1.1\r\nHost: localhost\r\n\r\n").readHead();
			assertThat(head.status()).isEqualTo(200);
			assertThat(http.socket().getInputStream().readNBytes(5)).isEqualTo("hello".getBytes());
			assertThat(http.isClosedByServer(5000)).isTrue();
		}
	}

	@Test
	void keptAliveConnectionServesOneScriptAfterAnother() throws Exception {
		start(Map.of());
		script("/cgi-bin/len.sh", "#!/bin/sh\nprintf 'Content-Type: text/plain\\nContent-Length: 5\\n\\nhello'\n");
		script("/cgi-bin/hi.sh", "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\nhi'\n");
		try (RawHttp http = this.kernel.connect()) {
			for (int i = 0; i < 20; i++) {
				String path = (i % 2 == 0) ? "/cgi-bin/len.sh" : "/cgi-bin/hi.sh";
				RawHttp.Response response = http.exchange("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
				assertThat(response.text()).as("request %d", i).isEqualTo((i % 2 == 0) ? "hello" : "hi");
			}
		}
	}

	@Test
	void localRedirectIsServedInternally() throws Exception {
		start(Map.of());
		script("/cgi-bin/first.sh", "#!/bin/sh\nprintf 'Location: /cgi-bin/second.sh/more?x=1\\n\\n'\n");
		script("/cgi-bin/second.sh", "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\n"
				+ "printf '%s %s %s' \"$REQUEST_METHOD\" \"$PATH_INFO\" \"$QUERY_STRING\"\n");
		RawHttp.Response response = this.kernel.get("/cgi-bin/first.sh");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.header("Location")).isNull();
		assertThat(response.text()).isEqualTo("GET /more x=1");
	}

	@Test
	void localRedirectToAFileServesTheFile() throws Exception {
		start(Map.of());
		Files.writeString(this.kernel.root().resolve("page.txt"), "static page");
		script("/cgi-bin/to-file.sh", "#!/bin/sh\nprintf 'Location: /page.txt\\n\\n'\n");
		RawHttp.Response response = this.kernel.get("/cgi-bin/to-file.sh");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.text()).isEqualTo("static page");
	}

	@Test
	void clientRedirectIs302() throws Exception {
		start(Map.of());
		script("/cgi-bin/away.sh", "#!/bin/sh\nprintf 'Location: https://example.com/next\\n\\n'\n");
		RawHttp.Response response = this.kernel.get("/cgi-bin/away.sh");
		assertThat(response.status()).isEqualTo(302);
		assertThat(response.header("Location")).isEqualTo("https://example.com/next");
	}

	@Test
	void malformedOutputIs502WithTheScriptInTheErrorLog() throws Exception {
		start(Map.of());
		script("/cgi-bin/broken.sh", "#!/bin/sh\necho 'this is not a header'\necho 'oops' >&2\n");
		RawHttp.Response response = this.kernel.get("/cgi-bin/broken.sh");
		assertThat(response.status()).isEqualTo(502);
		await().untilAsserted(() -> assertThat(this.reasons)
			.anySatisfy((reason) -> assertThat(reason).contains("cgi /cgi-bin/broken.sh: malformed output")
				.contains("'this is not a header'")));
	}

	@Test
	void scriptWithoutOutputIs502() throws Exception {
		start(Map.of());
		script("/cgi-bin/silent.sh", "#!/bin/sh\nexit 3\n");
		assertThat(this.kernel.get("/cgi-bin/silent.sh").status()).isEqualTo(502);
	}

	@Test
	void nphScriptSendsItsOwnStatusLine() throws Exception {
		start(Map.of());
		script("/cgi-bin/nph-raw.sh",
				"#!/bin/sh\nprintf 'HTTP/1.1 299 Very Custom\\r\\nContent-Type: text/plain\\r\\nX-Nph: 1\\r\\n\\r\\nraw'\n");
		RawHttp.Response response = this.kernel.get("/cgi-bin/nph-raw.sh");
		assertThat(response.statusLine()).isEqualTo("HTTP/1.1 299 Very Custom");
		assertThat(response.header("X-Nph")).isEqualTo("1");
		assertThat(response.text()).isEqualTo("raw");
	}

	@Test
	void outputReachesTheClientAsItIsProduced() throws Exception {
		start(Map.of());
		Path flag = this.temp.resolve("go");
		script("/cgi-bin/slow.sh", "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\nfirst;'\n" + "while [ ! -e '"
				+ flag + "' ]; do sleep 0.05; done\nprintf 'second'\n");
		try (RawHttp http = this.kernel.connect()) {
			http.send("GET /cgi-bin/slow.sh HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
			InputStream in = http.socket().getInputStream();
			String seen = readUntil(in, "first;");
			assertThat(seen).contains("200").doesNotContain("second");
			Files.createFile(flag);
			assertThat(readUntil(in, "second")).endsWith("second");
		}
	}

	@Test
	void stderrIsReadWithoutBlockingTheScript() throws Exception {
		start(Map.of());
		// 1 MiB on stderr: far beyond a pipe's 64 KiB, so an unread stderr would hang it
		script("/cgi-bin/noisy.pl", """
				#!/usr/bin/perl
				for (1..16384) { print STDERR ("x" x 63) . "\\n"; }
				print "Content-Type: text/plain\\n\\ndone";
				""");
		RawHttp.Response response = this.kernel.get("/cgi-bin/noisy.pl");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.text()).isEqualTo("done");
	}

	@Test
	void stderrLineGoesToTheSitesErrorLogWithTheScriptName() throws Exception {
		Path errors = this.temp.resolve("error.log");
		LoggerPlugin logger = new LoggerPlugin(
				LoggerSettings.defaults().withBuffer(LoggerSettings.DEFAULT_BUFFER_SIZE, Duration.ofMillis(20)));
		this.siteKeys = Map.of("logger", Map.of("error-log", errors.toString()));
		start(Map.of(), logger);
		script("/cgi-bin/grumpy.sh", "#!/bin/sh\necho 'disk on fire' >&2\nprintf 'Content-Type: text/plain\\n\\nok'\n");
		RawHttp.Response response = this.kernel.get("/cgi-bin/grumpy.sh?x=1");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.text()).isEqualTo("ok");
		Awaitility.await()
			.atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(Files.exists(errors) ? Files.readAllLines(errors) : List.<String>of())
				.singleElement()
				.asString()
				.matches("\\[[^\\]]+\\] \\[error\\] \\[client 127\\.0\\.0\\.1\\] site=default "
						+ "GET /cgi-bin/grumpy\\.sh\\?x=1: cgi /cgi-bin/grumpy\\.sh stderr: disk on fire"));
	}

	@Test
	void stderrFloodIsBoundedByTheErrorLogWithoutBlockingTheScript() throws Exception {
		Path errors = this.temp.resolve("error.log");
		// a buffer of 16 lines: the flood outruns the writer, and what does not fit is
		// dropped and counted rather than waited for
		LoggerPlugin logger = new LoggerPlugin(LoggerSettings.defaults().withBuffer(16, Duration.ofSeconds(30)));
		this.siteKeys = Map.of("logger", Map.of("error-log", errors.toString()));
		start(Map.of(), logger);
		script("/cgi-bin/noisy.pl", """
				#!/usr/bin/perl
				for (1..16384) { print STDERR ("x" x 63) . "\\n"; }
				print "Content-Type: text/plain\\n\\ndone";
				""");
		RawHttp.Response response = this.kernel.get("/cgi-bin/noisy.pl");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.text()).isEqualTo("done");
		// every line is accounted for: kept for the file or dropped and counted
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(logger.files()).singleElement()
				.satisfies((file) -> assertThat(file.lines() + file.pending() + file.dropped()).isEqualTo(16384)));
	}

	@Test
	void timeoutKillsTheWholeProcessGroupWith504() throws Exception {
		start(Map.of("timeout", "500ms"));
		Path pids = this.temp.resolve("pids");
		script("/cgi-bin/hang.sh",
				"#!/bin/sh\nsleep 600 &\necho $! > '" + pids + ".child'\n" + "echo $$ > '" + pids + "'\nsleep 600\n");
		RawHttp.Response response = this.kernel.get("/cgi-bin/hang.sh");
		assertThat(response.status()).isEqualTo(504);
		long parent = CgiScripts.pid(pids);
		long child = CgiScripts.pid(Path.of(pids + ".child"));
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(CgiScripts.isRunning(parent)).as("script").isFalse();
			assertThat(CgiScripts.isRunning(child)).as("forked child").isFalse();
		});
		assertThat(this.plugin.status().timeouts()).isEqualTo(1);
	}

	@Test
	void clientThatGoesAwayKillsTheScript() throws Exception {
		start(Map.of());
		Path pid = this.temp.resolve("pid");
		script("/cgi-bin/wait.sh", "#!/bin/sh\necho $$ > '" + pid + "'\nsleep 600\n");
		try (RawHttp http = this.kernel.connect()) {
			http.send("GET /cgi-bin/wait.sh HTTP/1.1\r\nHost: localhost\r\n\r\n");
			await().until(() -> Files.exists(pid) && Files.size(pid) > 0);
		}
		long script = CgiScripts.pid(pid);
		await().atMost(Duration.ofSeconds(10)).until(() -> !CgiScripts.isRunning(script));
		await().untilAsserted(() -> assertThat(this.plugin.status().outcomes()).containsEntry("client-gone", 1L));
	}

	@Test
	void stoppingTheServerKillsRunningScripts() throws Exception {
		start(Map.of());
		Path pids = this.temp.resolve("pids");
		script("/cgi-bin/hang.sh",
				"#!/bin/sh\nsleep 600 &\necho $! > '" + pids + ".child'\n" + "echo $$ > '" + pids + "'\nsleep 600\n");
		try (RawHttp http = this.kernel.connect()) {
			http.send("GET /cgi-bin/hang.sh HTTP/1.1\r\nHost: localhost\r\n\r\n");
			await().until(() -> Files.exists(Path.of(pids + ".child")) && Files.size(Path.of(pids + ".child")) > 0);
			long parent = CgiScripts.pid(pids);
			long child = CgiScripts.pid(Path.of(pids + ".child"));
			this.kernel.close();
			this.kernel = null;
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(CgiScripts.isRunning(parent) || CgiScripts.isRunning(child)).isFalse());
		}
	}

	@Test
	void fullSiteAnswers503WithRetryAfter() throws Exception {
		start(Map.of("queue-timeout", "200ms"), Map.of("max-concurrent", 1));
		Path flag = this.temp.resolve("go");
		script("/cgi-bin/busy.sh", "#!/bin/sh\nwhile [ ! -e '" + flag + "' ]; do sleep 0.05; done\n"
				+ "printf 'Content-Type: text/plain\\n\\nbusy'\n");
		try (RawHttp first = this.kernel.connect()) {
			first.send("GET /cgi-bin/busy.sh HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
			await().until(() -> this.plugin.status().running() == 1);
			RawHttp.Response refused = this.kernel.get("/cgi-bin/busy.sh");
			assertThat(refused.status()).isEqualTo(503);
			assertThat(refused.header("Retry-After")).isEqualTo("1");
			Files.createFile(flag);
			assertThat(first.read().text()).isEqualTo("busy");
		}
	}

	@Test
	void waitingRequestRunsOnceAPlaceIsFree() throws Exception {
		start(Map.of("queue-timeout", "10s"), Map.of("max-concurrent", 1));
		Path flag = this.temp.resolve("go");
		script("/cgi-bin/busy.sh", "#!/bin/sh\nwhile [ ! -e '" + flag + "' ]; do sleep 0.05; done\n"
				+ "printf 'Content-Type: text/plain\\n\\nbusy'\n");
		try (RawHttp first = this.kernel.connect(); RawHttp second = this.kernel.connect()) {
			first.send("GET /cgi-bin/busy.sh HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
			await().until(() -> this.plugin.status().running() == 1);
			second.send("GET /cgi-bin/busy.sh HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
			await().until(() -> this.plugin.status().waiting() == 1);
			Files.createFile(flag);
			assertThat(first.read().status()).isEqualTo(200);
			assertThat(second.read().status()).isEqualTo(200);
		}
	}

	@Test
	void declaredBodyPastTheLocationsLimitIs413() throws Exception {
		this.locationBodyLimit = "10B";
		start(Map.of());
		script("/cgi-bin/env.sh", ENV_SCRIPT);
		RawHttp.Response response = exchange("POST /cgi-bin/env.sh HTTP/1.1\r\nHost: localhost\r\n"
				+ "Content-Length: 11\r\nConnection: close\r\n\r\n01234567890");
		assertThat(response.status()).isEqualTo(413);
	}

	@Test
	void chunkedBodyPastTheLocationsLimitIs413() throws Exception {
		this.locationBodyLimit = "10B";
		start(Map.of());
		script("/cgi-bin/read.sh", "#!/bin/sh\ncat > /dev/null\nprintf 'Content-Type: text/plain\\n\\nread'\n");
		RawHttp.Response response = exchange("POST /cgi-bin/read.sh HTTP/1.1\r\nHost: localhost\r\n"
				+ "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n8\r\n01234567\r\n8\r\n01234567\r\n0\r\n\r\n");
		assertThat(response.status()).isEqualTo(413);
	}

	@Test
	void scriptRunsAsTheConfiguredUser() throws Exception {
		Assumptions.assumeTrue(CgiPlugin.currentUid() == 0, "only root may switch users");
		start(Map.of("user", "nobody"));
		script("/cgi-bin/id.sh", "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\nid -u\n");
		Files.setPosixFilePermissions(this.temp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
		RawHttp.Response response = this.kernel.get("/cgi-bin/id.sh");
		assertThat(response.text().trim()).isEqualTo("65534");
	}

	@Test
	void noZombiesAreLeftAfterAnyOutcome() throws Exception {
		start(Map.of("timeout", "500ms"));
		script("/cgi-bin/ok.sh", "#!/bin/sh\n(sleep 0.1 &)\nprintf 'Content-Type: text/plain\\n\\nok'\n");
		script("/cgi-bin/broken.sh", "#!/bin/sh\necho broken\n");
		script("/cgi-bin/hang.sh", "#!/bin/sh\nsleep 600 &\nsleep 600\n");
		assertThat(this.kernel.get("/cgi-bin/ok.sh").status()).isEqualTo(200);
		assertThat(this.kernel.get("/cgi-bin/broken.sh").status()).isEqualTo(502);
		assertThat(this.kernel.get("/cgi-bin/hang.sh").status()).isEqualTo(504);
		try (RawHttp http = this.kernel.connect()) {
			http.send("GET /cgi-bin/hang.sh HTTP/1.1\r\nHost: localhost\r\n\r\n");
			await().until(() -> this.plugin.status().running() == 1);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> this.plugin.status().running() == 0);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(CgiScripts.zombieChildren()).isEmpty());
	}

	@Test
	void httpsIsOnOverTls() throws Exception {
		TestCertificates.Issued certificate = TestCertificates.issue(this.temp.resolve("certificates"), "localhost",
				"127.0.0.1");
		this.tls = certificate;
		start(Map.of());
		script("/cgi-bin/env.sh", ENV_SCRIPT);
		SSLContext client = TestCertificates.trusting(List.of(certificate.certificate()));
		try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", this.kernel.port());
				RawHttp http = RawHttp.over(socket)) {
			socket.startHandshake();
			Map<String, String> env = env(
					http.exchange("GET /cgi-bin/env.sh HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
						.text());
			assertThat(env).containsEntry("HTTPS", "on").containsEntry("REQUEST_SCHEME", "https");
		}
	}

	@Test
	void headGetsTheHeadersAndTheConnectionStaysUsable() throws Exception {
		start(Map.of());
		script("/cgi-bin/hi.sh", "#!/bin/sh\nprintf 'Content-Type: text/plain\\nX-Hi: 1\\n\\nhi'\n");
		try (RawHttp http = this.kernel.connect()) {
			RawHttp.Response head = http.send("HEAD /cgi-bin/hi.sh HTTP/1.1\r\nHost: localhost\r\n\r\n").readHead();
			assertThat(head.status()).isEqualTo(200);
			assertThat(head.header("X-Hi")).isEqualTo("1");
			RawHttp.Response get = http
				.exchange("GET /cgi-bin/hi.sh HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
			assertThat(get.text()).isEqualTo("hi");
		}
	}

	@Test
	void statusCountsRequestsByOutcome() throws Exception {
		start(Map.of());
		script("/cgi-bin/hi.sh", "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\nhi'\n");
		script("/cgi-bin/broken.sh", "#!/bin/sh\necho broken\n");
		this.kernel.get("/cgi-bin/hi.sh");
		this.kernel.get("/cgi-bin/broken.sh");
		await().untilAsserted(() -> {
			CgiStatus status = this.plugin.status();
			assertThat(status.requests()).isEqualTo(2);
			assertThat(status.outcomes()).containsEntry("ok", 1L).containsEntry("malformed", 1L);
			assertThat(status.errors()).isEqualTo(1);
			assertThat(status.running()).isZero();
		});
	}

	private void start(Map<String, Object> block, Plugin... more) throws Exception {
		start(block, null, more);
	}

	private void start(Map<String, Object> block, Map<String, Object> siteBlock, Plugin... more) throws Exception {
		this.plugin = new CgiPlugin(CgiSettings.defaults(), CgiOutcomeListener.NONE);
		Map<String, Object> site = new LinkedHashMap<>(this.siteKeys);
		Map<String, Object> cgiBin = new LinkedHashMap<>(Map.of("path", "/cgi-bin/", "cgi", block));
		if (this.locationBodyLimit != null) {
			cgiBin.put(Location.MAX_BODY_SIZE, this.locationBodyLimit);
		}
		site.put("locations", List.of(cgiBin,
				Map.of("match", "\\.py$", "cgi", Map.of("interpreters", Map.of(".py", "/usr/bin/python3")))));
		if (siteBlock != null) {
			site.put("cgi", siteBlock);
		}
		KernelFixture.Builder builder = KernelFixture.builder(this.temp)
			.transport(this.transport)
			.listener((listener) -> (this.tls != null) ? listener.withTls(this.tls.tls(), false) : listener)
			.plugin(this.plugin)
			.plugin(new ReasonRecorder())
			.defaultSite(site);
		for (Plugin plugin : more) {
			builder.plugin(plugin);
		}
		this.kernel = builder.start();
	}

	private void script(String path, String content) throws Exception {
		CgiScripts.executable(this.kernel.root(), path, content);
	}

	private RawHttp.Response exchange(String request) throws Exception {
		try (RawHttp http = this.kernel.connect()) {
			return http.exchange(request);
		}
	}

	private static Map<String, String> env(String text) {
		Map<String, String> env = new LinkedHashMap<>();
		for (String line : text.split("\n")) {
			int equals = line.indexOf('=');
			if (equals > 0) {
				env.put(line.substring(0, equals), line.substring(equals + 1));
			}
		}
		return env;
	}

	private static String readUntil(InputStream in, String end) throws Exception {
		StringBuilder text = new StringBuilder();
		int c;
		while ((c = in.read()) >= 0) {
			text.append((char) c);
			if (text.length() >= end.length() && text.lastIndexOf(end) == text.length() - end.length()) {
				break;
			}
		}
		return text.toString();
	}

	/**
	 * Keeps the error reasons of answered requests, as the error log would write them.
	 */
	private final class ReasonRecorder implements Plugin {

		@Override
		public String name() {
			return "reasons";
		}

		@Override
		public Set<Stage> stages() {
			return Set.of(Stage.LOG);
		}

		@Override
		public void onLog(LogEvent event) {
			Object reason = event.attribute(Exchange.ERROR_REASON);
			if (reason != null) {
				CgiSocketTests.this.reasons.add(reason.toString());
			}
		}

	}

}
