package dev.capuchin.plugin.logger;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.spi.Exchange;
import dev.capuchin.core.spi.HandleResult;
import dev.capuchin.core.spi.Plugin;
import dev.capuchin.core.spi.Stage;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The logger across the server's stop: the last requests' LOG events run on the worker
 * loops after the listeners closed, and the logger's files must still be open for them.
 */
@EveryTransport
class ShutdownSocketTests {

	private static final String SLOW_BODY = "slow answer";

	@TempDir
	Path temp;

	@Parameter
	Transport transport;

	@Test
	void everyRequestAnsweredUpToTheStopHasItsLine() throws Exception {
		Path log = this.temp.resolve("access.log");
		int clients = 6;
		SlowHandler slow = new SlowHandler(Duration.ofMillis(150));
		// buffered for a minute: every line reaches the file at the stop, none before
		LoggerSettings settings = LoggerSettings.defaults().withBuffer(8192, Duration.ofMinutes(1));
		KernelFixture kernel = LogLines
			.kernel(this.temp, this.transport, new LoggerPlugin(settings),
					Map.of("access-log", log.toString(), "format", "pattern:%{target}"))
			.plugin(slow)
			.workers(2)
			.start();
		Set<String> answered = ConcurrentHashMap.newKeySet();
		AtomicInteger refused = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(clients);
		List<Future<?>> runs = new ArrayList<>();
		int answeredBeforeStop;
		try {
			for (int c = 0; c < clients; c++) {
				int client = c;
				runs.add(pool.submit(() -> fireUntilRefused(kernel, client, answered, refused)));
			}
			// requests are in flight on the loops (some in the slow handler) when the
			// stop
			// begins
			await().atMost(Duration.ofSeconds(20)).until(() -> answered.size() >= 100 && slow.inFlight() >= 2);
		}
		finally {
			answeredBeforeStop = answered.size();
			kernel.close();
		}
		for (Future<?> run : runs) {
			run.get(30, TimeUnit.SECONDS);
		}
		pool.shutdown();
		List<String> lines = LogLines.of(log);
		assertThat(answered).as("requests in flight at the stop were answered").hasSizeGreaterThan(answeredBeforeStop);
		assertThat(new HashSet<>(lines)).as("one line per request").hasSameSizeAs(lines);
		assertThat(lines).as("a line for every answered request").containsAll(answered);
		assertThat(refused.get()).as("clients refused once the listeners closed").isEqualTo(clients);
	}

	/**
	 * Send requests, plain files and slow ones in turn, on new and kept-alive
	 * connections, until the server refuses a connection; note each response received
	 * whole.
	 */
	private static Void fireUntilRefused(KernelFixture kernel, int client, Set<String> answered,
			AtomicInteger refused) {
		int port = kernel.port();
		for (int i = 0;; i++) {
			RawHttp http;
			try {
				http = RawHttp.connect(new InetSocketAddress("127.0.0.1", port));
			}
			catch (IOException ex) {
				refused.incrementAndGet();
				return null;
			}
			try (http) {
				for (int k = 0; k < 5; k++, i++) {
					String target = ((i % 2 == 0) ? "/a.txt?" : "/slow?") + client + "-" + i;
					RawHttp.Response response = http.exchange(RawHttp.get(target, "localhost"));
					String expected = target.startsWith("/slow") ? SLOW_BODY : "static";
					if (response.status() == 200 && expected.equals(response.text())) {
						answered.add(target);
					}
				}
			}
			catch (IOException ex) {
				// the connection closed during the stop: the next connect tells whether
				// the
				// listener is gone
			}
		}
	}

	/** Answers {@code /slow} after a delay, counting requests in flight. */
	private static final class SlowHandler implements Plugin {

		private final Duration delay;

		private final AtomicInteger inFlight = new AtomicInteger();

		SlowHandler(Duration delay) {
			this.delay = delay;
		}

		int inFlight() {
			return this.inFlight.get();
		}

		@Override
		public String name() {
			return "slow";
		}

		@Override
		public Set<Stage> stages() {
			return Set.of(Stage.HANDLE);
		}

		@Override
		public Mono<HandleResult> handle(Exchange exchange) {
			if (!exchange.path().equals("/slow")) {
				return DECLINE;
			}
			this.inFlight.incrementAndGet();
			return Mono.delay(this.delay)
				.then(exchange.response()
					.header("Content-Type", "text/plain")
					.sendByteArray(Mono.just(SLOW_BODY.getBytes(StandardCharsets.US_ASCII)))
					.then())
				.doFinally((signal) -> {
					this.inFlight.decrementAndGet();
				})
				.thenReturn(HandleResult.DONE);
		}

	}

}
