package dev.capuchin.core.internal.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * HTTP/2 floods over real sockets with crafted frames: the rapid reset (streams opened
 * and cancelled at once) and the CONTINUATION flood (a header block that never ends) cost
 * the attacker its connection ({@code GOAWAY}, then close) while other connections are
 * served; the SETTINGS the server advertises are the configured limits.
 */
@EveryTransport
class Http2FloodSocketTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	/** SETTINGS identifiers (RFC 9113, section 6.5.2). */
	private static final int HEADER_TABLE_SIZE = 0x1;

	private static final int MAX_CONCURRENT_STREAMS = 0x3;

	private static final int INITIAL_WINDOW_SIZE = 0x4;

	private static final int MAX_FRAME_SIZE = 0x5;

	private static final int MAX_HEADER_LIST_SIZE = 0x6;

	@TempDir
	Path temp;

	@Parameter
	Transport transport;

	private KernelFixture kernel;

	@AfterEach
	void stop() {
		if (this.kernel != null) {
			this.kernel.close();
		}
	}

	@Test
	void settingsAdvertiseTheConfiguredLimits() throws Exception {
		startCleartext(new Http2Limits(50, 32_768, 32_768, 2048, 200, Duration.ofSeconds(30)));
		try (H2Attacker client = H2Attacker.connect(this.kernel.address())) {
			await().atMost(TIMEOUT).until(() -> !client.serverSettings().isEmpty());
			assertThat(client.serverSettings()).containsEntry(MAX_CONCURRENT_STREAMS, 50L)
				.containsEntry(INITIAL_WINDOW_SIZE, 32_768L)
				.containsEntry(MAX_FRAME_SIZE, 32_768L)
				.containsEntry(HEADER_TABLE_SIZE, 2048L)
				.containsEntry(MAX_HEADER_LIST_SIZE, (long) Limits.DEFAULT_MAX_HEADER_SIZE);
		}
	}

	@Test
	void rapidResetFloodCostsTheAttackerItsConnection() throws Exception {
		startCleartext(Http2Limits.DEFAULTS);
		try (H2Attacker attacker = H2Attacker.connect(this.kernel.address())) {
			rapidReset(attacker, Http2Limits.DEFAULT_MAX_RESETS_PER_WINDOW * 5);
			assertClosedWithGoAway(attacker);
			assertThat(attacker.goAwayError()).isEqualTo(H2Attacker.ENHANCE_YOUR_CALM);
		}
	}

	@Test
	void rapidResetFloodOverTlsCostsTheAttackerItsConnection() throws Exception {
		TestCertificates.Issued certificate = TestCertificates.issue(this.temp.resolve("certificates"), "localhost",
				"127.0.0.1");
		start(KernelFixture.builder(this.temp)
			.transport(this.transport)
			.file("who.txt", "default site")
			.listener((listener) -> listener.withTls(certificate.tls(), true)));
		SSLSocket socket = (SSLSocket) TestCertificates.trusting(List.of(certificate.certificate()))
			.getSocketFactory()
			.createSocket("127.0.0.1", this.kernel.port());
		SSLParameters parameters = socket.getSSLParameters();
		parameters.setApplicationProtocols(new String[] { "h2" });
		socket.setSSLParameters(parameters);
		socket.startHandshake();
		assertThat(socket.getApplicationProtocol()).isEqualTo("h2");
		try (H2Attacker attacker = H2Attacker.over(socket)) {
			rapidReset(attacker, Http2Limits.DEFAULT_MAX_RESETS_PER_WINDOW * 5);
			assertClosedWithGoAway(attacker);
			assertThat(attacker.goAwayError()).isEqualTo(H2Attacker.ENHANCE_YOUR_CALM);
		}
	}

	@Test
	void resetsWithinTheLimitKeepTheConnection() throws Exception {
		startCleartext(new Http2Limits(100, 65_535, 16_384, 4096, 20, Duration.ofSeconds(30)));
		try (H2Attacker client = H2Attacker.connect(this.kernel.address())) {
			rapidReset(client, 20);
			int stream = 2 * 20 + 1;
			client.frame(H2Attacker.HEADERS, H2Attacker.END_HEADERS | H2Attacker.END_STREAM, stream,
					client.get(stream, "/who.txt"));
			await().atMost(TIMEOUT).until(() -> client.status(stream) != -1);
			assertThat(client.status(stream)).isEqualTo(200);
			assertThat(client.goAwayError()).isEqualTo(-1);
		}
	}

	@Test
	void oneResetBeyondTheLimitCostsTheConnection() throws Exception {
		startCleartext(new Http2Limits(100, 65_535, 16_384, 4096, 20, Duration.ofSeconds(30)));
		try (H2Attacker attacker = H2Attacker.connect(this.kernel.address())) {
			rapidReset(attacker, 21);
			assertClosedWithGoAway(attacker);
			assertThat(attacker.goAwayError()).isEqualTo(H2Attacker.ENHANCE_YOUR_CALM);
		}
	}

	@Test
	void continuationFloodCostsTheAttackerItsConnection() throws Exception {
		startCleartext(Http2Limits.DEFAULTS);
		try (H2Attacker attacker = H2Attacker.connect(this.kernel.address())) {
			// a megabyte of header fields in CONTINUATION frames, none ending the block
			continuationFlood(attacker, 1000, 1000);
			assertClosedWithGoAway(attacker);
		}
	}

	@Test
	void emptyContinuationFloodCostsTheAttackerItsConnection() throws Exception {
		startCleartext(Http2Limits.DEFAULTS);
		try (H2Attacker attacker = H2Attacker.connect(this.kernel.address())) {
			// empty frames grow no header list, so the header list size never stops them
			continuationFlood(attacker, 100_000, 0);
			assertClosedWithGoAway(attacker);
		}
	}

	@Test
	void legitimateClientIsServedDuringFloods() throws Exception {
		startCleartext(Http2Limits.DEFAULTS);
		InetSocketAddress address = this.kernel.address();
		AtomicBoolean flooding = new AtomicBoolean(true);
		AtomicInteger floods = new AtomicInteger();
		List<Throwable> attackerFailures = new CopyOnWriteArrayList<>();
		Thread attack = new Thread(() -> {
			try {
				while (flooding.get()) {
					try (H2Attacker attacker = H2Attacker.connect(address)) {
						if (floods.get() % 2 == 0) {
							rapidReset(attacker, Http2Limits.DEFAULT_MAX_RESETS_PER_WINDOW * 5);
						}
						else {
							continuationFlood(attacker, 1000, 1000);
						}
						assertClosedWithGoAway(attacker);
						floods.incrementAndGet();
					}
				}
			}
			catch (Throwable ex) {
				attackerFailures.add(ex);
			}
		}, "h2-flood");
		attack.start();
		try {
			HttpClient client = HttpClient.create()
				.protocol(HttpProtocol.H2C)
				.baseUrl("http://127.0.0.1:" + address.getPort());
			await().atMost(TIMEOUT).until(() -> floods.get() > 0 || !attackerFailures.isEmpty());
			int requests = 0;
			while (floods.get() < 10 && attackerFailures.isEmpty()) {
				int status = client.get()
					.uri("/who.txt")
					.responseSingle((response, body) -> body.asString().thenReturn(response.status().code()))
					.block(TIMEOUT);
				assertThat(status).as("request %d during the floods", requests).isEqualTo(200);
				requests++;
			}
			assertThat(requests).isPositive();
		}
		finally {
			flooding.set(false);
			attack.join(TIMEOUT.toMillis());
		}
		assertThat(attackerFailures).isEmpty();
	}

	/**
	 * Open and at once cancel streams 1, 3, 5, ... The requests do not end their streams,
	 * so that no stream is closed by its answer before its reset arrives (a reset of a
	 * closed stream is ignored, and not counted).
	 */
	private static void rapidReset(H2Attacker attacker, int streams) throws Exception {
		for (int i = 0; i < streams; i++) {
			int stream = 2 * i + 1;
			boolean written = attacker.frame(H2Attacker.HEADERS, H2Attacker.END_HEADERS, stream,
					attacker.get(stream, "/who.txt"));
			if (!written) {
				return;
			}
			attacker.reset(stream);
		}
	}

	/**
	 * A HEADERS frame without END_HEADERS and then CONTINUATION frames that never end the
	 * block.
	 * @return the CONTINUATION frames written before the server closed
	 */
	private static int continuationFlood(H2Attacker attacker, int frames, int fieldLength) throws Exception {
		attacker.frame(H2Attacker.HEADERS, H2Attacker.END_STREAM, 1, attacker.get(1, "/who.txt"));
		for (int i = 0; i < frames; i++) {
			byte[] payload = (fieldLength > 0) ? attacker.filler(1, i, fieldLength) : new byte[0];
			if (!attacker.frame(H2Attacker.CONTINUATION, 0, 1, payload)) {
				return i;
			}
		}
		return frames;
	}

	private static void assertClosedWithGoAway(H2Attacker attacker) throws InterruptedException {
		await().atMost(TIMEOUT).until(attacker::isClosedByServer);
		assertThat(attacker.received()).as("frames the server sent")
			.anyMatch((frame) -> frame.type() == H2Attacker.GOAWAY);
	}

	private void startCleartext(Http2Limits limits) throws IOException {
		start(KernelFixture.builder(this.temp)
			.transport(this.transport)
			.file("who.txt", "default site")
			.listener((listener) -> listener.withHttp2(true))
			.settings((settings) -> settings.withLimits(settings.limits().withHttp2(limits))));
	}

	private void start(KernelFixture.Builder builder) throws IOException {
		this.kernel = builder.start();
	}

}
