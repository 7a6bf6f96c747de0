package dev.capuchin.core.spi;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The plugin stages and their contract over a real socket, on every transport: order,
 * results per stage, what a plugin's failure or broken contract costs, LOG events and the
 * plugins' life cycle.
 */
@EveryTransport
@ExtendWith(OutputCaptureExtension.class)
class PluginStagesSocketTests {

	@TempDir
	Path temp;

	@Parameter
	Transport transport;

	private final List<String> calls = new CopyOnWriteArrayList<>();

	@Test
	void aConnectPluginClosesTheConnectionBeforeAByteIsRead() throws Exception {
		Plugin deny = new TestPlugin("deny", 0, Set.of(Stage.CONNECT)) {
			@Override
			public ConnectResult onConnect(ClientConnection connection) {
				return ConnectResult.CLOSE;
			}
		};
		try (KernelFixture kernel = fixture().plugin(deny).start(); RawHttp client = kernel.connect()) {
			assertThat(client.isClosedByServer(2000)).isTrue();
		}
	}

	@Test
	void requestPluginsRunInOrderBeforeStaticFiles() throws Exception {
		try (KernelFixture kernel = fixture().plugin(recorder("second", 20))
			.plugin(recorder("first", 10))
			.plugin(recorder("third", 30))
			.start()) {
			assertThat(kernel.get("/a.txt").text()).isEqualTo("static");
			assertThat(this.calls).containsExactly("first", "second", "third");
		}
	}

	@Test
	void aRequestPluginThatAnswersSkipsTheRestOfTheRequest() throws Exception {
		Plugin guard = new TestPlugin("guard", 10, Set.of(Stage.REQUEST)) {
			@Override
			public Mono<RequestResult> onRequest(Exchange exchange) {
				PluginStagesSocketTests.this.calls.add("guard");
				return exchange.response()
					.status(HttpResponseStatus.FORBIDDEN)
					.header("Content-Length", "6")
					.sendString(Mono.just("denied"))
					.then()
					.thenReturn(RequestResult.DONE);
			}
		};
		try (KernelFixture kernel = fixture().plugin(guard).plugin(recorder("later", 20)).start()) {
			RawHttp.Response response = kernel.get("/a.txt");
			assertThat(response.status()).isEqualTo(403);
			assertThat(response.text()).isEqualTo("denied");
			assertThat(this.calls).containsExactly("guard");
		}
	}

	@Test
	void aHandlePluginClaimsTheRequestInsteadOfStaticFiles() throws Exception {
		try (KernelFixture kernel = fixture().plugin(handler("claims", 10, (exchange) -> true)).start()) {
			assertThat(kernel.get("/a.txt").text()).isEqualTo("from claims");
		}
	}

	@Test
	void aDecliningHandlePluginLeavesTheRequestToTheNextHandler() throws Exception {
		try (KernelFixture kernel = fixture().plugin(handler("declines", 10, (exchange) -> false))
			.plugin(handler("claims-txt", 20, (exchange) -> exchange.path().endsWith(".txt")))
			.start()) {
			assertThat(kernel.get("/a.txt").text()).isEqualTo("from claims-txt");
			assertThat(kernel.get("/b.html").text()).isEqualTo("<p>static</p>");
		}
	}

	@Test
	void aThrowingRequestPluginCostsOneRequestNotTheWorker() throws Exception {
		Plugin broken = new TestPlugin("broken", 10, Set.of(Stage.REQUEST)) {
			@Override
			public Mono<RequestResult> onRequest(Exchange exchange) {
				if (exchange.path().equals("/boom")) {
					throw new IllegalStateException("boom");
				}
				return CONTINUE;
			}
		};
		try (KernelFixture kernel = fixture().workers(1).plugin(broken).start()) {
			try (RawHttp client = kernel.connect()) {
				assertThat(client.exchange(RawHttp.get("/boom", "localhost")).status()).isEqualTo(500);
			}
			assertThat(kernel.get("/a.txt").status()).isEqualTo(200);
		}
	}

