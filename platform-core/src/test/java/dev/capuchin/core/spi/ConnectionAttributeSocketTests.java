package dev.capuchin.core.spi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Plugins' connection attributes ({@link ClientConnection#attribute(ConnectionKey)}) over
 * real sockets, on every transport: kept across the requests of one connection, never
 * seen by another, gone once it closes, and shared by the streams of an HTTP/2
 * connection, which all run on its event loop.
 */
@EveryTransport
class ConnectionAttributeSocketTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final ConnectionKey<Integer> COUNT = ConnectionKey.of("test.count", Integer.class);

	@TempDir
	Path temp;

	@Parameter
	Transport transport;

	/** What the counter saw per request: connection id, the count before, the thread. */
	private final List<String> seen = new CopyOnWriteArrayList<>();

	@Test
	void aValueKeptOnAConnectionIsSeenByItsNextRequest() throws Exception {
		try (KernelFixture kernel = fixture().plugin(new Counter()).start(); RawHttp http = kernel.connect()) {
			assertThat(http.exchange(request()).header("X-Count")).isEqualTo("0");
			assertThat(http.exchange(request()).header("X-Count")).isEqualTo("1");
			assertThat(http.exchange(request()).header("X-Count")).isEqualTo("2");
		}
	}

	@Test
	void anotherConnectionNeverSeesIt() throws Exception {
		try (KernelFixture kernel = fixture().plugin(new Counter()).start();
				RawHttp first = kernel.connect();
				RawHttp second = kernel.connect()) {
			assertThat(first.exchange(request()).header("X-Count")).isEqualTo("0");
			assertThat(first.exchange(request()).header("X-Count")).isEqualTo("1");
			assertThat(second.exchange(request()).header("X-Count")).isEqualTo("0");
			assertThat(first.exchange(request()).header("X-Count")).isEqualTo("2");
		}
	}

	@Test
	void closePluginsStillReadTheValuesAndThenTheyAreGone() throws Exception {
		CompletableFuture<ClientConnection> closed = new CompletableFuture<>();
		List<Integer> atClose = new CopyOnWriteArrayList<>();
		Plugin watcher = new TestPlugin("close", Set.of(Stage.CLOSE)) {
			@Override
			public void onClose(ClientConnection connection) {
				atClose.add(connection.attribute(COUNT));
				closed.complete(connection);
			}
		};
		try (KernelFixture kernel = fixture().plugin(new Counter()).plugin(watcher).start()) {
			try (RawHttp http = kernel.connect()) {
				http.exchange(request());
				http.exchange(request());
			}
			ClientConnection connection = closed.get(5, TimeUnit.SECONDS);
			assertThat(atClose).containsExactly(2);
			await().atMost(TIMEOUT).until(() -> connection.attribute(COUNT) == null);
			connection.attribute(COUNT, 7);
			assertThat(connection.attribute(COUNT)).as("a write after the close is ignored").isNull();
		}
	}

	@Test
	void aValueIsReplacedAndRemoved() throws Exception {
		ConnectionKey<String> other = ConnectionKey.of("test.other", String.class);
		List<Object> values = new CopyOnWriteArrayList<>();
		Plugin plugin = new TestPlugin("replacer", Set.of(Stage.CONNECT)) {
			@Override
			public ConnectResult onConnect(ClientConnection connection) {
				connection.attribute(COUNT, 1);
				connection.attribute(other, "kept");
				connection.attribute(COUNT, 2);
				values.add(connection.attribute(COUNT));
				connection.attribute(COUNT, null);
				values.add(String.valueOf(connection.attribute(COUNT)));
				values.add(connection.attribute(other));
				return ConnectResult.CONTINUE;
			}
		};
		try (KernelFixture kernel = fixture().plugin(plugin).start()) {
			assertThat(kernel.get("/a.txt").status()).isEqualTo(200);
			assertThat(values).containsExactly(2, "null", "kept");
		}
	}

	@Test
	@SuppressWarnings({ "unchecked", "rawtypes" })
	void aValueOfAnotherTypeThanItsKeysIsRefused() throws Exception {
		List<String> failures = new CopyOnWriteArrayList<>();
		Plugin plugin = new TestPlugin("wrong-type", Set.of(Stage.CONNECT)) {
			@Override
			public ConnectResult onConnect(ClientConnection connection) {
				try {
					connection.attribute((ConnectionKey) COUNT, "seven");
				}
				catch (ClassCastException ex) {
					failures.add(ex.getClass().getSimpleName());
				}
				failures.add(String.valueOf(connection.attribute(COUNT)));
				return ConnectResult.CONTINUE;
			}
		};
		try (KernelFixture kernel = fixture().plugin(plugin).start()) {
			assertThat(kernel.get("/a.txt").status()).isEqualTo(200);
			assertThat(failures).containsExactly("ClassCastException", "null");
		}
	}

	@Test
	void aConnectionHoldsAtMostTheLimitOfKeys() throws Exception {
		List<String> failures = new CopyOnWriteArrayList<>();
		Plugin plugin = new TestPlugin("key-per-request", Set.of(Stage.CONNECT)) {
			@Override
			public ConnectResult onConnect(ClientConnection connection) {
				List<ConnectionKey<Integer>> keys = new ArrayList<>();
				for (int i = 0; i <= ClientConnection.MAX_ATTRIBUTES; i++) {
					keys.add(ConnectionKey.of("test.key-" + i, Integer.class));
				}
				try {
					for (ConnectionKey<Integer> key : keys) {
						connection.attribute(key, 1);
					}
				}
				catch (IllegalStateException ex) {
					failures.add(ex.getMessage());
				}
				// replacing a value under a key it holds is still fine
				connection.attribute(keys.get(0), 2);
				failures.add(String.valueOf(connection.attribute(keys.get(0))));
				return ConnectResult.CONTINUE;
			}
		};
		try (KernelFixture kernel = fixture().plugin(plugin).start()) {
			assertThat(kernel.get("/a.txt").status()).isEqualTo(200);
			assertThat(failures).hasSize(2);
			assertThat(failures.get(0)).contains("test.key-" + ClientConnection.MAX_ATTRIBUTES)
				.contains("already " + ClientConnection.MAX_ATTRIBUTES + " attributes");
			assertThat(failures.get(1)).isEqualTo("2");
		}
	}

	@Test
	void theStreamsOfAnHttp2ConnectionShareItsAttributesOnItsEventLoop() throws Exception {
		int streams = 8;
		List<String> loops = new CopyOnWriteArrayList<>();
		ConnectionProvider one = ConnectionProvider.create("one-connection", 1);
		try (KernelFixture kernel = fixture().listener((listener) -> listener.withHttp2(true))
			.plugin(new Counter())
			.start()) {
			HttpClient client = HttpClient.create(one)
				.protocol(HttpProtocol.H2C)
				.baseUrl("http://127.0.0.1:" + kernel.port());
			List<String> counts = Flux.range(0, streams)
				.flatMap((i) -> client.get()
					.uri("/a.txt")
					.responseSingle((response, body) -> body.asString()
						.map((text) -> response.responseHeaders().get("x-count"))))
				.collectList()
				.block(TIMEOUT);
			assertThat(counts).hasSize(streams);
			assertThat(this.seen).hasSize(streams);
			// one connection, one thread, and every stream saw the one before it
			assertThat(this.seen.stream().map((entry) -> entry.split(" ")[0]).distinct()).hasSize(1);
			assertThat(this.seen.stream().map((entry) -> entry.split(" ")[2]).distinct()).hasSize(1);
			assertThat(this.seen.stream().map((entry) -> entry.split(" ")[1]))
				.containsExactlyInAnyOrderElementsOf(List.of("0", "1", "2", "3", "4", "5", "6", "7"));
			assertThat(this.seen.stream().map((entry) -> entry.split(" ")[3]).distinct())
				.as("each stream runs on its connection's event loop")
				.containsExactly("same-loop");
		}
		finally {
			one.dispose();
		}
	}

	private KernelFixture.Builder fixture() throws Exception {
		return KernelFixture.builder(this.temp).transport(this.transport).file("a.txt", "static");
	}

	private static String request() {
		return "GET /a.txt HTTP/1.1\r\nHost: localhost\r\n\r\n";
	}

	/**
	 * Counts the requests of each connection in a connection attribute, and answers the
	 * count before the request in {@code X-Count}.
	 */
	private final class Counter extends TestPlugin {

		Counter() {
			super("counter", Set.of(Stage.REQUEST));
		}

		@Override
		public Mono<RequestResult> onRequest(Exchange exchange) {
			ClientConnection connection = exchange.connection();
			Integer count = connection.attribute(COUNT);
			int before = (count != null) ? count : 0;
			connection.attribute(COUNT, before + 1);
			boolean[] sameLoop = new boolean[1];
			exchange.request().withConnection((Connection stream) -> {
				io.netty.channel.Channel channel = stream.channel();
				io.netty.channel.Channel parent = (channel.parent() != null) ? channel.parent() : channel;
				sameLoop[0] = channel.eventLoop() == parent.eventLoop() && channel.eventLoop().inEventLoop();
			});
			ConnectionAttributeSocketTests.this.seen.add(connection.id() + " " + before + " "
					+ Thread.currentThread().getName() + " " + (sameLoop[0] ? "same-loop" : "other-loop"));
			exchange.response().header("X-Count", Integer.toString(before));
			return CONTINUE;
		}

	}

	private abstract static class TestPlugin implements Plugin {

		private final String name;

		private final Set<Stage> stages;

		TestPlugin(String name, Set<Stage> stages) {
			this.name = name;
			this.stages = stages;
		}

		@Override
		public String name() {
			return this.name;
		}

		@Override
		public Set<Stage> stages() {
			return this.stages;
		}

	}

}
