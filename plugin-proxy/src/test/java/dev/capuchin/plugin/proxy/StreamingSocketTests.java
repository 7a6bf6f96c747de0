package dev.capuchin.plugin.proxy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.capuchin.core.internal.server.Limits;
import dev.capuchin.core.internal.worker.Worker;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bodies stream both ways without being buffered whole: this module's tests run with a
 * 256 MB heap and 256 MB of direct memory (see the pom), so a 1 GiB body held in memory
 * fails them. Also: a client leaving mid-response, and the workers' connection counts.
 */
class StreamingSocketTests {

	private static final long GIB = 1L << 30;

	private static final int CHUNK = 64 * 1024;

	@TempDir
	Path temp;

	@RegisterExtension
	final Closing closing = new Closing();

	private KernelFixture kernel;

	private void start(Backend backend) throws Exception {
		this.closing.add(backend);
		this.kernel = this.closing.add(KernelFixture.builder(this.temp)
			.plugin(new ProxyPlugin(ProxySettings.DEFAULTS))
			.settings((settings) -> settings.withLimits(bodyLimit(settings.limits(), 2 * GIB)))
			.defaultSite(Backend.proxied("/", Map.of("servers", List.of(backend.url()))))
			.start());
	}

	private static Limits bodyLimit(Limits limits, long max) {
		return new Limits(limits.maxRequestLine(), limits.maxHeaderSize(), limits.maxHeaderCount(), max,
				limits.keepAliveTimeout(), limits.requestReadTimeout(), limits.maxRequestsPerConnection(),
				limits.maxConnections(), limits.maxConnectionsPerClient());
	}

	@Test
	void oneGibibyteUploadStreamsToTheServer() throws Exception {
		start(Backend.handling("counter",
				(request,
						response) -> response.sendString(request.receive()
							.map(ByteBuf::readableBytes)
							.reduce(0L, (sum, bytes) -> sum + bytes)
							.map(String::valueOf))));
		byte[] chunk = new byte[CHUNK];
		try (RawHttp http = this.kernel.connect()) {
			OutputStream out = http.socket().getOutputStream();
			out.write(("PUT /upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + GIB + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			for (long sent = 0; sent < GIB; sent += CHUNK) {
				out.write(chunk);
			}
			out.flush();
			RawHttp.Response response = http.read();
			assertThat(response.status()).isEqualTo(200);
			assertThat(Backend.text(response.body())).isEqualTo(String.valueOf(GIB));
		}
	}

	@Test
	void oneGibibyteDownloadStreamsToTheClient() throws Exception {
		ByteBuf chunk = Unpooled.unreleasableBuffer(Unpooled.directBuffer(CHUNK).writeZero(CHUNK));
		start(Backend.handling("source", (request, response) -> response.header("Content-Length", String.valueOf(GIB))
			.send(Flux.range(0, (int) (GIB / CHUNK)).map((i) -> chunk.duplicate()))));
		try (Socket socket = new Socket(this.kernel.address().getAddress(), this.kernel.port())) {
			socket.setSoTimeout(30_000);
			socket.getOutputStream()
				.write("GET /download HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
					.getBytes(StandardCharsets.US_ASCII));
			InputStream in = socket.getInputStream();
			byte[] buffer = new byte[CHUNK];
			long total = 0;
			for (int read; (read = in.read(buffer)) >= 0;) {
				total += read;
			}
			// the head is a few hundred bytes
			assertThat(total - GIB).isBetween(50L, 1000L);
		}
	}

	@Test
	void clientLeavingMidResponseCancelsTheUpstreamRequest() throws Exception {
		AtomicBoolean cancelled = new AtomicBoolean();
		AtomicLong produced = new AtomicLong();
		ByteBuf chunk = Unpooled.unreleasableBuffer(Unpooled.directBuffer(CHUNK).writeZero(CHUNK));
		start(Backend.handling("endless",
				(request,
						response) -> response.send(Flux.<ByteBuf>generate((sink) -> sink.next(chunk.duplicate()))
							.doOnNext((buffer) -> produced.incrementAndGet())
							.doOnCancel(() -> cancelled.set(true)))));
		try (RawHttp http = this.kernel.connect()) {
			http.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
			assertThat(http.readHead().status()).isEqualTo(200);
		}
		await().atMost(Duration.ofSeconds(10)).untilTrue(cancelled);
		ProxyPlugin plugin = (ProxyPlugin) this.kernel.server().plugins().get(0);
		await().atMost(Duration.ofSeconds(10)).until(() -> plugin.upstreams().get(0).servers().get(0).inFlight() == 0);
	}

	@Test
	void proxiedTrafficLeavesTheWorkersConnectionCountsAlone() throws Exception {
		start(Backend.named("a"));
		try (RawHttp one = this.kernel.connect(); RawHttp two = this.kernel.connect()) {
			for (int i = 0; i < 5; i++) {
				one.exchange("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
				two.exchange("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
			}
			// two client connections, however many upstream connections the proxy opened
			assertThat(this.kernel.server().workers().stream().mapToInt(Worker::connections).sum()).isEqualTo(2);
			assertThat(this.kernel.server().workers())
				.allSatisfy((worker) -> assertThat(worker.connections()).isEqualTo(1));
		}
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.kernel.server().workers().stream().mapToInt(Worker::connections).sum() == 0);
	}

	@Test
	void upstreamResponsesArriveOnTheWorkerLoops() throws Exception {
		List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
		ProxyListener listener = new ProxyListener() {
			@Override
			public void onResponse(String upstream, String server, ProxyOutcome outcome, Duration duration) {
				threads.add(Thread.currentThread().getName());
			}
		};
		Backend backend = Backend.named("a");
		this.closing.add(backend);
		this.kernel = this.closing.add(KernelFixture.builder(this.temp)
			.plugin(new ProxyPlugin(ProxySettings.DEFAULTS, listener, java.time.Clock.systemUTC()))
			.defaultSite(Backend.proxied("/", Map.of("servers", List.of(backend.url()))))
			.start());
		for (int i = 0; i < 4; i++) {
			assertThat(this.kernel.get("/").status()).isEqualTo(200);
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> threads.size() == 4);
		assertThat(threads).allSatisfy((name) -> assertThat(name).startsWith("capuchin-worker"));
	}

}