	@Test
	void aFailingHandleMonoIsA500AndTheConnectionServesOn() throws Exception {
		Plugin failing = new TestPlugin("failing", 10, Set.of(Stage.HANDLE)) {
			@Override
			public Mono<HandleResult> handle(Exchange exchange) {
				return exchange.path().equals("/fail") ? Mono.error(new IllegalStateException("backend down"))
						: DECLINE;
			}
		};
		try (KernelFixture kernel = fixture().workers(1).plugin(failing).start(); RawHttp client = kernel.connect()) {
			assertThat(client.exchange(RawHttp.get("/fail", "localhost")).status()).isEqualTo(500);
			assertThat(client.exchange(RawHttp.get("/a.txt", "localhost")).text()).isEqualTo("static");
		}
	}

	@Test
	void aThrowingConnectPluginClosesOnlyThatConnection() throws Exception {
		Plugin throwing = new TestPlugin("throwing", 0, Set.of(Stage.CONNECT)) {
			int count;

			@Override
			public ConnectResult onConnect(ClientConnection connection) {
				if (this.count++ == 0) {
					throw new IllegalStateException("first connection fails");
				}
				return ConnectResult.CONTINUE;
			}
		};
		try (KernelFixture kernel = fixture().workers(1).plugin(throwing).start()) {
			try (RawHttp client = kernel.connect()) {
				assertThat(client.isClosedByServer(2000)).isTrue();
			}
			assertThat(kernel.get("/a.txt").status()).isEqualTo(200);
		}
	}

	@Test
	void logPluginsSeeStatusAndDurationOfEveryResponse() throws Exception {
		List<String> logged = new CopyOnWriteArrayList<>();
		CountDownLatch two = new CountDownLatch(2);
		Plugin logger = new TestPlugin("log", 0, Set.of(Stage.LOG)) {
			@Override
			public void onLog(LogEvent event) {
				logged.add(event.path() + " " + event.status() + " " + event.site().name() + " "
						+ (event.durationNanos() > 0) + " " + (event.exchange() != null));
				two.countDown();
			}
		};
		try (KernelFixture kernel = fixture().plugin(logger).start()) {
			kernel.get("/a.txt");
			kernel.get("/missing");
			assertThat(two.await(5, TimeUnit.SECONDS)).isTrue();
			assertThat(logged).containsExactlyInAnyOrder("/a.txt 200 default true true",
					"/missing 404 default true true");
		}
	}

	@Test
	void aRequestPluginOrderedBeforeAnAuthPluginCannotMakeItBeSkipped() throws Exception {
		// CONTINUE is the only way on at REQUEST: no result there skips the plugins after
		try (KernelFixture kernel = fixture().plugin(recorder("early", 10)).plugin(auth(20)).start()) {
			assertThat(kernel.get("/a.txt").status()).isEqualTo(401);
			assertThat(this.calls).containsExactly("early", "auth");
		}
	}

	@Test
	@SuppressWarnings({ "unchecked", "rawtypes" })
	void aHandleResultSmuggledIntoTheRequestStageIsA500NotASkippedAuthPlugin(CapturedOutput output) throws Exception {
		Plugin smuggler = new TestPlugin("smuggler", 10, Set.of(Stage.REQUEST)) {
			@Override
			public Mono<RequestResult> onRequest(Exchange exchange) {
				return (Mono) HandleResult.DECLINE.mono();
			}
		};
		try (KernelFixture kernel = fixture().plugin(smuggler).plugin(auth(20)).start()) {
			RawHttp.Response response = kernel.get("/a.txt");
			assertThat(response.status()).isEqualTo(500);
			assertThat(response.text()).doesNotContain("static");
		}
		assertThat(output.getOut() + output.getErr())
			.contains("plugin smuggler returned DECLINE at REQUEST (expected: a Mono of CONTINUE, DONE or CLOSE)");
	}

