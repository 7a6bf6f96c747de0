package dev.capuchin.core.internal.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPOutputStream;

import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.Exchange;
import dev.capuchin.core.spi.LogEvent;
import dev.capuchin.core.spi.Plugin;
import dev.capuchin.core.spi.RequestResult;
import dev.capuchin.core.spi.Stage;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The kernel's direct path for plain file requests, over a real socket: what it answers,
 * what it leaves to the stages, and that a connection sees one ordered conversation
 * whichever path answers each request. Runs on every transport.
 */
@EveryTransport
class DirectAnswerSocketTests {

	private static final String TEXT = "direct answers, same bytes";

	private static final byte[] LARGE = large();

	@TempDir
	Path temp;

	private KernelFixture kernel;

	private final Reports reports = new Reports();

	@Parameter
	Transport transport;

	@AfterEach
	void stopKernel() {
		if (this.kernel != null) {
			this.kernel.close();
		}
	}

	@Test
	void aFileAskedForAgainIsAnsweredDirectlyWithTheSameResponse() throws Exception {
		start(this.reports, Limits.DEFAULTS);
		try (RawHttp http = this.kernel.connect()) {
			RawHttp.Response first = http.exchange(get("/text.txt"));
			RawHttp.Response second = http.exchange(get("/text.txt"));
			eventually(() -> assertThat(this.reports.exchanges).containsExactly("/text.txt 200"));
			assertThat(this.reports.direct).containsExactly("default 200 " + TEXT.length());
			assertThat(second.status()).isEqualTo(200);
			assertThat(second.text()).isEqualTo(TEXT);
			assertThat(withoutDate(second.headers())).isEqualTo(withoutDate(first.headers()));
			assertThat(second.header("Date")).isNotBlank();
		}
	}

	@Test
	void aNewSiteTableAppliesToTheNextRequestOfAnOpenConnection() throws Exception {
		start(this.reports, Limits.DEFAULTS);
		Path otherRoot = Files.createDirectories(this.temp.resolve("other"));
		Files.writeString(otherRoot.resolve("text.txt"), "the other site");
		String request = "GET /text.txt HTTP/1.1\r\nHost: other.test\r\n\r\n";
		try (RawHttp http = this.kernel.connect()) {
			assertThat(http.exchange(request).text()).isEqualTo(TEXT);
			assertThat(http.exchange(request).text()).isEqualTo(TEXT);
			this.kernel.addSite(Map.of("name", "other", "server-names", List.of("other.test"), "document-root",
					otherRoot.toString()));
			assertThat(http.exchange(request).text()).isEqualTo("the other site");
			assertThat(http.exchange(request).text()).isEqualTo("the other site");
		}
		assertThat(this.reports.direct).containsExactly("default 200 " + TEXT.length(),
				"other 200 " + "the other site".length());
	}

