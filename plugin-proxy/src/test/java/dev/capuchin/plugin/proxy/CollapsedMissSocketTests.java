package dev.capuchin.plugin.proxy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.testing.KernelFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.util.function.Tuple2;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Concurrent requests for one missing entry: one goes upstream, the others wait for what
 * it stores, or go upstream themselves when it is not stored. Runs on every transport.
 */
@EveryTransport
class CollapsedMissSocketTests {

	private static final int CLIENTS = 200;

	@TempDir
	Path temp;

	@Parameter
	Transport transport;

	private Backend backend;

	private KernelFixture kernel;

	private ConnectionProvider connections;

	@AfterEach
	void close() {
		if (this.kernel != null) {
			this.kernel.close();
		}
		if (this.backend != null) {
			this.backend.close();
		}
		if (this.connections != null) {
			this.connections.disposeLater().block(Duration.ofSeconds(10));
		}
	}

	private void start(String cacheControl) throws Exception {
		// the answer takes a moment, so that every request arrives while it is upstream
		this.backend = Backend.handling("a", (request, response) -> Mono.delay(Duration.ofMillis(500))
			.then(response.header("Cache-Control", cacheControl).sendString(Mono.just("shared")).then()));
		this.kernel = KernelFixture.builder(this.temp)
			.transport(this.transport)
			.plugin(new ProxyPlugin(
					ProxySettings.DEFAULTS.withCacheZones(CacheZoneSettings.inMemory("main", 1024 * 1024))))
			.defaultSite(Backend.proxied("/app/",
					Map.of("servers", List.of(this.backend.url()), "cache", Map.of("zone", "main"))))
			.start();
		this.connections = ConnectionProvider.builder("clients").maxConnections(CLIENTS).build();
	}

	private List<Tuple2<String, String>> getAll(int count) {
		HttpClient client = HttpClient.create(this.connections).baseUrl("http://127.0.0.1:" + this.kernel.port());
		return Flux.range(0, count)
			.flatMap((i) -> client.get()
				.uri("/app/x")
				.responseSingle((response, body) -> body.asString()
					.zipWith(Mono.just(String.valueOf(response.responseHeaders().get("Cache-Status"))))), count)
			.collectList()
			.block(Duration.ofSeconds(60));
	}

	@Test
	void concurrentMissesReachTheServerOnce() throws Exception {
		start("max-age=60");
		List<Tuple2<String, String>> answers = getAll(CLIENTS);
		assertThat(answers).hasSize(CLIENTS).allSatisfy((answer) -> assertThat(answer.getT1()).isEqualTo("shared"));
		assertThat(this.backend.received).hasSize(1);
		assertThat(answers).filteredOn((answer) -> answer.getT2().contains("fwd=miss; stored")).hasSize(1);
		assertThat(answers).anySatisfy((answer) -> assertThat(answer.getT2()).contains("collapsed"));
	}

	@Test
	void waitersGoUpstreamThemselvesWhenTheAnswerIsNotStored() throws Exception {
		start("no-store");
		List<Tuple2<String, String>> answers = getAll(20);
		assertThat(answers).hasSize(20).allSatisfy((answer) -> assertThat(answer.getT1()).isEqualTo("shared"));
		assertThat(this.backend.received).hasSize(20);
		assertThat(answers).filteredOn((answer) -> answer.getT2().contains("collapsed")).hasSize(19);
	}

}
