package dev.capuchin.plugin.fastcgi;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToIntFunction;

import com.jayway.jsonpath.JsonPath;
import dev.capuchin.core.internal.server.Limits;
import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import dev.capuchin.plugin.fastcgi.internal.ServerPool;
import dev.capuchin.plugin.logger.LoggerPlugin;
import dev.capuchin.plugin.logger.LoggerSettings;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledTaskCount;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The FastCGI plugin against a real php-fpm, over a real socket, on every transport: the
 * params php sees, bodies both ways, the front controller, the missing-script 404,
 * failures (stopped: 502, slow: 504), keep-alive reuse, unix sockets and TCP.
 */
@EveryTransport
class FastCgiSocketTests {

	@RegisterExtension
	static final PhpFpm php = new PhpFpm();

	private static final String INFO = """
			<?php
			header('Content-Type: application/json');
			$server = $_SERVER;
			$server['post'] = $_POST;
			$server['pid'] = getmypid();
			echo json_encode($server);
			""";

	/** Long enough for a php-fpm child to finish the slowest script of these tests. */
	private static final Duration LEAK_TIMEOUT = Duration.ofSeconds(15);

	/**
	 * How long php-fpm may take to see its idle connections closed once the plugin
	 * drained: it closes its side at once, and the plugin waits for its own closes.
	 */
	private static final Duration CLOSED_AFTER_STOP = Duration.ofSeconds(3);

	@TempDir
	Path temp;

	@Parameter
	Transport transport;

	private KernelFixture kernel;

	private FastCgiPlugin plugin;

	private LoggerPlugin logger;

	private Map<String, Object> siteKeys = Map.of();

	private int workers = 1;

	@AfterEach
	void stopKernelLeavingNoConnectionBehind() throws IOException {
		if (this.kernel == null) {
			return;
		}
		try {
			// every connection php-fpm still holds is one a pool keeps idle: none is
			// pinned by a request that ended, whichever way it ended
			Awaitility.await("php-fpm's connections back to the pools' idle ones")
				.atMost(LEAK_TIMEOUT)
				.untilAsserted(() -> assertThat(php.connections()).isEqualTo(heldByPools(ServerPool.ServerStatus::idle))
					.isEqualTo(heldByPools(ServerPool.ServerStatus::open)));
		}
		finally {
			this.kernel.close();
		}
		// and stopping closes them all: the plugins drain while the workers' loops
		// their connections live on still run
		Awaitility.await("php-fpm holds no connection once the plugin stopped")
			.atMost(CLOSED_AFTER_STOP)
			.untilAsserted(() -> assertThat(php.connections()).isZero());
	}

