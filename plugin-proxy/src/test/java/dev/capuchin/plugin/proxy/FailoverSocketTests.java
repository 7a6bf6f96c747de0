package dev.capuchin.plugin.proxy;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.capuchin.core.internal.site.SiteLoader;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.SiteTable;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Servers that refuse, reset, stay silent or die mid-response; passive and active health;
 * drain.
 */
class FailoverSocketTests {

	@TempDir
	Path temp;

	@RegisterExtension
	final Closing closing = new Closing();

	private KernelFixture kernel;

	private ProxyPlugin plugin;

	private <T extends AutoCloseable> T closing(T closeable) {
		this.closing.add(closeable);
		return closeable;
	}

	private void start(Map<String, Object> proxy) throws Exception {
		this.plugin = new ProxyPlugin(ProxySettings.DEFAULTS);
		this.kernel = this.closing
			.add(KernelFixture.builder(this.temp).plugin(this.plugin).defaultSite(Backend.proxied("/", proxy)).start());
	}

	private Map<String, Object> proxy(Object... pairs) {
		Map<String, Object> map = new LinkedHashMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			map.put((String) pairs[i], pairs[i + 1]);
		}
		return map;
	}

	private UpstreamState.ServerState server(int index) {
		return this.plugin.upstreams().get(0).servers().get(index);
	}

	@Test
	void resetMovesOnForASafeRequest() throws Exception {
		RawBackend reset = closing(new RawBackend(RawBackend.Mode.RESET));
		Backend b = closing(Backend.named("b"));
		start(proxy("servers", List.of(reset.url(), b.url()), "balancer", "first-alive"));
		RawHttp.Response response = this.kernel.get("/");
		assertThat(Backend.text(response.body())).isEqualTo("b");
		assertThat(server(0).failures()).isEqualTo(1);
	}

	@Test
	void silentServerTimesOutAndTheNextAnswers() throws Exception {
		RawBackend silent = closing(new RawBackend(RawBackend.Mode.SILENT));
		Backend b = closing(Backend.named("b"));
		start(proxy("servers", List.of(silent.url(), b.url()), "balancer", "first-alive", "timeouts",
				Map.of("first-byte", "300ms")));
		assertThat(Backend.text(this.kernel.get("/").body())).isEqualTo("b");
	}

	@Test
	void everyServerTimingOutGives504() throws Exception {
		RawBackend silent = closing(new RawBackend(RawBackend.Mode.SILENT));
		start(proxy("servers", List.of(silent.url()), "timeouts", Map.of("first-byte", "300ms")));
		assertThat(this.kernel.get("/").status()).isEqualTo(504);
	}

	@Test
	void serverDyingMidResponseClosesTheClientsConnection() throws Exception {
		RawBackend dying = closing(new RawBackend(RawBackend.Mode.DIE_MID_RESPONSE));
		start(proxy("servers", List.of(dying.url())));
		try (RawHttp http = this.kernel.connect()) {
			http.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
			RawHttp.Response head = http.readHead();
			assertThat(head.status()).isEqualTo(200);
			// the ten bytes the server sent, then the end: the client sees a short body
			boolean closed = false;
			for (int i = 0; i <= 10 && !closed; i++) {
				closed = http.isClosedByServer(5000);
			}
			assertThat(closed).isTrue();
		}
		assertThat(server(0).failures()).isEqualTo(1);
	}

	@Test
	void failuresPutAServerOfflineAndTheNextRequestSkipsIt() throws Exception {
		RawBackend reset = closing(new RawBackend(RawBackend.Mode.RESET));
		Backend b = closing(Backend.named("b"));
		start(proxy("servers", List.of(reset.url(), b.url()), "balancer", "first-alive", "max-fails", 1, "fail-timeout",
				"1m"));
		this.kernel.get("/");
		assertThat(server(0).state()).isEqualTo(ServerCondition.DOWN);
		assertThat(server(0).offlineUntil()).isNotNull();
		assertThat(Backend.text(this.kernel.get("/").body())).isEqualTo("b");
		assertThat(reset.accepted).hasValue(1);
	}

	@Test
	void clientsLeavingAsTheAnswersArriveDoNotCountAgainstTheServer() throws Exception {
		// the answers and the clients' resets reach the worker in the same loop turns: a
		// client's channel is closed there before its handler is cancelled
		int clients = 64;
		Sinks.Empty<Void> release = Sinks.empty();
		Backend held = closing(Backend.handling("held",
				(request, response) -> release.asMono().then(response.sendString(Mono.just("x".repeat(4096))).then())));
		start(proxy("servers", List.of(held.url()), "max-fails", 1));
		List<Socket> sockets = new ArrayList<>();
		for (int i = 0; i < clients; i++) {
			Socket socket = new Socket("127.0.0.1", this.kernel.port());
			socket.setSoLinger(true, 0);
			socket.getOutputStream()
				.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			sockets.add(socket);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> server(0).inFlight() == clients);
		release.tryEmitEmpty();
		for (Socket socket : sockets) {
			socket.close();
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> server(0).inFlight() == 0);
		assertThat(server(0).failures()).isZero();
		assertThat(server(0).state()).isEqualTo(ServerCondition.UP);
	}

	@Test
	void clientLeavingMidResponseDoesNotCountAgainstTheServer() throws Exception {
		Backend endless = closing(Backend.handling("endless", (request, response) -> response
			.sendString(Flux.interval(Duration.ofMillis(10)).map((tick) -> "x".repeat(1024)))));
		start(proxy("servers", List.of(endless.url()), "max-fails", 1));
		try (RawHttp http = this.kernel.connect()) {
			http.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
			assertThat(http.readHead().status()).isEqualTo(200);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> server(0).inFlight() == 0);
		assertThat(server(0).failures()).isZero();
		assertThat(server(0).state()).isEqualTo(ServerCondition.UP);
	}

	@Test
	void noServerLeftGives502NamingEveryServerTried() throws Exception {
		String refused = "http://127.0.0.1:" + RefusedPort.find();
		RawBackend reset = closing(new RawBackend(RawBackend.Mode.RESET));
		start(proxy("servers", List.of(refused, reset.url()), "balancer", "first-alive"));
		RawHttp.Response response = this.kernel.get("/");
		assertThat(response.status()).isEqualTo(502);
		UpstreamState state = this.plugin.upstreams().get(0);
		assertThat(state.servers()).allSatisfy((server) -> assertThat(server.lastError()).isNotNull());
		assertThat(state.servers().get(0).lastError().message()).startsWith("connect-failure");
		assertThat(state.servers().get(1).lastError().message()).startsWith("reset");
	}

	@Test
	void healthChecksTakeAServerOutAndBringItBack() throws Exception {
		AtomicBoolean healthy = new AtomicBoolean(true);
		Backend a = closing(Backend.handling("a", (request, response) -> request.uri().equals("/health")
				? response.status(healthy.get() ? 200 : 503).send() : response.sendString(Mono.just("a"))));
		Backend b = closing(Backend.named("b"));
		start(proxy("servers", List.of(a.url(), b.url()), "balancer", "first-alive", "health",
				Map.of("path", "/health", "interval", "400ms", "timeout", "400ms", "rise", 1, "fall", 2)));
		assertThat(Backend.text(this.kernel.get("/").body())).isEqualTo("a");
		healthy.set(false);
		await().atMost(Duration.ofSeconds(10)).until(() -> server(0).state() == ServerCondition.DOWN);
		assertThat(server(0).lastHealthCheck().healthy()).isFalse();
		assertThat(Backend.text(this.kernel.get("/").body())).isEqualTo("b");
		healthy.set(true);
		await().atMost(Duration.ofSeconds(10)).until(() -> server(0).state() == ServerCondition.UP);
		assertThat(Backend.text(this.kernel.get("/").body())).isEqualTo("a");
	}

	@Test
	void drainedServerGetsNoNewRequestsWhileItsInFlightOneFinishes() throws Exception {
		AtomicBoolean release = new AtomicBoolean();
		Backend a = closing(Backend.handling("a",
				(request,
						response) -> response.sendString(Mono.just("a")
							.delayUntil((ignored) -> Mono.fromCallable(release::get)
								.filter(Boolean::booleanValue)
								.repeatWhenEmpty((repeat) -> repeat.delayElements(Duration.ofMillis(20)))))));
		Backend b = closing(Backend.named("b"));
		start(proxy("servers", List.of(a.url(), b.url()), "balancer", "first-alive"));
		try (RawHttp slow = this.kernel.connect()) {
			slow.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
			await().atMost(Duration.ofSeconds(5)).until(() -> server(0).inFlight() == 1);
			replaceProxy(proxy("servers", List.of(Map.of("url", a.url(), "drain", true), b.url()), "balancer",
					"first-alive"));
			assertThat(server(0).state()).isEqualTo(ServerCondition.DRAINING);
			assertThat(server(0).inFlight()).isEqualTo(1);
			assertThat(Backend.text(this.kernel.get("/").body())).isEqualTo("b");
			release.set(true);
			assertThat(Backend.text(slow.read().body())).isEqualTo("a");
		}
		replaceProxy(proxy("servers", List.of(a.url(), b.url()), "balancer", "first-alive"));
		assertThat(Backend.text(this.kernel.get("/").body())).isEqualTo("a");
		assertThat(server(0).requests()).isEqualTo(2);
	}

	private void replaceProxy(Map<String, Object> proxy) {
		Map<String, Object> keys = new LinkedHashMap<>();
		keys.put("name", "default");
		keys.put("server-names", List.of("localhost"));
		keys.put("default", true);
		keys.put("document-root", this.kernel.root().toString());
		keys.putAll(Backend.proxied("/", proxy));
		Site site = new SiteLoader(this.temp).parse(keys, "default");
		this.kernel.server().sites(SiteTable.of(List.of(site)));
	}

}
