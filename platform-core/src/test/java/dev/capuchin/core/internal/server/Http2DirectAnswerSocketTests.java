package dev.capuchin.core.internal.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.spi.Exchange;
import dev.capuchin.core.spi.HandleResult;
import dev.capuchin.core.spi.LogEvent;
import dev.capuchin.core.spi.Plugin;
import dev.capuchin.core.spi.Stage;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.TestCertificates;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The direct path on HTTP/2 streams, over real sockets: {@code h2} on a TLS listener and
 * {@code h2c} by prior knowledge on a plain one, on every transport. What it answers
 * itself, what it leaves to Reactor Netty's stream pipeline and the stages, and the LOG
 * events of both.
 */
@ParameterizedClass(name = "[{index}] {0} {1}")
@MethodSource("transportsAndProtocols")
class Http2DirectAnswerSocketTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final String TEXT = "direct answers on streams";

	private static final byte[] LARGE = large();

	private static final Consumer<HttpHeaders> NO_HEADERS = (headers) -> {
	};

	@TempDir
	Path temp;

	@Parameter(0)
	Transport transport;

	@Parameter(1)
	HttpProtocol protocol;

	private KernelFixture kernel;

	private TestCertificates.Issued certificate;

	private final Reports reports = new Reports();

	private final List<Channel> connections = new CopyOnWriteArrayList<>();

	private ConnectionProvider pool;

	/** One client for the whole test: Reactor Netty pools connections per client. */
	private HttpClient client;

	static Stream<Arguments> transportsAndProtocols() {
		return Arrays.stream(Transport.values())
			.flatMap((transport) -> Stream.of(HttpProtocol.H2, HttpProtocol.H2C)
				.map((protocol) -> Arguments.of(transport, protocol)));
	}

	@AfterEach
	void stop() {
		if (this.pool != null) {
			this.pool.disposeLater().block(TIMEOUT);
		}
		if (this.kernel != null) {
			this.kernel.close();
		}
	}

	@Test
	void aFileAskedForAgainIsAnsweredDirectlyWithTheSameResponse() throws IOException {
		start(this.reports);
		Answer first = get("/text.txt");
		Answer second = get("/text.txt");
		eventually(() -> assertThat(this.reports.direct).containsExactly("default 200 " + TEXT.length() + " HTTP/2.0"));
		assertThat(this.reports.exchanges).containsExactly("/text.txt 200 HTTP/2.0");
		assertThat(second.status()).isEqualTo(200);
		assertThat(second.text()).isEqualTo(TEXT);
		assertThat(withoutDateAndStream(second.headers())).isEqualTo(withoutDateAndStream(first.headers()));
		assertThat(second.headers().get(HttpHeaderNames.DATE)).isNotBlank();
	}

	@Test
	void aHeadIsAnsweredDirectlyWithTheLengthAndNoBody() throws IOException {
		start(this.reports);
		get("/text.txt");
		Answer head = send(HttpMethod.HEAD, "/text.txt", NO_HEADERS);
		assertThat(head.status()).isEqualTo(200);
		assertThat(head.headers().get(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo(Integer.toString(TEXT.length()));
		assertThat(head.body()).isEmpty();
		eventually(() -> assertThat(this.reports.direct).containsExactly("default 200 0 HTTP/2.0"));
	}

	@Test
	void aMissingFileIsAnsweredWith404ByTheStages() throws IOException {
		start(this.reports);
		assertThat(get("/missing.txt").status()).isEqualTo(404);
		assertThat(get("/missing.txt").status()).isEqualTo(404);
		eventually(() -> assertThat(this.reports.exchanges).containsExactly("/missing.txt 404 HTTP/2.0",
				"/missing.txt 404 HTTP/2.0"));
		assertThat(this.reports.direct).isEmpty();
	}

	@Test
	void aRangeGoesThroughTheStagesAndIsServed() throws IOException {
		start(this.reports);
		get("/text.txt");
		Answer range = send(HttpMethod.GET, "/text.txt", (headers) -> headers.set(HttpHeaderNames.RANGE, "bytes=0-5"));
		assertThat(range.status()).isEqualTo(206);
		assertThat(range.text()).isEqualTo(TEXT.substring(0, 6));
		eventually(() -> assertThat(this.reports.exchanges).containsExactly("/text.txt 200 HTTP/2.0",
				"/text.txt 206 HTTP/2.0"));
		assertThat(this.reports.direct).isEmpty();
	}

	@Test
	void aFileLargerThanOneFrameGoesThroughTheStagesIntact() throws IOException {
		start(this.reports);
		get("/large.bin");
		Answer second = get("/large.bin");
		assertThat(second.body()).isEqualTo(LARGE);
		eventually(() -> assertThat(this.reports.exchanges).hasSize(2));
		assertThat(this.reports.direct).isEmpty();
	}

	@Test
	void manyConcurrentStreamsOnOneConnectionAreEachAnsweredAndLogged() throws IOException {
		start(this.reports);
		get("/text.txt");
		int streams = 300;
		List<Answer> answers = Flux.range(0, streams)
			.flatMap((i) -> request(HttpMethod.GET, "/text.txt", NO_HEADERS), 64)
			.collectList()
			.block(TIMEOUT);
		assertThat(answers).hasSize(streams).allSatisfy((answer) -> {
			assertThat(answer.status()).isEqualTo(200);
			assertThat(answer.text()).isEqualTo(TEXT);
		});
		assertThat(this.connections).as("one connection carried every stream").hasSize(1);
		// a file is resolved again by the stages once fdt.valid has passed: on a slow
		// machine a few of the streams may go that way
		eventually(() -> assertThat(this.reports.direct.size() + this.reports.exchanges.size()).isEqualTo(streams + 1));
		assertThat(this.reports.direct).isNotEmpty().containsOnly("default 200 " + TEXT.length() + " HTTP/2.0");
		assertThat(this.reports.exchanges).containsOnly("/text.txt 200 HTTP/2.0");
	}

	@Test
	void streamsAnsweredOnTheConnectionAndStreamsItHandsOnShareItInAnyOrder() throws IOException {
		start(this.reports);
		get("/text.txt");
		int rounds = 60;
		List<String> outcomes = Flux.range(0, rounds * 3).flatMap((i) -> switch (i % 3) {
			case 0 ->
				request(HttpMethod.GET, "/text.txt", NO_HEADERS).map((answer) -> answer.status() + " " + answer.text());
			case 1 -> request(HttpMethod.GET, "/missing.txt", NO_HEADERS).map((answer) -> answer.status() + " missing");
			default ->
				request(HttpMethod.GET, "/text.txt", (headers) -> headers.set(HttpHeaderNames.RANGE, "bytes=0-5"))
					.map((answer) -> answer.status() + " " + answer.text());
		}, 32).collectList().block(TIMEOUT);
		assertThat(outcomes).hasSize(rounds * 3);
		assertThat(outcomes.stream().filter(("200 " + TEXT)::equals)).hasSize(rounds);
		assertThat(outcomes.stream().filter("404 missing"::equals)).hasSize(rounds);
		assertThat(outcomes.stream().filter(("206 " + TEXT.substring(0, 6))::equals)).hasSize(rounds);
		assertThat(this.connections).as("one connection carried every stream").hasSize(1);
		eventually(
				() -> assertThat(this.reports.direct.size() + this.reports.exchanges.size()).isEqualTo(rounds * 3 + 1));
		assertThat(this.reports.direct).isNotEmpty();
	}

	@Test
	void answersOnTheConnectionWaitingForASmallWindowBesideLargeFilesAllArrive() throws IOException {
		start(this.reports);
		get("/text.txt");
		// a window smaller than the large file: its stream and the connection's answers
		// wait for the client's window updates together
		this.client = this.client.http2Settings((settings) -> settings.initialWindowSize(4096));
		List<Answer> answers = Flux.range(0, 120)
			.flatMap((i) -> request(HttpMethod.GET, (i % 20 == 0) ? "/large.bin" : "/text.txt", NO_HEADERS), 48)
			.collectList()
			.block(TIMEOUT);
		assertThat(answers).hasSize(120).allSatisfy((answer) -> {
			assertThat(answer.status()).isEqualTo(200);
			assertThat(answer.body()).isIn(LARGE, TEXT.getBytes(StandardCharsets.UTF_8));
		});
		assertThat(answers.stream().filter((answer) -> answer.body().length == LARGE.length)).hasSize(6);
		assertThat(this.connections).as("one connection carried every stream").hasSize(1);
	}

	@Test
	void aHandlePluginStillRunsForEveryStream() throws IOException {
		List<String> seen = new CopyOnWriteArrayList<>();
		start(this.reports, new Plugin() {

			@Override
			public String name() {
				return "counter";
			}

			@Override
			public Set<Stage> stages() {
				return Set.of(Stage.HANDLE);
			}

			@Override
			public Mono<HandleResult> handle(Exchange exchange) {
				seen.add(exchange.path());
				return DECLINE;
			}

		});
		for (int i = 0; i < 3; i++) {
			assertThat(get("/text.txt").text()).isEqualTo(TEXT);
		}
		assertThat(seen).hasSize(3);
		eventually(() -> assertThat(this.reports.exchanges).hasSize(3));
		assertThat(this.reports.direct).isEmpty();
	}

	private void start(Plugin... plugins) throws IOException {
		KernelFixture.Builder builder = KernelFixture.builder(this.temp)
			.transport(this.transport)
			.workers(1)
			.file("text.txt", TEXT)
			.file("large.bin", LARGE);
		for (Plugin plugin : plugins) {
			builder.plugin(plugin);
		}
		if (this.protocol == HttpProtocol.H2) {
			this.certificate = TestCertificates.issue(this.temp.resolve("certificates"), "localhost", "127.0.0.1");
			builder.listener((listener) -> listener.withTls(this.certificate.tls(), true));
		}
		else {
			builder.listener((listener) -> listener.withHttp2(true));
		}
		this.kernel = builder.start();
		this.pool = ConnectionProvider.builder("h2-direct").maxConnections(1).build();
		this.client = client();
	}

	private HttpClient client() {
		HttpClient client = HttpClient.create(this.pool)
			.protocol(this.protocol)
			.host("127.0.0.1")
			.port(this.kernel.port())
			.doOnChannelInit((observer, channel, address) -> this.connections.add(channel));
		if (this.protocol == HttpProtocol.H2) {
			client = client.secure((spec) -> spec.sslContext(Http2SslContextSpec.forClient()
				.configure((builder) -> builder.trustManager(this.certificate.certificate()))));
		}
		return client;
	}

	private Answer get(String path) {
		return send(HttpMethod.GET, path, NO_HEADERS);
	}

	private Answer send(HttpMethod method, String path, Consumer<HttpHeaders> headers) {
		return request(method, path, headers).block(TIMEOUT);
	}

	private Mono<Answer> request(HttpMethod method, String path, Consumer<HttpHeaders> headers) {
		return this.client.headers((all) -> {
			all.set(HttpHeaderNames.HOST, "localhost");
			headers.accept(all);
		})
			.request(method)
			.uri(path)
			.responseSingle((response, body) -> body.asByteArray()
				.defaultIfEmpty(new byte[0])
				.map((bytes) -> new Answer(response.status().code(), response.responseHeaders().copy(), bytes)));
	}

	/** Retry an assertion on what LOG plugins saw: they run once the response is out. */
	private static void eventually(ThrowingRunnable assertion) {
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).untilAsserted(assertion);
	}

	private static Map<String, String> withoutDateAndStream(HttpHeaders headers) {
		Map<String, String> copy = new TreeMap<>();
		headers.forEach((header) -> copy.put(header.getKey().toLowerCase(Locale.ROOT), header.getValue()));
		copy.remove("date");
		// the client's codec numbers its streams
		copy.remove("x-http2-stream-id");
		return copy;
	}

	private static byte[] large() {
		byte[] bytes = new byte[200 * 1024];
		for (int i = 0; i < bytes.length; i++) {
			bytes[i] = (byte) (i * 31 + (i >> 8));
		}
		return bytes;
	}

	private record Answer(int status, HttpHeaders headers, byte[] body) {

		String text() {
			return new String(this.body, StandardCharsets.UTF_8);
		}

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
				this.direct
					.add(event.site().name() + " " + event.status() + " " + event.bytes() + " " + event.protocol());
			}
			else {
				this.exchanges.add(event.path() + " " + event.status() + " " + event.protocol());
			}
		}

	}

}