	@Test
	void scriptReceivesCgiParams() throws Exception {
		start(php.unixPass(), Map.of());
		RawHttp.Response response = this.kernel.get("/info.php?a=1&b=two");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.header("Content-Type")).startsWith("application/json");
		String json = response.text();
		Path root = this.kernel.root().toRealPath();
		assertThat(read(json, "SCRIPT_FILENAME")).isEqualTo(root.resolve("info.php").toString());
		assertThat(read(json, "SCRIPT_NAME")).isEqualTo("/info.php");
		assertThat(read(json, "DOCUMENT_ROOT")).isEqualTo(root.toString());
		assertThat(read(json, "REQUEST_URI")).isEqualTo("/info.php?a=1&b=two");
		assertThat(read(json, "QUERY_STRING")).isEqualTo("a=1&b=two");
		assertThat(read(json, "REQUEST_METHOD")).isEqualTo("GET");
		assertThat(read(json, "SERVER_PROTOCOL")).isEqualTo("HTTP/1.1");
		assertThat(read(json, "GATEWAY_INTERFACE")).isEqualTo("CGI/1.1");
		assertThat(read(json, "SERVER_SOFTWARE")).isEqualTo("Capuchin");
		assertThat(read(json, "SERVER_NAME")).isEqualTo("localhost");
		assertThat(read(json, "SERVER_PORT")).isEqualTo(Integer.toString(this.kernel.port()));
		assertThat(read(json, "REMOTE_ADDR")).isEqualTo("127.0.0.1");
		assertThat(read(json, "REMOTE_PORT")).matches("\\d+");
		assertThat(read(json, "REQUEST_SCHEME")).isEqualTo("http");
		assertThat(read(json, "HTTP_HOST")).isEqualTo("localhost");
		assertThat(read(json, "PATH_INFO")).isEmpty();
		assertThat(json).doesNotContain("\"HTTPS\"");
	}

	@Test
	void endedRequestsLeaveNoTimerOnTheirLoop() throws Exception {
		// one connection for eight clients: most requests wait for it before they run
		start(php.unixPass(), Map.of("max-connections", 1));
		EventExecutor loop = this.kernel.server().workers().get(0).executor();
		assertThat(this.kernel.get("/info.php").status()).isEqualTo(200);
		int before = ScheduledTaskCount.of(loop);
		ExecutorService clients = Executors.newFixedThreadPool(8);
		try {
			List<Future<Integer>> statuses = new ArrayList<>();
			for (int i = 0; i < 40; i++) {
				statuses.add(clients.submit(() -> this.kernel.get("/info.php").status()));
			}
			for (Future<Integer> status : statuses) {
				assertThat(status.get(30, TimeUnit.SECONDS)).isEqualTo(200);
			}
		}
		finally {
			clients.shutdownNow();
		}
		// a timer left per request would hold it, its exchange and its request on the
		// heap for the whole read or acquire timeout
		Awaitility.await("the requests' timers cancelled")
			.atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(ScheduledTaskCount.of(loop)).isLessThanOrEqualTo(before));
	}

	@Test
	void pathInfoIsSplitFromTheScriptName() throws Exception {
		start(php.unixPass(), Map.of(), "^/info\\.php");
		RawHttp.Response response = this.kernel.get("/info.php/extra/path?x=1");
		assertThat(response.status()).isEqualTo(200);
		String json = response.text();
		assertThat(read(json, "SCRIPT_NAME")).isEqualTo("/info.php");
		assertThat(read(json, "PATH_INFO")).isEqualTo("/extra/path");
		assertThat(read(json, "PATH_TRANSLATED")).isEqualTo(this.kernel.root().toRealPath() + "/extra/path");
		assertThat(read(json, "SCRIPT_FILENAME")).endsWith("/info.php");
	}

	@Test
	void requestHeadersArePassedButNeverProxy() throws Exception {
		start(php.unixPass(), Map.of());
		RawHttp.Response response = request("GET /info.php HTTP/1.1\r\nHost: localhost\r\nX-Custom-Thing: yes\r\n"
				+ "Proxy: http://evil.example:3128\r\nX_Sneaky: 1\r\nConnection: close\r\n\r\n");
		String json = response.text();
		assertThat(read(json, "HTTP_X_CUSTOM_THING")).isEqualTo("yes");
		assertThat(json).doesNotContain("HTTP_PROXY").doesNotContain("evil.example").doesNotContain("HTTP_X_SNEAKY");
	}

	@Test
	void extraParamsOfTheBlockArePassed() throws Exception {
		start(php.unixPass(), Map.of("params", Map.of("APP_ENV", "test", "SERVER_NAME", "shop.example")));
		String json = this.kernel.get("/info.php").text();
		assertThat(read(json, "APP_ENV")).isEqualTo("test");
		assertThat(read(json, "SERVER_NAME")).isEqualTo("shop.example");
	}

	@Test
	void postedFormReachesTheScript() throws Exception {
		start(php.unixPass(), Map.of());
		String form = "name=capuchin&kind=monkey";
		RawHttp.Response response = request("POST /info.php HTTP/1.1\r\nHost: localhost\r\n"
				+ "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + form.length()
				+ "\r\nConnection: close\r\n\r\n" + form);
		String json = response.text();
		assertThat(read(json, "REQUEST_METHOD")).isEqualTo("POST");
		assertThat(read(json, "CONTENT_LENGTH")).isEqualTo(Integer.toString(form.length()));
		assertThat(read(json, "CONTENT_TYPE")).isEqualTo("application/x-www-form-urlencoded");
		assertThat(read(json, "post.name")).isEqualTo("capuchin");
		assertThat(read(json, "post.kind")).isEqualTo("monkey");
	}

	@Test
	void largePostBodyIsStreamedToTheScript() throws Exception {
		start(php.unixPass(), Map.of());
		byte[] body = new byte[32 * 1024 * 1024 + 3];
		for (int i = 0; i < body.length; i++) {
			body[i] = (byte) (i * 31);
		}
		RawHttp.Response response = requestWithBody("POST /echo.php HTTP/1.1\r\nHost: localhost\r\n"
				+ "Content-Type: application/octet-stream\r\nContent-Length: " + body.length
				+ "\r\nConnection: close\r\n\r\n", body);
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.text()).isEqualTo(body.length + " " + sha256(body));
	}

	@Test
	void multipartUploadReachesTheScript() throws Exception {
		start(php.unixPass(), Map.of());
		byte[] file = "GIF89a not really a picture\n".repeat(4000).getBytes(StandardCharsets.US_ASCII);
		String boundary = "----capuchin-boundary";
		byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nholiday\r\n--"
				+ boundary + "\r\nContent-Disposition: form-data; name=\"picture\"; filename=\"beach.gif\"\r\n"
				+ "Content-Type: image/gif\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);
		byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
		byte[] body = new byte[head.length + file.length + tail.length];
		System.arraycopy(head, 0, body, 0, head.length);
		System.arraycopy(file, 0, body, head.length, file.length);
		System.arraycopy(tail, 0, body, head.length + file.length, tail.length);
		RawHttp.Response response = requestWithBody(
				"POST /upload.php HTTP/1.1\r\nHost: localhost\r\n" + "Content-Type: multipart/form-data; boundary="
						+ boundary + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n",
				body);
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.text()).isEqualTo("holiday beach.gif image/gif " + file.length + " " + sha256(file));
	}

	@Test
	void requestBodyWithoutLengthIs411() throws Exception {
		start(php.unixPass(), Map.of());
		RawHttp.Response response = request("POST /info.php HTTP/1.1\r\nHost: localhost\r\n"
				+ "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
		assertThat(response.status()).isEqualTo(411);
	}

	@Test
	void frontControllerReceivesPathsWithoutAFile() throws Exception {
		startFrontController();
		RawHttp.Response response = this.kernel.get("/products/42?color=red");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.text()).isEqualTo("front /products/42?color=red /index.php color=red");
	}

	@Test
	void frontControllerLeavesExistingFilesToStaticFiles() throws Exception {
		startFrontController();
		RawHttp.Response response = this.kernel.get("/style.css");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.text()).isEqualTo("body { color: brown }");
	}

	@Test
	void directoryRequestRunsTheIndexScript() throws Exception {
		startFrontController();
		RawHttp.Response response = this.kernel.get("/?page=1");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.text()).isEqualTo("front /?page=1 /index.php page=1");
	}

	@Test
	void missingScriptIs404FromCapuchin() throws Exception {
		startFrontController();
		assertThat(this.kernel.get("/nothing-here.php").status()).isEqualTo(404);
		// the cgi.fix_pathinfo hole: an upload named like a script is never run
		assertThat(this.kernel.get("/uploads/avatar.jpg/x.php").status()).isEqualTo(404);
		assertThat(pool(php.unixPass()).requests()).isZero();
	}

	@Test
	void stderrOfTheScriptGoesToTheSitesErrorLog() throws Exception {
		Path errors = this.temp.resolve("error.log");
		this.logger = new LoggerPlugin(
				LoggerSettings.defaults().withBuffer(LoggerSettings.DEFAULT_BUFFER_SIZE, Duration.ofMillis(20)));
		this.siteKeys = Map.of("logger", Map.of("error-log", errors.toString()));
		start(php.unixPass(), Map.of());
		RawHttp.Response response = this.kernel.get("/stderr.php");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.text()).isEqualTo("still fine");
		Awaitility.await()
			.atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(Files.exists(errors) ? Files.readAllLines(errors) : List.<String>of())
				.anySatisfy((line) -> assertThat(line)
					.contains("[error] [client 127.0.0.1] site=default GET /stderr.php: fastcgi /stderr.php ("
							+ php.unixPass() + ") stderr: ")
					.contains("disk on fire")));
	}

	@Test
	void stderrOfTheScriptGoesToTheApplicationLogWithoutTheLogger() throws Exception {
		Logger logger = (Logger) LoggerFactory.getLogger("dev.capuchin.core.site.error");
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		appender.start();
		logger.addAppender(appender);
		try {
			start(php.unixPass(), Map.of());
			RawHttp.Response response = this.kernel.get("/stderr.php");
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.text()).isEqualTo("still fine");
			assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage)
				.anySatisfy((line) -> assertThat(line)
					.startsWith("site default: fastcgi /stderr.php (" + php.unixPass() + ") stderr: ")
					.contains("disk on fire"));
		}
		finally {
			logger.detachAppender(appender);
		}
	}

	@Test
	void headerWithAControlCharacterIs502AndFreesTheConnection() throws Exception {
		start(php.unixPass(), Map.of("max-connections", 1));
		assertThat(this.kernel.get("/bad-header.php").status()).isEqualTo(502);
		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> pool(php.unixPass()).inUse() == 0);
		assertThat(this.kernel.get("/info.php").status()).isEqualTo(200);
	}

	@Test
	void statusHeaderSetsTheResponseStatus() throws Exception {
		start(php.unixPass(), Map.of());
		RawHttp.Response response = this.kernel.get("/created.php");
		assertThat(response.status()).isEqualTo(201);
		assertThat(response.header("X-Made-By")).isEqualTo("php");
		assertThat(response.headers().get("set-cookie")).containsExactly("a=1", "b=2");
		assertThat(response.text()).isEqualTo("made");
	}

	@Test
	void locationWithoutStatusIsAFoundRedirect() throws Exception {
		start(php.unixPass(), Map.of());
		RawHttp.Response response = this.kernel.get("/redirect.php");
		assertThat(response.status()).isEqualTo(302);
		assertThat(response.header("Location")).isEqualTo("https://example.com/elsewhere");
	}

	@Test
	void tcpServerServesLikeTheUnixSocket() throws Exception {
		start(php.tcpPass(), Map.of());
		RawHttp.Response response = this.kernel.get("/info.php");
		assertThat(response.status()).isEqualTo(200);
		assertThat(read(response.text(), "SCRIPT_NAME")).isEqualTo("/info.php");
		Awaitility.await().untilAsserted(() -> assertThat(pool(php.tcpPass()).requests()).isEqualTo(1));
	}

	@Test
	void keptAliveConnectionServesSeveralRequests() throws Exception {
		start(php.unixPass(), Map.of());
		for (int i = 0; i < 5; i++) {
			assertThat(this.kernel.get("/info.php").status()).isEqualTo(200);
		}
		// a request is counted once its answer is written, which the client may see first
		Awaitility.await().untilAsserted(() -> assertThat(pool(php.unixPass()).requests()).isEqualTo(5));
		ServerPool.ServerStatus status = pool(php.unixPass());
		assertThat(status.opened()).isEqualTo(1);
		assertThat(status.idle()).isEqualTo(1);
		assertThat(status.inUse()).isZero();
	}

	@Test
	void oneTcpConnectionCarriesSeveralRequests() throws Exception {
		start(php.tcpPass(), Map.of());
		for (int i = 0; i < 4; i++) {
			assertThat(this.kernel.get("/info.php").status()).isEqualTo(200);
		}
		// one connection opened and still open for all four: the pool's own count, as
		// php-fpm's shared socket also carries other test classes' connections
		assertThat(pool(php.tcpPass()).opened()).isEqualTo(1);
		assertThat(pool(php.tcpPass()).open()).isEqualTo(1);
	}

	@Test
	void smallAnswerReadAtOnceGoesOutWithItsLength() throws Exception {
		start(php.unixPass(), Map.of());
		RawHttp.Response response = this.kernel.get("/info.php?small=1");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.header("Transfer-Encoding")).isNull();
		assertThat(response.header("Content-Length")).isEqualTo(Integer.toString(response.body().length));
		assertThat(read(response.text(), "QUERY_STRING")).isEqualTo("small=1");
	}

	@Test
	void largeResponseIsStreamed() throws Exception {
		start(php.unixPass(), Map.of());
		RawHttp.Response response = this.kernel.get("/big.php?mib=16");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.header("Transfer-Encoding")).isEqualToIgnoringCase("chunked");
		assertThat(response.body()).hasSize(16 * 1024 * 1024);
		assertThat(response.body()[0]).isEqualTo((byte) 'x');
	}

	@Test
	void stoppedServerIs502() throws Exception {
		try (PhpFpm own = new PhpFpm(1)) {
			own.start();
			String pass = own.unixPass();
			start(pass, Map.of());
			assertThat(this.kernel.get("/info.php").status()).isEqualTo(200);
			own.stop();
			assertThat(this.kernel.get("/info.php").status()).isEqualTo(502);
			assertThat(pool(pass).errors()).isEqualTo(1);
		}
	}

	@Test
	void keptConnectionClosedByTheServerAsItIsHandedOverCostsNo502() throws Exception {
		// one child that exits after two requests, closing the connection it kept; with
		// two clients on one connection, the waiting one is handed that connection as
		// soon as the answer ends, before its close is seen
		try (PhpFpm own = new PhpFpm(1, 2)) {
			own.start();
			String pass = own.unixPass();
			start(pass, Map.of("max-connections", 1));
			ExecutorService clients = Executors.newFixedThreadPool(2);
			try {
				List<Future<List<Integer>>> statuses = new ArrayList<>();
				for (int c = 0; c < 2; c++) {
					statuses.add(clients.submit(() -> {
						List<Integer> seen = new ArrayList<>();
						for (int i = 0; i < 20; i++) {
							seen.add(this.kernel.get("/hello.php").status());
						}
						return seen;
					}));
				}
				for (Future<List<Integer>> seen : statuses) {
					assertThat(seen.get(60, TimeUnit.SECONDS)).containsOnly(200);
				}
			}
			finally {
				clients.shutdownNow();
			}
			assertThat(pool(pass).errors()).isZero();
			assertThat(pool(pass).opened()).isGreaterThanOrEqualTo(20);
		}
	}

	@Test
	void requestWhoseScriptStartedAnsweringIsNotPassedAgain() throws Exception {
		start(php.unixPass(), Map.of("max-connections", 1));
		assertThat(this.kernel.get("/hello.php").status()).isEqualTo(200);
		// on the kept connection, the script answers, then its child ends abruptly
		try (RawHttp http = this.kernel.connect()) {
			http.send("GET /die.php HTTP/1.1\r\nHost: localhost\r\n\r\n");
			assertThat(http.readHead().status()).isEqualTo(200);
			// cut after its headers: the client's connection ends, the script is not
			// run again
			assertThat(new String(http.socket().getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1))
				.doesNotContain("0\r\n\r\n");
		}
		assertThat(Files.readString(this.kernel.root().resolve("runs.txt"))).isEqualTo("x");
	}

	@Test
	void nextAddressIsTriedWhenTheFirstIsDown() throws Exception {
		String down = "unix:" + this.temp.resolve("nobody-listens.sock");
		start(List.of(down, php.tcpPass()), Map.of());
		RawHttp.Response response = this.kernel.get("/info.php");
		assertThat(response.status()).isEqualTo(200);
		assertThat(pool(down).errors()).isEqualTo(1);
		Awaitility.await().untilAsserted(() -> assertThat(pool(php.tcpPass()).requests()).isEqualTo(1));
	}

	@Test
	void slowScriptIs504() throws Exception {
		start(php.unixPass(), Map.of("read-timeout", "500ms"));
		RawHttp.Response response = this.kernel.get("/slow.php?seconds=3");
		assertThat(response.status()).isEqualTo(504);
		ServerPool.ServerStatus status = pool(php.unixPass());
		assertThat(status.errors()).isEqualTo(1);
		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> pool(php.unixPass()).open() == 0);
	}

	@Test
	void clientGoneFreesThePoolSlot() throws Exception {
		start(php.unixPass(), Map.of("max-connections", 1));
		try (RawHttp http = this.kernel.connect()) {
			http.send("GET /big.php?mib=64 HTTP/1.1\r\nHost: localhost\r\n\r\n");
			http.readHead();
		}
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> pool(php.unixPass()).inUse() == 0);
		assertThat(this.kernel.get("/info.php").status()).isEqualTo(200);
	}

	@Test
	void clientThatStopsReadingFreesThePoolSlotAfterTheReadTimeout() throws Exception {
		start(php.unixPass(), Map.of("max-connections", 1, "read-timeout", "500ms"));
		try (RawHttp http = this.kernel.connect()) {
			http.send("GET /big.php?mib=64 HTTP/1.1\r\nHost: localhost\r\n\r\n");
			http.readHead();
			// takes nothing more, and stays connected
			Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> pool(php.unixPass()).inUse() == 0);
			assertThat(pool(php.unixPass()).open()).isZero();
		}
		assertThat(this.kernel.get("/info.php").status()).isEqualTo(200);
	}

	@Test
	void busyServerIs503WithRetryAfter() throws Exception {
		this.plugin = new FastCgiPlugin(new FastCgiSettings(Duration.ofSeconds(5), Duration.ofSeconds(10), 1,
				Duration.ofMillis(300), Duration.ofSeconds(60), 64 * 1024), FastCgiObserver.NONE);
		start(List.of(php.unixPass()), Map.of());
		try (RawHttp slow = this.kernel.connect()) {
			slow.send("GET /slow.php?seconds=2 HTTP/1.1\r\nHost: localhost\r\n\r\n");
			Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> pool(php.unixPass()).inUse() == 1);
			RawHttp.Response response = this.kernel.get("/info.php");
			assertThat(response.status()).isEqualTo(503);
			assertThat(response.header("Retry-After")).isEqualTo("1");
			assertThat(slow.read().status()).isEqualTo(200);
		}
	}

	@Test
	void requestsAbortedUnderLoadLeaveEveryConnectionFree() throws Exception {
		// the end of a load run: many kept-alive clients on few connections, all gone at
		// once with their requests in flight (waiting for a connection, being handed one,
		// or being answered), again and again
		this.workers = 2;
		start(php.unixPass(), Map.of("max-connections", 4));
		for (int round = 0; round < 8; round++) {
			List<RawHttp> clients = new ArrayList<>();
			for (int i = 0; i < 16; i++) {
				RawHttp http = this.kernel.connect();
				String request = "GET /hello.php?ms=" + (200 + ThreadLocalRandom.current().nextInt(100))
						+ " HTTP/1.1\r\nHost: localhost\r\n\r\n";
				http.send(request + request);
				clients.add(http);
			}
			LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(5_000_000));
			for (RawHttp http : clients) {
				http.close();
			}
		}
		// each request of a client that went away ends at once, without waiting for a
		// connection or holding one: 128 of them at 200-300 ms each on 4 connections
		// would
		// keep the last ones waiting past the acquire timeout (503, counted as errors)
		Awaitility.await("every aborted request accounted for")
			.atMost(Duration.ofSeconds(30))
			.until(() -> pool(php.unixPass()).requests() >= 128);
		assertThat(pool(php.unixPass()).errors()).isZero();
		long started = System.nanoTime();
		RawHttp.Response response = this.kernel.get("/hello.php");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.text()).isEqualTo("hello");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1500));
		Awaitility.await("every connection back in the pool").atMost(LEAK_TIMEOUT).untilAsserted(() -> {
			ServerPool.ServerStatus status = pool(php.unixPass());
			assertThat(status.inUse()).isZero();
			assertThat(status.waiting()).isZero();
			assertThat(php.connections()).isEqualTo(status.idle());
		});
	}

	@Test
	void requestAfterThePluginStoppedIs502AndOpensNoPool() throws Exception {
		start(php.unixPass(), Map.of());
		assertThat(this.kernel.get("/info.php").status()).isEqualTo(200);
		this.plugin.stop();
		assertThat(this.kernel.get("/info.php").status()).isEqualTo(502);
		assertThat(this.plugin.status()).isEqualTo(Map.of("servers", List.of()));
		Awaitility.await().atMost(CLOSED_AFTER_STOP).untilAsserted(() -> assertThat(php.connections()).isZero());
	}

	private void start(Object pass, Map<String, Object> extra) throws IOException {
		start(pass, extra, "\\.php");
	}

	private void start(Object pass, Map<String, Object> extra, String match) throws IOException {
		Map<String, Object> block = new LinkedHashMap<>();
		block.put("pass", pass);
		block.putAll(extra);
		startWith(List.of(Map.of("match", match, "fastcgi", block)));
	}

	private void startFrontController() throws IOException {
		startWith(List.of(Map.of("path", "/", "fastcgi",
				Map.of("pass", php.unixPass(), "index", "index.php", "front-controller", "/index.php"))));
	}

	private void startWith(List<Map<String, Object>> locations) throws IOException {
		if (this.plugin == null) {
			this.plugin = new FastCgiPlugin(FastCgiSettings.defaults(), FastCgiObserver.NONE);
		}
		KernelFixture.Builder builder = KernelFixture.builder(this.temp)
			.transport(this.transport)
			.workers(this.workers)
			.settings((settings) -> settings.withLimits(withBodyLimit(settings.limits(), 64 * 1024 * 1024)))
			.plugin(this.plugin);
		if (this.logger != null) {
			builder.plugin(this.logger);
		}
		Map<String, Object> site = new LinkedHashMap<>(this.siteKeys);
		site.put("locations", locations);
		builder.defaultSite(site);
		builder.file("info.php", INFO);
		builder.file("echo.php",
				"<?php $in = file_get_contents('php://input');" + " echo strlen($in) . ' ' . hash('sha256', $in);");
		builder.file("upload.php", "<?php $f = $_FILES['picture']; echo $_POST['title'] . ' ' . $f['name'] . ' '"
				+ " . $f['type'] . ' ' . $f['size'] . ' ' . hash_file('sha256', $f['tmp_name']);");
		builder.file("index.php", "<?php echo 'front ' . $_SERVER['REQUEST_URI'] . ' ' . $_SERVER['SCRIPT_NAME']"
				+ " . ' ' . $_SERVER['QUERY_STRING'];");
		builder.file("style.css", "body { color: brown }");
		builder.file("uploads/avatar.jpg", "GIF89a<?php echo 'owned'; ?>");
		builder.file("created.php", "<?php header('Status: 201 Created'); header('X-Made-By: php');"
				+ " header('Set-Cookie: a=1', false); header('Set-Cookie: b=2', false); echo 'made';");
		builder.file("redirect.php", "<?php header('Location: https://example.com/elsewhere');");
		builder.file("stderr.php", "<?php error_log('disk on fire'); echo 'still fine';");
		builder.file("bad-header.php", "<?php header(\"X-Bad: bell\\x07\"); echo 'x';");
		builder.file("hello.php", "<?php usleep(1000 * (int) ($_GET['ms'] ?? 0)); echo 'hello';");
		builder.file("die.php", "<?php file_put_contents(__DIR__ . '/runs.txt', 'x', FILE_APPEND);"
				+ " echo 'started'; flush(); posix_kill(getmypid(), 9);");
		builder.file("slow.php", "<?php sleep((int) $_GET['seconds']); echo 'late';");
		builder.file("big.php", "<?php $chunk = str_repeat('x', 65536); $n = 16 * (int) $_GET['mib'];"
				+ " for ($i = 0; $i < $n; $i++) { echo $chunk; flush(); }");
		this.kernel = builder.start();
	}

	private static Limits withBodyLimit(Limits limits, long maxBodySize) {
		return new Limits(limits.maxRequestLine(), limits.maxHeaderSize(), limits.maxHeaderCount(), maxBodySize,
				limits.keepAliveTimeout(), limits.requestReadTimeout(), limits.maxRequestsPerConnection(),
				limits.maxConnections(), limits.maxConnectionsPerClient());
	}

	/** A count summed over the pools of this class's php-fpm (TCP and unix socket). */
	private long heldByPools(ToIntFunction<ServerPool.ServerStatus> count) {
		@SuppressWarnings("unchecked")
		List<ServerPool.ServerStatus> servers = (List<ServerPool.ServerStatus>) ((Map<String, Object>) this.plugin
			.status()).get("servers");
		return servers.stream()
			.filter((server) -> server.server().equals(php.unixPass()) || server.server().equals(php.tcpPass()))
			.mapToLong(count::applyAsInt)
			.sum();
	}

	private ServerPool.ServerStatus pool(String pass) {
		@SuppressWarnings("unchecked")
		List<ServerPool.ServerStatus> servers = (List<ServerPool.ServerStatus>) ((Map<String, Object>) this.plugin
			.status()).get("servers");
		return servers.stream().filter((server) -> server.server().equals(pass)).findFirst().orElseThrow();
	}

	private RawHttp.Response request(String request) throws IOException {
		try (RawHttp http = this.kernel.connect()) {
			return http.exchange(request);
		}
	}

	private RawHttp.Response requestWithBody(String head, byte[] body) throws IOException {
		try (RawHttp http = this.kernel.connect()) {
			http.send(head);
			OutputStream out = http.socket().getOutputStream();
			out.write(body);
			out.flush();
			return http.read();
		}
	}

	private static String read(String json, String key) {
		Object value = JsonPath.read(json, "$." + key);
		return String.valueOf(value);
	}

	private static String sha256(byte[] bytes) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
	}

}