	@Test
	void aNullMonoFromARequestPluginIsA500AndAnErrorLineNamingThePlugin(CapturedOutput output) throws Exception {
		Plugin careless = new TestPlugin("careless", 10, Set.of(Stage.REQUEST)) {
			@Override
			public Mono<RequestResult> onRequest(Exchange exchange) {
				return null;
			}
		};
		try (KernelFixture kernel = fixture().workers(1).plugin(careless).start(); RawHttp client = kernel.connect()) {
			assertThat(client.exchange(RawHttp.get("/a.txt", "localhost")).status()).isEqualTo(500);
		}
		assertThat(output.getOut() + output.getErr())
			.contains("plugin careless returned a null Mono at REQUEST (expected: a Mono of CONTINUE, DONE or CLOSE)");
	}

	@Test
	void anEmptyMonoFromAHandlePluginIsA500AndAnErrorLineNamingThePlugin(CapturedOutput output) throws Exception {
		Plugin forgetful = new TestPlugin("forgetful", 10, Set.of(Stage.HANDLE)) {
			@Override
			public Mono<HandleResult> handle(Exchange exchange) {
				return Mono.empty();
			}
		};
		try (KernelFixture kernel = fixture().plugin(forgetful).start()) {
			assertThat(kernel.get("/a.txt").status()).isEqualTo(500);
		}
		assertThat(output.getOut() + output.getErr())
			.contains("plugin forgetful returned an empty Mono at HANDLE (expected: a Mono of DONE or DECLINE)");
	}

	@Test
	void aNullConnectResultClosesTheConnectionWithAnErrorLineNamingThePlugin(CapturedOutput output) throws Exception {
		Plugin careless = new TestPlugin("careless", 0, Set.of(Stage.CONNECT)) {
			@Override
			public ConnectResult onConnect(ClientConnection connection) {
				return null;
			}
		};
		try (KernelFixture kernel = fixture().plugin(careless).start(); RawHttp client = kernel.connect()) {
			assertThat(client.isClosedByServer(2000)).isTrue();
		}
		assertThat(output.getOut() + output.getErr()).contains("plugin careless returned null at CONNECT on connection")
			.contains("(expected: CONTINUE or CLOSE); closing it");
	}

	@Test
	void errorLogLinesGoToThePluginThatKeepsTheSitesErrorLogs(CapturedOutput output) throws Exception {
		List<String> lines = new CopyOnWriteArrayList<>();
		Plugin keeper = new ErrorLogKeeper(lines, true);
		try (KernelFixture kernel = fixture().plugin(complainer()).plugin(keeper).start()) {
			assertThat(kernel.get("/a.txt").text()).isEqualTo("static");
		}
		assertThat(lines).containsExactly("default /a.txt: script complained\nloudly");
		assertThat(output.getOut() + output.getErr()).doesNotContain("script complained");
	}

	@Test
	void errorLogLinesGoToTheApplicationLogWhenNoPluginKeepsOneForTheSite(CapturedOutput output) throws Exception {
		List<String> lines = new CopyOnWriteArrayList<>();
		try (KernelFixture kernel = fixture().plugin(complainer()).plugin(new ErrorLogKeeper(lines, false)).start()) {
			assertThat(kernel.get("/a.txt").text()).isEqualTo("static");
		}
		assertThat(lines).hasSize(1);
		// one line, its control characters replaced
		assertThat(output.getOut() + output.getErr()).contains("site default: script complained?loudly");
	}

	@Test
	void aPluginThatAnswersWithSendErrorGetsTheKernelsErrorPage() throws Exception {
		Plugin refuser = new TestPlugin("refuser", 10, Set.of(Stage.REQUEST)) {
			@Override
			public Mono<RequestResult> onRequest(Exchange exchange) {
				return exchange.sendError(403).thenReturn(RequestResult.DONE);
			}
		};
		try (KernelFixture kernel = fixture().defaultSite(Map.of("error-pages", Map.of("403", "/403.html")))
			.file("403.html", "custom forbidden")
			.plugin(refuser)
			.start()) {
			RawHttp.Response response = kernel.get("/a.txt");
			assertThat(response.status()).isEqualTo(403);
			assertThat(response.text()).isEqualTo("custom forbidden");
		}
	}