	@Test
	void aHeadIsAnsweredDirectlyWithTheLengthAndNoBody() throws Exception {
		start(this.reports, Limits.DEFAULTS);
		try (RawHttp http = this.kernel.connect()) {
			http.exchange(get("/text.txt"));
			RawHttp.Response head = http.send("HEAD /text.txt HTTP/1.1\r\nHost: localhost\r\n\r\n").readHead();
			RawHttp.Response after = http.exchange(get("/text.txt?v=2"));
			assertThat(head.status()).isEqualTo(200);
			assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(TEXT.length()));
			assertThat(after.text()).isEqualTo(TEXT);
			assertThat(this.reports.direct).containsExactly("default 200 0", "default 200 " + TEXT.length());
		}
	}

	@Test
	void aHeadAnsweredByTheStagesBetweenDirectAnswersCarriesNoBody() throws Exception {
		start(this.reports, Limits.DEFAULTS);
		try (RawHttp http = this.kernel.connect()) {
			http.socket().setSoTimeout(2_000);
			http.exchange(get("/text.txt"));
			http.exchange(get("/text.txt"));
			http.exchange(get("/text.txt"));
			RawHttp.Response missing = http.send("HEAD /missing HTTP/1.1\r\nHost: localhost\r\n\r\n").readHead();
			RawHttp.Response after = http.exchange(get("/text.txt"));
			assertThat(missing.status()).isEqualTo(404);
			// a body after the 404's head would be read here as the next response
			assertThat(after.statusLine()).isEqualTo("HTTP/1.1 200 OK");
			assertThat(after.text()).isEqualTo(TEXT);
		}
		assertThat(this.reports.direct).hasSize(3);
	}

	@Test
	void aRequestWithBothTransferEncodingAndContentLengthIsRefusedAndTheConnectionClosed() throws Exception {
		start(this.reports, Limits.DEFAULTS);
		try (RawHttp http = this.kernel.connect()) {
			http.exchange(get("/text.txt"));
			http.exchange(get("/text.txt"));
			RawHttp.Response refused = http.exchange("POST /text.txt HTTP/1.1\r\nHost: localhost\r\n"
					+ "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n" + get("/text.txt"));
			assertThat(refused.status()).isEqualTo(400);
			assertThat(http.isClosedByServer(2_000)).isTrue();
		}
	}

	@Test
	void aLargeFileIsAnsweredDirectlyFromTheOpenFileTable() throws Exception {
		start(this.reports, Limits.DEFAULTS);
		try (RawHttp http = this.kernel.connect()) {
			http.exchange(get("/large.bin"));
			RawHttp.Response second = http.exchange(get("/large.bin"));
			assertThat(second.body()).isEqualTo(LARGE);
			assertThat(this.reports.direct).containsExactly("default 200 " + LARGE.length);
		}
	}

	@Test
	void fileRegionAnswersAreNotHeldBackOnceFlushed() throws Exception {
		start(this.reports, Limits.DEFAULTS);
		try (RawHttp http = this.kernel.connect()) {
			http.exchange(get("/large.bin"));
			long start = System.nanoTime();
			for (int i = 0; i < 30; i++) {
				assertThat(http.exchange(get("/large.bin")).body()).hasSize(LARGE.length);
			}
			// a cork left set would hold each answer's last partial segment for 200 ms
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
		}
		assertThat(this.reports.direct).hasSize(30);
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void aClientThatHangsUpOnLargeDirectAnswersCostsNoErrorLine(CapturedOutput output) throws Exception {
		start(this.reports, Limits.DEFAULTS);
		try (RawHttp http = this.kernel.connect()) {
			http.exchange(get("/large.bin"));
		}
		for (int i = 0; i < 20; i++) {
			try (RawHttp http = this.kernel.connect()) {
				http.send(get("/large.bin").repeat(8));
				// a reset, so that the answers already written fail
				http.socket().setSoLinger(true, 0);
			}
		}
		try (RawHttp http = this.kernel.connect()) {
			assertThat(http.exchange(get("/large.bin")).body()).isEqualTo(LARGE);
		}
		assertThat(this.reports.direct).isNotEmpty();
		assertThat(output.getOut() + output.getErr()).doesNotContain("ERROR").doesNotContain("Exception");
	}

	@Test
	void theNextRequestOnTheConnectionIsReadAfterADirectAnswer() throws Exception {
		start(this.reports, Limits.DEFAULTS);
		try (RawHttp http = this.kernel.connect()) {
			http.socket().setSoTimeout(2_000);
			for (int i = 0; i < 5; i++) {
				assertThat(http.exchange(get("/text.txt")).status()).isEqualTo(200);
			}
			assertThat(http.exchange(get("/missing")).status()).isEqualTo(404);
			assertThat(http.exchange(get("/text.txt")).status()).isEqualTo(200);
		}
		assertThat(this.reports.direct).hasSize(5);
	}

	@Test
	void pipelinedRequestsAreAnsweredInOrderWhicheverPathAnswersThem() throws Exception {
		start(this.reports, Limits.DEFAULTS);
		try (RawHttp http = this.kernel.connect()) {
			http.exchange(get("/text.txt"));
			http.send(get("/text.txt") + get("/missing") + get("/text.txt")
					+ "GET /text.txt HTTP/1.1\r\nHost: localhost\r\nRange: bytes=0-5\r\n\r\n" + get("/large.bin"));
			List<Integer> statuses = new ArrayList<>();
			List<String> bodies = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				RawHttp.Response response = http.read();
				statuses.add(response.status());
				bodies.add((response.body().length > 100) ? "large " + response.body().length : response.text());
			}
			assertThat(statuses).containsExactly(200, 404, 200, 206, 200);
			assertThat(bodies.get(0)).isEqualTo(TEXT);
			assertThat(bodies.get(2)).isEqualTo(TEXT);
			assertThat(bodies.get(3)).isEqualTo(TEXT.substring(0, 6));
			assertThat(bodies.get(4)).isEqualTo("large " + LARGE.length);
		}
	}

	@Test
	void conditionalRangedAndEncodedRequestsGoThroughTheStages() throws Exception {
		start(this.reports, Limits.DEFAULTS);
		try (RawHttp http = this.kernel.connect()) {
			String etag = http.exchange(get("/text.txt")).header("ETag");
			RawHttp.Response notModified = http
				.send("GET /text.txt HTTP/1.1\r\nHost: localhost\r\nIf-None-Match: " + etag + "\r\n\r\n")
				.readHead();
			RawHttp.Response range = http
				.exchange("GET /text.txt HTTP/1.1\r\nHost: localhost\r\nRange: bytes=-4\r\n\r\n");
			RawHttp.Response gzip = http
				.exchange("GET /text.txt HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: gzip\r\n\r\n");
			assertThat(notModified.status()).isEqualTo(304);
			assertThat(range.status()).isEqualTo(206);
			assertThat(gzip.header("Content-Encoding")).isEqualTo("gzip");
			assertThat(this.reports.direct).isEmpty();
			eventually(() -> assertThat(this.reports.exchanges).hasSize(4));
		}
	}

	@Test
	void theLastRequestAllowedOnAConnectionIsAnsweredWithConnectionClose() throws Exception {
		start(this.reports, limits(3));
		try (RawHttp http = this.kernel.connect()) {
			http.exchange(get("/text.txt"));
			assertThat(http.exchange(get("/text.txt")).header("Connection")).isNull();
			RawHttp.Response last = http.exchange(get("/text.txt"));
			assertThat(last.header("Connection")).isEqualTo("close");
			assertThat(last.text()).isEqualTo(TEXT);
			assertThat(http.isClosedByServer(2_000)).isTrue();
		}
		assertThat(this.reports.direct).hasSize(2);
	}

	@Test
	void theRequestLimitCountsTheRequestsOfBothPaths() throws Exception {
		start(this.reports, limits(3));
		try (RawHttp http = this.kernel.connect()) {
			http.exchange(get("/text.txt"));
			http.exchange(get("/text.txt"));
			RawHttp.Response last = http.exchange(get("/missing"));
			assertThat(last.status()).isEqualTo(404);
			assertThat(last.header("Connection")).isEqualTo("close");
			assertThat(http.isClosedByServer(2_000)).isTrue();
		}
	}

	@Test
	void aDirectAnswerAskedToCloseClosesTheConnection() throws Exception {
		start(this.reports, Limits.DEFAULTS);
		try (RawHttp http = this.kernel.connect()) {
			http.exchange(get("/text.txt"));
			RawHttp.Response closing = http
				.exchange("GET /text.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
			assertThat(closing.header("Connection")).isEqualTo("close");
			assertThat(closing.text()).isEqualTo(TEXT);
			assertThat(http.isClosedByServer(2_000)).isTrue();
		}
		assertThat(this.reports.direct).hasSize(1);
	}

	@Test
	void aLogPluginReceivesTheSameRequestFactsFromADirectAnswerAsFromTheStages() throws Exception {
		List<String> seen = new CopyOnWriteArrayList<>();
		start(new Plugin() {

			@Override
			public String name() {
				return "access-log";
			}

			@Override
			public Set<Stage> stages() {
				return Set.of(Stage.LOG);
			}

			@Override
			public void onLog(LogEvent event) {
				seen.add(event.isDirect() + " " + event.method() + " " + event.target() + " " + event.protocol() + " "
						+ event.path() + " " + event.status() + " " + event.bytes() + " "
						+ event.clientAddress().getAddress().isLoopbackAddress() + " "
						+ event.requestHeaders().get("User-Agent") + " " + (event.durationNanos() >= 0));
			}

		}, Limits.DEFAULTS);
		try (RawHttp http = this.kernel.connect()) {
			for (int i = 0; i < 3; i++) {
				http.exchange("GET /text.txt?v=" + i + " HTTP/1.1\r\nHost: localhost\r\nUser-Agent: probe\r\n\r\n");
			}
		}
		// the first request resolves the file through the stages; the next ones are
		// direct
		String expected = "%s GET /text.txt?v=%d HTTP/1.1 /text.txt 200 " + TEXT.length() + " true probe true";
		eventually(() -> assertThat(seen).containsExactly(expected.formatted(false, 0), expected.formatted(true, 1),
				expected.formatted(true, 2)));
	}

	@Test
	void aRequestPluginSeesEveryRequest() throws Exception {
		List<String> seen = new CopyOnWriteArrayList<>();
		start(new Plugin() {

			@Override
			public String name() {
				return "counter";
			}

			@Override
			public Set<Stage> stages() {
				return Set.of(Stage.REQUEST);
			}

			@Override
			public Mono<RequestResult> onRequest(Exchange exchange) {
				seen.add(exchange.path());
				return CONTINUE;
			}

		}, Limits.DEFAULTS);
		try (RawHttp http = this.kernel.connect()) {
			for (int i = 0; i < 3; i++) {
				http.exchange(get("/text.txt"));
			}
		}
		assertThat(seen).hasSize(3);
	}

	@Test
	void aMalformedRequestIsRefusedByTheStagesEvenForAKnownFile() throws Exception {
		start(this.reports, Limits.DEFAULTS);
		try (RawHttp http = this.kernel.connect()) {
			http.exchange(get("/text.txt"));
			RawHttp.Response twoHosts = http
				.exchange("GET /text.txt HTTP/1.1\r\nHost: localhost\r\nHost: other\r\nConnection: close\r\n\r\n");
			assertThat(twoHosts.status()).isEqualTo(400);
		}
		assertThat(this.reports.direct).isEmpty();
	}

	private void start(Plugin plugin, Limits limits) throws IOException {
		this.kernel = KernelFixture.builder(this.temp)
			.transport(this.transport)
			.workers(1)
			.file("text.txt", TEXT)
			.file("text.txt.gz", gzip(TEXT))
			.file("large.bin", LARGE)
			.plugin(plugin)
			.settings((settings) -> settings.withLimits(limits))
			.start();
	}

	private static Limits limits(int maxRequestsPerConnection) {
		Limits defaults = Limits.DEFAULTS;
		return new Limits(defaults.maxRequestLine(), defaults.maxHeaderSize(), defaults.maxHeaderCount(),
				defaults.maxBodySize(), defaults.keepAliveTimeout(), defaults.requestReadTimeout(),
				maxRequestsPerConnection, defaults.maxConnections(), defaults.maxConnectionsPerClient());
	}

	/** Retry an assertion on what LOG plugins saw: they run once the response is out. */
	private static void eventually(ThrowingRunnable assertion) {
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).untilAsserted(assertion);
	}

	private static String get(String path) {
		return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
	}

	private static Map<String, List<String>> withoutDate(Map<String, List<String>> headers) {
		Map<String, List<String>> copy = new HashMap<>(headers);
		copy.keySet().removeIf((name) -> name.equalsIgnoreCase("date"));
		return copy;
	}

	private static byte[] gzip(String text) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
			out.write(text.getBytes(StandardCharsets.UTF_8));
		}
		return bytes.toByteArray();
	}

	private static byte[] large() {
		byte[] bytes = new byte[200 * 1024];
		for (int i = 0; i < bytes.length; i++) {
			bytes[i] = (byte) (i * 31 + (i >> 8));
		}
		return bytes;
	}

	/** A LOG plugin that tells direct answers from staged ones. */
	private static final class Reports implements Plugin {

		final List<String> exchanges = new CopyOnWriteArrayList<>();

		final List<String> direct = new CopyOnWriteArrayList<>();

		@Override
		public String name() {
			return "reports";
		}

		@Override
		public Set<Stage> stages() {
			return Set.of(Stage.LOG);
		}

		@Override
		public void onLog(LogEvent event) {
			if (event.isDirect()) {
				this.direct.add(event.site().name() + " " + event.status() + " " + event.bytes());
			}
			else {
				this.exchanges.add(event.path() + " " + event.status());
			}
		}

	}

}
