package dev.capuchin.plugin.proxy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pipelined HTTP/1.1 requests through a proxied location over real sockets: every request
 * written at once is answered, in order, with its own body (RFC 9112 §9.3.2), and the
 * connection stays open. Runs on every transport.
 */
@EveryTransport
class PipeliningSocketTests {

	/**
	 * Connections each test opens: the lost read of netty#17049 stalled one in about
	 * twenty on io_uring.
	 */
	private static final int ROUNDS = 60;

	@TempDir
	Path temp;

	@Parameter
	Transport transport;

	@RegisterExtension
	final Closing closing = new Closing();

	private KernelFixture kernel;

	/** A server answering each request with its method, path and body. */
	private Backend echo() {
		Backend backend = Backend.handling("echo",
				(request, response) -> response.header("Content-Type", "text/plain")
					.sendString(request.receive()
						.aggregate()
						.asString(StandardCharsets.UTF_8)
						.defaultIfEmpty("")
						.map((body) -> request.method().name() + " " + request.uri() + " " + body)));
		this.closing.add(backend);
		return backend;
	}

	private void start(Backend backend) throws Exception {
		this.kernel = this.closing.add(KernelFixture.builder(this.temp)
			.transport(this.transport)
			.plugin(new ProxyPlugin(ProxySettings.DEFAULTS))
			.defaultSite(Backend.proxied("/app/", Map.of("servers", List.of(backend.url()))))
			.start());
	}

	private static String request(String method, String path, String body) {
		String head = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n";
		if (body == null) {
			return head + "\r\n";
		}
		return head + "Content-Length: " + body.length() + "\r\n\r\n" + body;
	}

	@Test
	void threePipelinedGetsAreAnsweredInOrder() throws Exception {
		start(echo());
		try (RawHttp http = this.kernel.connect()) {
			http.send(request("GET", "/app/1", null) + request("GET", "/app/2", null) + request("GET", "/app/3", null));
			List<String> bodies = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				RawHttp.Response response = http.read();
				assertThat(response.status()).isEqualTo(200);
				bodies.add(response.text());
			}
			assertThat(bodies).containsExactly("GET /app/1 ", "GET /app/2 ", "GET /app/3 ");
			assertThat(http.exchange(request("GET", "/app/4", null)).text()).isEqualTo("GET /app/4 ");
		}
	}

	@Test
	void pipelinedGetHeadGetAreAnsweredInOrder() throws Exception {
		start(echo());
		try (RawHttp http = this.kernel.connect()) {
			http.send(
					request("GET", "/app/1", null) + request("HEAD", "/app/2", null) + request("GET", "/app/3", null));
			RawHttp.Response first = http.read();
			RawHttp.Response head = http.readHead();
			RawHttp.Response third = http.read();
			assertThat(first.text()).isEqualTo("GET /app/1 ");
			assertThat(head.status()).isEqualTo(200);
			assertThat(third.text()).isEqualTo("GET /app/3 ");
			assertThat(http.exchange(request("GET", "/app/4", null)).text()).isEqualTo("GET /app/4 ");
		}
	}

	@Test
	void pipelinedPostBodyBetweenGetsGoesToItsOwnRequest() throws Exception {
		start(echo());
		try (RawHttp http = this.kernel.connect()) {
			http.send(request("GET", "/app/1", null) + request("POST", "/app/2", "name=capuchin")
					+ request("GET", "/app/3", null));
			List<String> bodies = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				bodies.add(http.read().text());
			}
			assertThat(bodies).containsExactly("GET /app/1 ", "POST /app/2 name=capuchin", "GET /app/3 ");
			assertThat(http.exchange(request("GET", "/app/4", null)).text()).isEqualTo("GET /app/4 ");
		}
	}

	@Test
	void pipelinedGetsWithStreamedAnswersAreAllAnswered() throws Exception {
		// a body of unknown length streams through the proxy with back-pressure: each
		// answer ends inside a read of the pooled upstream connection, which the next
		// pipelined request reuses at once
		String half = "x".repeat(40_000);
		Backend backend = Backend.handling("stream",
				(request, response) -> response.sendString(Flux.just(request.uri() + " ", half, half)));
		this.closing.add(backend);
		start(backend);
		for (int round = 0; round < ROUNDS; round++) {
			try (RawHttp http = this.kernel.connect()) {
				http.send(request("GET", "/app/1", null) + request("GET", "/app/2", null)
						+ request("GET", "/app/3", null));
				for (int i = 1; i <= 3; i++) {
					RawHttp.Response response = http.read();
					assertThat(response.status()).isEqualTo(200);
					assertThat(response.text()).startsWith("/app/" + i + " ")
						.hasSize(("/app/" + i + " ").length() + 2 * half.length());
				}
			}
		}
	}

	@Test
	void upstreamConnectionCloseDoesNotCloseThePipelinedConnection() throws Exception {
		Backend backend = Backend.handling("closing",
				(request, response) -> response.header("Connection", "close").sendString(Mono.just(request.uri())));
		this.closing.add(backend);
		start(backend);
		try (RawHttp http = this.kernel.connect()) {
			http.send(request("GET", "/app/1", null) + request("GET", "/app/2", null) + request("GET", "/app/3", null));
			List<String> bodies = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				bodies.add(http.read().text());
			}
			assertThat(bodies).containsExactly("/app/1", "/app/2", "/app/3");
			assertThat(http.isClosedByServer(200)).isFalse();
		}
	}

}
