package dev.capuchin.plugin.proxy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import io.netty.handler.codec.http.HttpHeaders;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A real HTTP server on a loopback port for the proxy to talk to: by default it answers
 * every request with its own name and records what it received.
 */
final class Backend implements AutoCloseable {

	final String name;

	final List<Received> received = new CopyOnWriteArrayList<>();

	final AtomicInteger inFlight = new AtomicInteger();

	/** The connections open to this server now. */
	final AtomicInteger open = new AtomicInteger();

	/** The connections ever accepted by this server. */
	final AtomicInteger accepted = new AtomicInteger();

	private volatile BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> handler;

	private final DisposableServer server;

	private Backend(String name, BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> handler) {
		this.name = name;
		this.handler = handler;
		this.server = HttpServer.create().host("127.0.0.1").port(0).doOnChannelInit((observer, channel, address) -> {
			// once per connection (a keep-alive connection's requests are not counted)
			this.accepted.incrementAndGet();
			this.open.incrementAndGet();
			channel.closeFuture().addListener((closed) -> this.open.decrementAndGet());
		}).handle((request, response) -> {
			this.received.add(new Received(request.method().name(), request.uri(), request.requestHeaders().copy()));
			return this.handler.apply(request, response);
		}).bindNow(Duration.ofSeconds(10));
	}

	static Backend named(String name) {
		Backend backend = new Backend(name, null);
		backend.handler = (request, response) -> response.header("Content-Type", "text/plain")
			.sendString(Mono.just(name));
		return backend;
	}

	static Backend handling(String name, BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> handler) {
		return new Backend(name, handler);
	}

	void handler(BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> handler) {
		this.handler = handler;
	}

	String url() {
		return "http://127.0.0.1:" + this.server.port();
	}

	int port() {
		return this.server.port();
	}

	Received last() {
		return this.received.get(this.received.size() - 1);
	}

	@Override
	public void close() {
		this.server.disposeNow(Duration.ofSeconds(5));
	}

	static String text(byte[] body) {
		return new String(body, StandardCharsets.UTF_8);
	}

	static Map<String, Object> proxied(String path, Map<String, Object> proxy) {
		return Map.of("locations", List.of(Map.of("path", path, "proxy", proxy)));
	}

	record Received(String method, String uri, HttpHeaders headers) {
	}

}