	@Test
	void aPluginThatFailsToStartStopsTheStartWithItsNameAndStopsThePluginsStartedBefore() throws Exception {
		List<String> lifecycle = new CopyOnWriteArrayList<>();
		Plugin first = new TestPlugin("first", 0, Set.of(Stage.LOG)) {
			@Override
			public void start() {
				lifecycle.add("first started");
			}

			@Override
			public void stop() {
				lifecycle.add("first stopped");
			}
		};
		Plugin broken = new TestPlugin("broken", 10, Set.of(Stage.LOG)) {
			@Override
			public void start() {
				throw new IllegalStateException("no log directory");
			}

			@Override
			public void stop() {
				lifecycle.add("broken stopped");
			}
		};
		assertThatIllegalStateException().isThrownBy(() -> fixture().plugin(broken).plugin(first).start())
			.withMessage("plugin broken failed to start: no log directory");
		assertThat(lifecycle).containsExactly("first started", "first stopped");
	}

	@Test
	void closePluginsAreToldWhenAConnectionEnds() throws Exception {
		CompletableFuture<String> closed = new CompletableFuture<>();
		Plugin watcher = new TestPlugin("close", 0, Set.of(Stage.CONNECT, Stage.CLOSE)) {
			@Override
			public void onClose(ClientConnection connection) {
				closed.complete(connection.id());
			}
		};
		try (KernelFixture kernel = fixture().plugin(watcher).start()) {
			kernel.get("/a.txt");
			assertThat(closed.get(5, TimeUnit.SECONDS)).isNotEmpty();
		}
	}

	@Test
	void aPluginThatFinishesOnAnotherThreadStillGetsStaticFiles() throws Exception {
		Plugin offLoop = new TestPlugin("off-loop", 0, Set.of(Stage.REQUEST)) {
			@Override
			public Mono<RequestResult> onRequest(Exchange exchange) {
				return Mono.fromCallable(() -> RequestResult.CONTINUE).subscribeOn(Schedulers.boundedElastic());
			}
		};
		try (KernelFixture kernel = fixture().plugin(offLoop).start()) {
			assertThat(kernel.get("/a.txt").text()).isEqualTo("static");
		}
	}

