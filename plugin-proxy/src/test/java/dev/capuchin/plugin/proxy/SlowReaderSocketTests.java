package dev.capuchin.plugin.proxy;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A streamed response body and a client that reads slower than the server sends: the
 * server's connection stops being read while the client's side is full, so what the proxy
 * holds stays bounded, and reading resumes when the client reads again. Runs on every
 * transport.
 */
@EveryTransport
class SlowReaderSocketTests {

	private static final int CHUNK = 64 * 1024;

	/**
	 * What may be in flight while nobody reads: the socket buffers on both sides of the
	 * proxy on loopback, the channels' outbound buffers and the few pieces the proxy
	 * holds. An unbounded path passes this within a fraction of a second.
	 */
	private static final long BOUND = 48L * 1024 * 1024;

	@TempDir
	Path temp;

	@Parameter
	Transport transport;

	@RegisterExtension
	final Closing closing = new Closing();

	private KernelFixture kernel;

	@Test
	void aClientThatStopsReadingHoldsTheServerBack() throws Exception {
		AtomicLong produced = new AtomicLong();
		ByteBuf chunk = Unpooled.unreleasableBuffer(Unpooled.directBuffer(CHUNK).writeZero(CHUNK));
		Backend backend = Backend.handling("endless",
				(request, response) -> response.send(Flux.<ByteBuf>generate((sink) -> sink.next(chunk.duplicate()))
					.doOnNext((buffer) -> produced.addAndGet(CHUNK))));
		this.closing.add(backend);
		this.kernel = this.closing.add(KernelFixture.builder(this.temp)
			.transport(this.transport)
			.workers(1)
			.plugin(new ProxyPlugin(ProxySettings.DEFAULTS))
			.defaultSite(Backend.proxied("/", Map.of("servers", List.of(backend.url()))))
			.start());
		try (RawHttp http = this.kernel.connect()) {
			http.send("GET /endless HTTP/1.1\r\nHost: localhost\r\n\r\n");
			// nothing is read: the server must come to a stop, held back by the proxy
			long[] last = { -1 };
			await().atMost(Duration.ofSeconds(30)).during(Duration.ofMillis(500)).until(() -> {
				long now = produced.get();
				boolean still = now == last[0];
				last[0] = now;
				return still;
			});
			long stopped = produced.get();
			assertThat(stopped).isPositive().isLessThan(BOUND);
			// reading again lets the server go on
			InputStream in = http.socket().getInputStream();
			byte[] buffer = new byte[CHUNK];
			long read = 0;
			while (read < stopped + 4L * 1024 * 1024) {
				int n = in.read(buffer);
				assertThat(n).isPositive();
				read += n;
			}
			assertThat(produced.get()).isGreaterThan(stopped);
		}
	}

}
