package dev.capuchin.core.internal.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.capuchin.core.internal.server.Limits;
import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * HTTP/1.x on the wire over a real socket: request validation and limits, keep-alive,
 * pipelining, HTTP/1.0, timeouts and connection limits, on every transport.
 */
@EveryTransport
class ProtocolSocketTests {

	private static final int MAX_REQUEST_LINE = 1024;

	private static final int MAX_HEADER_SIZE = 2048;

	private static final int MAX_HEADER_COUNT = 20;

	private static final long MAX_BODY_SIZE = 1024;

	private static final Duration KEEP_ALIVE_TIMEOUT = Duration.ofMillis(500);

	private static final Duration REQUEST_READ_TIMEOUT = Duration.ofMillis(300);

	/** Timeouts for tests that do not wait for one: long enough for a loaded machine. */
	private static final Duration RELAXED_TIMEOUT = Duration.ofSeconds(10);

	private static final String HELLO = "hello";

	@TempDir
	Path temp;

	private KernelFixture kernel;

	@Parameter
	Transport transport;

	@AfterEach
	void stopKernel() {
		if (this.kernel != null) {
			this.kernel.close();
		}
	}

	@Test
	void unknownMethodIs501AndCloses() throws Exception {
		start(limits(100, 1000, 1000));
		try (RawHttp http = this.kernel.connect()) {
			RawHttp.Response response = http.exchange("BREW /hello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n");
			assertThat(response.status()).isEqualTo(501);
			assertThat(response.text()).doesNotContain(HELLO);
			assertThat(http.isClosedByServer(2000)).isTrue();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "HTTP/2.0", "HTTP/3.0" })
	void unsupportedMajorVersionIs505(String version) throws Exception {
		start(limits(100, 1000, 1000));
		try (RawHttp http = this.kernel.connect()) {
			RawHttp.Response response = http.exchange("GET /hello.txt " + version + "\r\nHost: localhost\r\n\r\n");
			assertThat(response.status()).isEqualTo(505);
			assertThat(response.statusLine()).startsWith("HTTP/1.1 505 ");
			assertThat(response.text()).doesNotContain(HELLO);
			assertThat(http.isClosedByServer(2000)).isTrue();
		}
	}