	@Test
	void gracefulShutdownLetsARequestInFlightFinish() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		Plugin slow = new TestPlugin("slow", 0, Set.of(Stage.REQUEST)) {
			@Override
			public Mono<RequestResult> onRequest(Exchange exchange) {
				started.countDown();
				return Mono.delay(Duration.ofMillis(500)).thenReturn(RequestResult.CONTINUE);
			}
		};
		KernelFixture kernel = fixture().plugin(slow).start();
		try (RawHttp client = kernel.connect()) {
			client.send(RawHttp.get("/a.txt", "localhost"));
			assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
			CompletableFuture<Void> stopping = CompletableFuture.runAsync(kernel::close);
			RawHttp.Response response = client.read();
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.text()).isEqualTo("static");
			stopping.get(15, TimeUnit.SECONDS);
		}
		finally {
			kernel.close();
		}
	}

	@Test
	void aPluginReadsTheStateItPreparedFromTheSnapshotOfItsRequest() throws Exception {
		Plugin greeter = new TestPlugin("greeter", 0, Set.of(Stage.HANDLE)) {
			@Override
			public Object prepare(SiteTable sites) {
				Object greeting = sites.sites().get(0).setting("greeting");
				if (greeting != null && !(greeting instanceof String)) {
					throw new IllegalArgumentException(
							"site " + sites.sites().get(0).name() + ": greeting: expected text");
				}
				return greeting;
			}

			@Override
			public Mono<HandleResult> handle(Exchange exchange) {
				String greeting = exchange.state(this);
				byte[] body = String.valueOf(greeting).getBytes(StandardCharsets.UTF_8);
				return exchange.response()
					.header("Content-Length", Integer.toString(body.length))
					.sendByteArray(Mono.just(body))
					.then()
					.thenReturn(HandleResult.DONE);
			}
		};
		try (KernelFixture kernel = fixture().defaultSite(Map.of("greeting", "hello")).plugin(greeter).start()) {
			assertThat(kernel.get("/").text()).isEqualTo("hello");
			SiteTable current = kernel.server().sites();
			Site site = current.sites().get(0);
			Map<String, Object> settings = new HashMap<>(site.settings());
			settings.put("greeting", "bonjour");
			kernel.server().sites(SiteTable.of(copy(site, settings)));
			assertThat(kernel.get("/").text()).isEqualTo("bonjour");
			settings.put("greeting", List.of("not", "text"));
			assertThatIllegalArgumentException()
				.isThrownBy(() -> kernel.server().sites(SiteTable.of(copy(site, settings))))
				.withMessage("plugin greeter: site default: greeting: expected text");
			assertThat(kernel.get("/").text()).as("the running table stays").isEqualTo("bonjour");
		}
	}

	private static Site copy(Site site, Map<String, Object> settings) {
		return new Site(site.name(), site.serverNames(), site.isDefault(), site.listen(), site.documentRoot(),
				site.indexFiles(), site.errorPages(), site.fdt(), site.followSymlinks(), site.hiddenFiles(),
				site.precompressed(), site.tls(), site.locations(), settings);
	}

	private KernelFixture.Builder fixture() throws Exception {
		return KernelFixture.builder(this.temp)
			.transport(this.transport)
			.file("a.txt", "static")
			.file("b.html", "<p>static</p>");
	}

	private Plugin recorder(String name, int order) {
		return new TestPlugin(name, order, Set.of(Stage.REQUEST)) {
			@Override
			public Mono<RequestResult> onRequest(Exchange exchange) {
				PluginStagesSocketTests.this.calls.add(name);
				return CONTINUE;
			}
		};
	}

	/** An authentication-like plugin: refuses every request with 401. */
	private Plugin auth(int order) {
		return new TestPlugin("auth", order, Set.of(Stage.REQUEST)) {
			@Override
			public Mono<RequestResult> onRequest(Exchange exchange) {
				PluginStagesSocketTests.this.calls.add("auth");
				return exchange.sendError(401).thenReturn(RequestResult.DONE);
			}
		};
	}

	private static Plugin handler(String name, int order, Function<Exchange, Boolean> claims) {
		return new TestPlugin(name, order, Set.of(Stage.HANDLE)) {
			@Override
			public Mono<HandleResult> handle(Exchange exchange) {
				if (!claims.apply(exchange)) {
					return DECLINE;
				}
				byte[] body = ("from " + name).getBytes(StandardCharsets.UTF_8);
				return exchange.response()
					.header("Content-Length", Integer.toString(body.length))
					.sendByteArray(Mono.just(body))
					.then()
					.thenReturn(HandleResult.DONE);
			}
		};
	}

	/** A REQUEST plugin that writes a line to the site's error log. */
	private static Plugin complainer() {
		return new TestPlugin("complainer", 10, Set.of(Stage.REQUEST)) {
			@Override
			public Mono<RequestResult> onRequest(Exchange exchange) {
				exchange.logError("script complained\nloudly");
				return CONTINUE;
			}
		};
	}

	/** Keeps error logs: records each line, and says whether the site has one. */
	private static final class ErrorLogKeeper extends TestPlugin implements SiteErrorLog {

		private final List<String> lines;

		private final boolean kept;

		ErrorLogKeeper(List<String> lines, boolean kept) {
			super("keeper", 40, Set.of(Stage.LOG));
			this.lines = lines;
			this.kept = kept;
		}

		@Override
		public boolean logError(Exchange exchange, String message) {
			this.lines.add(exchange.site().name() + " " + exchange.path() + ": " + message);
			return this.kept;
		}

	}

	private abstract static class TestPlugin implements Plugin {

		private final String name;

		private final int order;

		private final Set<Stage> stages;

		TestPlugin(String name, int order, Set<Stage> stages) {
			this.name = name;
			this.order = order;
			this.stages = stages;
		}

		@Override
		public String name() {
			return this.name;
		}

		@Override
		public int order() {
			return this.order;
		}

		@Override
		public Set<Stage> stages() {
			return this.stages;
		}

	}

}
