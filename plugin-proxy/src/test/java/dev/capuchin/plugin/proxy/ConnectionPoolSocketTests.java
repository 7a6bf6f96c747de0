package dev.capuchin.plugin.proxy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The proxy's connections to its servers, counted at a real server: kept alive and
 * reused, never more than {@code max-connections} per worker, closed after
 * {@code max-idle-time} unused and when the node stops, so that none is left behind. Runs
 * on every transport.
 */
@EveryTransport
class ConnectionPoolSocketTests {

	private static final int CLIENTS = 8;

	private static final int REQUESTS = 10;

	@TempDir
	Path temp;

	@Parameter
	Transport transport;

	@RegisterExtension
	final Closing closing = new Closing();

	private KernelFixture kernel;

	private Backend backend() {
		Backend backend = Backend.named("a");
		this.closing.add(backend);
		return backend;
	}

	private void start(Backend backend, ProxySettings settings) throws Exception {
		this.kernel = this.closing.add(KernelFixture.builder(this.temp)
			.transport(this.transport)
			.workers(1)
			.plugin(new ProxyPlugin(settings))
			.defaultSite(Backend.proxied("/", Map.of("servers", List.of(backend.url()))))
			.start());
	}

	/** Requests from several clients at once, each on its own keep-alive connection. */
	private void load() throws Exception {
		ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
		try {
			List<Future<Integer>> answered = new ArrayList<>();
			for (int c = 0; c < CLIENTS; c++) {
				answered.add(clients.submit(() -> {
					int ok = 0;
					try (RawHttp http = this.kernel.connect()) {
						for (int i = 0; i < REQUESTS; i++) {
							ok += (http.exchange(RawHttp.get("/x", "localhost")).status() == 200) ? 1 : 0;
						}
					}
					return ok;
				}));
			}
			for (Future<Integer> each : answered) {
				assertThat(each.get()).isEqualTo(REQUESTS);
			}
		}
		finally {
			clients.shutdownNow();
		}
	}

	@Test
	void sequentialRequestsReuseOneConnection() throws Exception {
		Backend backend = backend();
		start(backend, ProxySettings.DEFAULTS);
		try (RawHttp http = this.kernel.connect()) {
			for (int i = 0; i < REQUESTS; i++) {
				assertThat(http.exchange(RawHttp.get("/x", "localhost")).text()).isEqualTo("a");
			}
		}
		assertThat(backend.accepted).hasValue(1);
	}

	@Test
	void unusedConnectionsAreClosedAfterTheMaxIdleTime() throws Exception {
		Backend backend = backend();
		start(backend, new ProxySettings(64, Duration.ofSeconds(5), Duration.ofMillis(300)));
		load();
		await().atMost(Duration.ofSeconds(10)).until(() -> backend.open.get() == 0);
	}

	@Test
	void stoppingTheNodeClosesEveryConnectionToTheServers() throws Exception {
		Backend backend = backend();
		start(backend, ProxySettings.DEFAULTS);
		load();
		assertThat(backend.open.get()).isPositive();
		this.kernel.close();
		this.kernel = null;
		await().atMost(Duration.ofSeconds(10)).until(() -> backend.open.get() == 0);
	}

	@Test
	void aWorkerOpensNoMoreThanMaxConnectionsToAServer() throws Exception {
		Backend backend = Backend.handling("slow",
				(request, response) -> response.sendString(Mono.just("slow").delayElement(Duration.ofMillis(20))));
		this.closing.add(backend);
		start(backend, new ProxySettings(2, Duration.ofSeconds(30), Duration.ofSeconds(30)));
		load();
		assertThat(backend.received).hasSize(CLIENTS * REQUESTS);
		assertThat(backend.accepted.get()).isBetween(1, 2);
	}

}