	@Test
	void http11WithoutHostIs400() throws Exception {
		start(limits(100, 1000, 1000));
		RawHttp.Response response = exchange("GET /hello.txt HTTP/1.1\r\n\r\n");
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.text()).doesNotContain(HELLO);
	}

	@Test
	void twoHostHeadersAre400() throws Exception {
		start(limits(100, 1000, 1000));
		RawHttp.Response response = exchange("GET /hello.txt HTTP/1.1\r\nHost: localhost\r\nHost: other\r\n\r\n");
		assertThat(response.status()).isEqualTo(400);
	}

	@ParameterizedTest
	@ValueSource(strings = { "a b", "localhost/../x", "user@localhost", "localhost:80x", "[::1", "local\"host" })
	void invalidHostIs400(String host) throws Exception {
		start(limits(100, 1000, 1000));
		RawHttp.Response response = exchange("GET /hello.txt HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.text()).doesNotContain(HELLO);
	}

	@ParameterizedTest
	@ValueSource(strings = { "localhost", "localhost:8080", "127.0.0.1:80", "[::1]:80", "xn--bcher-kva.example" })
	void validHostIsServed(String host) throws Exception {
		start(limits(100, 1000, 1000));
		RawHttp.Response response = exchange("GET /hello.txt HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
		assertThat(response.text()).isEqualTo(HELLO);
	}

	@Test
	void http10WithTwoHostHeadersIs400() throws Exception {
		start(limits(100, 1000, 1000));
		RawHttp.Response response = exchange("GET /hello.txt HTTP/1.0\r\nHost: localhost\r\nHost: other\r\n\r\n");
		assertThat(response.status()).isEqualTo(400);
	}

	@Test
	void requestLineLongerThanTheLimitIs414() throws Exception {
		start(limits(100, 1000, 1000));
		String target = "/" + "a".repeat(MAX_REQUEST_LINE + 10);
		try (RawHttp http = this.kernel.connect()) {
			RawHttp.Response response = http.exchange("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
			assertThat(response.status()).isEqualTo(414);
			assertThat(http.isClosedByServer(2000)).isTrue();
		}
	}

	@Test
	void headerBlockLargerThanTheLimitIs431() throws Exception {
		start(limits(100, 1000, 1000));
		String big = "X-Big: " + "b".repeat(MAX_HEADER_SIZE + 10) + "\r\n";
		try (RawHttp http = this.kernel.connect()) {
			RawHttp.Response response = http.exchange("GET /hello.txt HTTP/1.1\r\nHost: localhost\r\n" + big + "\r\n");
			assertThat(response.status()).isEqualTo(431);
			assertThat(http.isClosedByServer(2000)).isTrue();
		}
	}

	@Test
	void moreHeadersThanTheLimitIs431() throws Exception {
		start(limits(100, 1000, 1000));
		StringBuilder headers = new StringBuilder();
		for (int i = 0; i < MAX_HEADER_COUNT + 1; i++) {
			headers.append("X-H").append(i).append(": v\r\n");
		}
		RawHttp.Response response = exchange("GET /hello.txt HTTP/1.1\r\nHost: localhost\r\n" + headers + "\r\n");
		assertThat(response.status()).isEqualTo(431);
		assertThat(response.text()).doesNotContain(HELLO);
	}

	@Test
	void contentLengthAboveTheBodyLimitIs413() throws Exception {
		start(limits(100, 1000, 1000));
		RawHttp.Response response = exchange(
				"POST /hello.txt HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + (MAX_BODY_SIZE + 1) + "\r\n\r\n");
		assertThat(response.status()).isEqualTo(413);
	}

	@Test
	void postWithoutContentLengthIs411() throws Exception {
		start(limits(100, 1000, 1000));
		RawHttp.Response response = exchange("POST /hello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n");
		assertThat(response.status()).isEqualTo(411);
	}

	@ParameterizedTest
	@ValueSource(strings = { "abc", "-1", "1, 2", "0x10" })
	void invalidContentLengthIs400(String length) throws Exception {
		start(limits(100, 1000, 1000));
		RawHttp.Response response = exchange(
				"POST /hello.txt HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + length + "\r\n\r\n");
		assertThat(response.status()).isEqualTo(400);
	}

	@Test
	void slowClientWithPartialHeadersGets408AndIsClosed() throws Exception {
		start(timeouts(RELAXED_TIMEOUT, REQUEST_READ_TIMEOUT));
		try (RawHttp http = this.kernel.connect()) {
			RawHttp.Response response = http.send("GET /hello.txt HTTP/1.1\r\nHost: localhost\r\n").read();
			assertThat(response.status()).isEqualTo(408);
			assertThat(http.isClosedByServer(2000)).isTrue();
		}
	}

	@Test
	void clientTricklingHeaderLinesGets408() throws Exception {
		start(timeouts(RELAXED_TIMEOUT, REQUEST_READ_TIMEOUT));
		try (RawHttp http = this.kernel.connect()) {
			http.send("GET /hello.txt HTTP/1.1\r\nHost: localhost\r\n");
			// each line resets an idle timer; the request-read timeout runs from the
			// first byte. Stop once the answer is there, so no write meets a closed
			// socket
			for (int i = 0; i < 50 && http.socket().getInputStream().available() == 0; i++) {
				http.send("X-Slow-" + i + ": x\r\n");
				// the slow client's pace is the stimulus, not a wait for the server
				Thread.sleep(50);
			}
			RawHttp.Response response = http.read();
			assertThat(response.status()).isEqualTo(408);
		}
	}

	@Test
	void slowSecondRequestOnAKeptAliveConnectionGets408() throws Exception {
		start(timeouts(RELAXED_TIMEOUT, REQUEST_READ_TIMEOUT));
		try (RawHttp http = this.kernel.connect()) {
			assertThat(http.exchange(RawHttp.get("/hello.txt", "localhost")).status()).isEqualTo(200);
			RawHttp.Response response = http.send("GET /hello.txt HTTP/1.1\r\nHost: localhost\r\n").read();
			assertThat(response.status()).isEqualTo(408);
			assertThat(http.isClosedByServer(2000)).isTrue();
		}
	}

	@Test
	void partialRequestPipelinedBehindACompleteOneGets408() throws Exception {
		start(timeouts(RELAXED_TIMEOUT, REQUEST_READ_TIMEOUT));
		try (RawHttp http = this.kernel.connect()) {
			http.send(RawHttp.get("/hello.txt", "localhost") + "GET /hello.txt HTTP/1.1\r\nHost: localhost\r\n");
			assertThat(http.read().status()).isEqualTo(200);
			for (int i = 0; i < 50 && http.socket().getInputStream().available() == 0; i++) {
				http.send("X-Slow-" + i + ": x\r\n");
				// the slow client's pace is the stimulus, not a wait for the server
				Thread.sleep(50);
			}
			assertThat(http.read().status()).isEqualTo(408);
		}
	}

	@Test
	void requestReadTimeoutDoesNotCutAKeptAliveConnectionBetweenRequests() throws Exception {
		start(timeouts(RELAXED_TIMEOUT, REQUEST_READ_TIMEOUT));
		try (RawHttp http = this.kernel.connect()) {
			assertThat(http.exchange(RawHttp.get("/hello.txt", "localhost")).status()).isEqualTo(200);
			assertThat(http.isClosedByServer((int) REQUEST_READ_TIMEOUT.toMillis() * 3)).isFalse();
			assertThat(http.exchange(RawHttp.get("/hello.txt", "localhost")).text()).isEqualTo(HELLO);
		}
	}

	@Test
	void idleKeepAliveConnectionIsClosedAfterTheTimeout() throws Exception {
		start(timeouts(KEEP_ALIVE_TIMEOUT, RELAXED_TIMEOUT));
		try (RawHttp http = this.kernel.connect()) {
			assertThat(http.exchange(RawHttp.get("/hello.txt", "localhost")).status()).isEqualTo(200);
			assertThat(http.isClosedByServer((int) KEEP_ALIVE_TIMEOUT.toMillis() * 6)).isTrue();
		}
	}

	@Test
	void silentConnectionIsClosedAfterTheKeepAliveTimeout() throws Exception {
		start(timeouts(KEEP_ALIVE_TIMEOUT, RELAXED_TIMEOUT));
		try (RawHttp http = this.kernel.connect()) {
			assertThat(http.isClosedByServer((int) KEEP_ALIVE_TIMEOUT.toMillis() * 6)).isTrue();
		}
	}

	@Test
	void connectionIsClosedAfterMaxRequests() throws Exception {
		start(limits(3, 1000, 1000));
		try (RawHttp http = this.kernel.connect()) {
			for (int i = 1; i <= 2; i++) {
				RawHttp.Response response = http.exchange(RawHttp.get("/hello.txt", "localhost"));
				assertThat(response.status()).isEqualTo(200);
				assertThat(response.header("Connection")).isNull();
			}
			RawHttp.Response last = http.exchange(RawHttp.get("/hello.txt", "localhost"));
			assertThat(last.status()).isEqualTo(200);
			assertThat(last.header("Connection")).isEqualToIgnoringCase("close");
			assertThat(http.isClosedByServer(2000)).isTrue();
		}
	}

	@Test
	void keepAliveServesSequentialRequestsOnOneConnection() throws Exception {
		start(limits(100, 1000, 1000));
		try (RawHttp http = this.kernel.connect()) {
			for (String path : List.of("/hello.txt", "/other.txt", "/hello.txt")) {
				RawHttp.Response response = http.exchange(RawHttp.get(path, "localhost"));
				assertThat(response.status()).isEqualTo(200);
				assertThat(response.text()).isEqualTo(path.equals("/hello.txt") ? HELLO : "other");
			}
		}
	}

	@Test
	void pipelinedRequestsAreAnsweredInOrder() throws Exception {
		start(limits(100, 1000, 1000));
		try (RawHttp http = this.kernel.connect()) {
			http.send(RawHttp.get("/hello.txt", "localhost") + RawHttp.get("/missing.txt", "localhost")
					+ RawHttp.get("/other.txt", "localhost"));
			List<RawHttp.Response> responses = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				responses.add(http.read());
			}
			assertThat(responses).extracting(RawHttp.Response::status).containsExactly(200, 404, 200);
			assertThat(responses.get(0).text()).isEqualTo(HELLO);
			assertThat(responses.get(2).text()).isEqualTo("other");
		}
	}

	@Test
	void http10WithoutKeepAliveIsClosedAfterTheResponse() throws Exception {
		start(limits(100, 1000, 1000));
		try (RawHttp http = this.kernel.connect()) {
			RawHttp.Response response = http.exchange("GET /hello.txt HTTP/1.0\r\n\r\n");
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.text()).isEqualTo(HELLO);
			assertThat(http.isClosedByServer(2000)).isTrue();
		}
	}

	@Test
	void http10WithKeepAliveServesASecondRequest() throws Exception {
		start(limits(100, 1000, 1000));
		try (RawHttp http = this.kernel.connect()) {
			String request = "GET /hello.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n";
			RawHttp.Response first = http.exchange(request);
			assertThat(first.status()).isEqualTo(200);
			assertThat(first.header("Connection")).isEqualToIgnoringCase("keep-alive");
			assertThat(first.header("Content-Length")).isEqualTo("5");
			RawHttp.Response second = http.exchange(request);
			assertThat(second.status()).isEqualTo(200);
			assertThat(second.text()).isEqualTo(HELLO);
		}
	}

	@Test
	void http10KeepAliveSurvivesAnErrorResponse() throws Exception {
		start(limits(100, 1000, 1000));
		try (RawHttp http = this.kernel.connect()) {
			RawHttp.Response missing = http.exchange("GET /missing.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
			assertThat(missing.status()).isEqualTo(404);
			assertThat(missing.header("Connection")).isEqualToIgnoringCase("keep-alive");
			RawHttp.Response second = http.exchange("GET /hello.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
			assertThat(second.text()).isEqualTo(HELLO);
		}
	}

	@Test
	void http10KeepAliveIsClosedAfterMaxRequests() throws Exception {
		start(limits(2, 1000, 1000));
		try (RawHttp http = this.kernel.connect()) {
			String request = "GET /hello.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n";
			assertThat(http.exchange(request).header("Connection")).isEqualToIgnoringCase("keep-alive");
			assertThat(http.exchange(request).header("Connection")).isEqualToIgnoringCase("close");
			assertThat(http.isClosedByServer(2000)).isTrue();
		}
	}

	@Test
	void connectionOverTheGlobalLimitGets503WhileOthersWork() throws Exception {
		start(limits(100, 2, 1000));
		try (RawHttp first = this.kernel.connect(); RawHttp second = this.kernel.connect()) {
			assertThat(first.exchange(RawHttp.get("/hello.txt", "localhost")).status()).isEqualTo(200);
			assertThat(second.exchange(RawHttp.get("/hello.txt", "localhost")).status()).isEqualTo(200);
			try (RawHttp third = this.kernel.connect()) {
				assertThat(third.read().status()).isEqualTo(503);
				assertThat(third.isClosedByServer(2000)).isTrue();
			}
			assertThat(first.exchange(RawHttp.get("/hello.txt", "localhost")).text()).isEqualTo(HELLO);
			assertThat(second.exchange(RawHttp.get("/hello.txt", "localhost")).text()).isEqualTo(HELLO);
		}
	}

	@Test
	void connectionOverThePerClientLimitGets503WhileTheFirstWorks() throws Exception {
		start(limits(100, 1000, 1));
		try (RawHttp first = this.kernel.connect()) {
			assertThat(first.exchange(RawHttp.get("/hello.txt", "localhost")).status()).isEqualTo(200);
			try (RawHttp second = this.kernel.connect()) {
				assertThat(second.read().status()).isEqualTo(503);
				assertThat(second.isClosedByServer(2000)).isTrue();
			}
			assertThat(first.exchange(RawHttp.get("/hello.txt", "localhost")).text()).isEqualTo(HELLO);
		}
	}

	@Test
	void perClientLimitLeavesOtherClientsAlone() throws Exception {
		InetSocketAddress otherClient = new InetSocketAddress("127.0.0.2", 0);
		assumeTrue(canBind(otherClient), "127.0.0.2 is not a loopback address here");
		start(limits(100, 1000, 1));
		try (RawHttp first = this.kernel.connect()) {
			assertThat(first.exchange(RawHttp.get("/hello.txt", "localhost")).status()).isEqualTo(200);
			try (RawHttp other = RawHttp.connect(this.kernel.address(), otherClient)) {
				assertThat(other.exchange(RawHttp.get("/hello.txt", "localhost")).text()).isEqualTo(HELLO);
			}
		}
	}

	@Test
	void closedConnectionFreesItsSlot() throws Exception {
		start(limits(100, 1, 1000));
		try (RawHttp first = this.kernel.connect()) {
			assertThat(first.exchange(RawHttp.get("/hello.txt", "localhost")).status()).isEqualTo(200);
		}
		// the server counts the close once it reads the FIN: retry until it has
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).untilAsserted(() -> {
			try (RawHttp next = this.kernel.connect()) {
				assertThat(next.exchange(RawHttp.get("/hello.txt", "localhost")).status()).isEqualTo(200);
			}
		});
	}

	@Test
	void refusedClientThatSendsARequestStillReads503() throws Exception {
		start(limits(100, 1, 1000));
		try (RawHttp first = this.kernel.connect()) {
			assertThat(first.exchange(RawHttp.get("/hello.txt", "localhost")).status()).isEqualTo(200);
			try (RawHttp second = this.kernel.connect()) {
				RawHttp.Response response = second.exchange(RawHttp.get("/hello.txt", "localhost"));
				assertThat(response.status()).isEqualTo(503);
				assertThat(response.text()).doesNotContain(HELLO);
			}
		}
	}

	private static boolean canBind(InetSocketAddress address) {
		try (Socket socket = new Socket()) {
			socket.bind(address);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static Limits limits(int maxRequestsPerConnection, int maxConnections, int maxConnectionsPerClient) {
		return new Limits(MAX_REQUEST_LINE, MAX_HEADER_SIZE, MAX_HEADER_COUNT, MAX_BODY_SIZE, RELAXED_TIMEOUT,
				RELAXED_TIMEOUT, maxRequestsPerConnection, maxConnections, maxConnectionsPerClient);
	}

	private static Limits timeouts(Duration keepAliveTimeout, Duration requestReadTimeout) {
		return new Limits(MAX_REQUEST_LINE, MAX_HEADER_SIZE, MAX_HEADER_COUNT, MAX_BODY_SIZE, keepAliveTimeout,
				requestReadTimeout, 100, 1000, 1000);
	}

	private void start(Limits limits) throws IOException {
		this.kernel = KernelFixture.builder(this.temp)
			.transport(this.transport)
			.settings((settings) -> settings.withLimits(limits).withShutdownTimeout(Duration.ofSeconds(1)))
			.file("hello.txt", HELLO)
			.file("other.txt", "other")
			.start();
		assertThat(this.kernel.server().transport().transport()).isEqualTo(this.transport);
	}

	/**
	 * One request on its own connection; the response is read whether or not it closes.
	 */
	private RawHttp.Response exchange(String request) throws IOException {
		try (RawHttp http = this.kernel.connect()) {
			return http.exchange(request);
		}
	}

}
