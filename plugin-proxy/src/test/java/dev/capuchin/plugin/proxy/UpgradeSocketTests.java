package dev.capuchin.plugin.proxy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

import java.util.List;
import java.util.Map;

import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import dev.capuchin.core.testing.TestCertificates;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.http.server.WebsocketServerSpec;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WebSocket pass-through, plain and over a TLS listener, and requests arriving over TLS
 * and HTTP/2.
 */
class UpgradeSocketTests {

	@TempDir
	Path temp;

	@RegisterExtension
	final Closing closing = new Closing();

	private KernelFixture kernel;

	private TestCertificates.Issued certificate;

	private Backend echo() {
		Backend backend = Backend.handling("echo",
				(request, response) -> request.requestHeaders().containsValue("Upgrade", "websocket", true)
						? response.sendWebsocket(
								(in, out) -> out.sendObject(in.receiveFrames().map(WebSocketFrame::retain)),
								WebsocketServerSpec.builder().protocols("chat").build())
						: response.sendString(reactor.core.publisher.Mono.just("plain " + request.protocol())));
		this.closing.add(backend);
		return backend;
	}

	private void start(Backend backend, boolean tls, boolean h2) throws Exception {
		KernelFixture.Builder builder = KernelFixture.builder(this.temp)
			.plugin(new ProxyPlugin(ProxySettings.DEFAULTS))
			.defaultSite(Backend.proxied("/", Map.of("servers", List.of(backend.url()))));
		if (tls) {
			this.certificate = TestCertificates.issue(this.temp.resolve("certificates"), "localhost", "127.0.0.1");
			builder.listener((listener) -> listener.withTls(this.certificate.tls(), h2));
		}
		this.kernel = this.closing.add(builder.start());
	}

	private HttpClient client(boolean tls) {
		HttpClient client = HttpClient.create()
			.baseUrl((tls ? "https" : "http") + "://localhost:" + this.kernel.port());
		if (tls) {
			client = client.secure((spec) -> spec.sslContext(Http11SslContextSpec.forClient()
				.configure((builder) -> builder.trustManager(this.certificate.certificate()))));
		}
		return client;
	}

	private List<String> echoed(HttpClient client) {
		return client.websocket(WebsocketClientSpec.builder().protocols("chat").build())
			.uri("/ws")
			.handle((in, out) -> out.sendString(Flux.just("one", "two", "three"))
				.then()
				.thenMany(in.receive().asString().take(3)))
			.collectList()
			.block(Duration.ofSeconds(15));
	}

	@Test
	void webSocketFramesPassBothWays() throws Exception {
		start(echo(), false, false);
		assertThat(echoed(client(false))).containsExactly("one", "two", "three");
	}

	@Test
	void anUpgradeToAnotherProtocolIs501AndReachesNoServer() throws Exception {
		Backend backend = echo();
		start(backend, false, false);
		try (RawHttp http = RawHttp.connect(new InetSocketAddress("127.0.0.1", this.kernel.port()))) {
			RawHttp.Response response = http.exchange(
					"GET /tunnel HTTP/1.1\r\nHost: localhost\r\n" + "Connection: Upgrade\r\nUpgrade: tcp-echo\r\n\r\n");
			assertThat(response.status()).isEqualTo(501);
		}
		assertThat(backend.received).isEmpty();
	}

	@Test
	void anOptionalH2cUpgradeIsIgnoredAndTheRequestAnsweredInHttp11() throws Exception {
		Backend backend = echo();
		start(backend, false, false);
		try (RawHttp http = RawHttp.connect(new InetSocketAddress("127.0.0.1", this.kernel.port()))) {
			RawHttp.Response response = http.exchange("GET /x HTTP/1.1\r\nHost: localhost\r\n"
					+ "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n");
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.text()).isEqualTo("plain HTTP/1.1");
		}
		assertThat(backend.last().headers().names()).map(String::toLowerCase)
			.doesNotContain("upgrade", "http2-settings");
	}

	@Test
	void webSocketUpgradeWorksOverTls() throws Exception {
		start(echo(), true, false);
		assertThat(echoed(client(true))).containsExactly("one", "two", "three");
	}

	@Test
	void requestOverTlsIsProxied() throws Exception {
		start(echo(), true, false);
		String body = client(true).get()
			.uri("/x")
			.responseContent()
			.aggregate()
			.asString()
			.block(Duration.ofSeconds(10));
		assertThat(body).isEqualTo("plain HTTP/1.1");
	}

	@Test
	void requestOverHttp2IsProxiedOverHttp11() throws Exception {
		start(echo(), true, true);
		String body = HttpClient.create()
			.baseUrl("https://localhost:" + this.kernel.port())
			.protocol(HttpProtocol.H2)
			.secure((spec) -> spec.sslContext(Http2SslContextSpec.forClient()
				.configure((builder) -> builder.trustManager(this.certificate.certificate()))))
			.get()
			.uri("/x")
			.responseContent()
			.aggregate()
			.asString()
			.block(Duration.ofSeconds(10));
		assertThat(body).isEqualTo("plain HTTP/1.1");
	}

}
