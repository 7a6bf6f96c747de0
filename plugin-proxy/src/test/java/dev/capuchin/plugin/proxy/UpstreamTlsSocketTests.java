package dev.capuchin.plugin.proxy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.capuchin.core.spi.Exchange;
import dev.capuchin.core.spi.Plugin;
import dev.capuchin.core.spi.RequestResult;
import dev.capuchin.core.spi.Stage;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import dev.capuchin.core.testing.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.server.HttpServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code https://} servers are verified unless a location names a CA file or turns
 * verification off; the authenticated user reaches the server only through the location's
 * {@code user-header}.
 */
class UpstreamTlsSocketTests {

	@TempDir
	Path temp;

	private DisposableServer server;

	private TestCertificates.Issued certificate;

	private KernelFixture kernel;

	@BeforeEach
	void httpsBackend() {
		this.certificate = TestCertificates.issue(this.temp.resolve("certificates"), "localhost", "127.0.0.1");
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.secure((spec) -> spec.sslContext(Http11SslContextSpec
				.forServer(this.certificate.certificateFile().toFile(), this.certificate.privateKeyFile().toFile())))
			.handle((request, response) -> response
				.sendString(Mono.just("secure " + request.requestHeaders().get("X-Remote-User", "nobody"))))
			.bindNow(Duration.ofSeconds(10));
	}

	@AfterEach
	void close() {
		if (this.kernel != null) {
			this.kernel.close();
		}
		this.server.disposeNow(Duration.ofSeconds(5));
	}

	private void start(Map<String, Object> proxy, Plugin... more) throws Exception {
		KernelFixture.Builder builder = KernelFixture.builder(this.temp)
			.plugin(new ProxyPlugin(ProxySettings.DEFAULTS))
			.defaultSite(Backend.proxied("/", proxy));
		for (Plugin plugin : more) {
			builder.plugin(plugin);
		}
		this.kernel = builder.start();
	}

	private String url() {
		return "https://127.0.0.1:" + this.server.port();
	}

	@Test
	void untrustedCertificateIsRefusedByDefault() throws Exception {
		start(Map.of("servers", List.of(url())));
		assertThat(this.kernel.get("/").status()).isEqualTo(502);
	}

	@Test
	void caFileMakesTheServerTrusted() throws Exception {
		start(Map.of("servers", List.of(url()), "tls",
				Map.of("ca-file", this.certificate.certificateFile().toString())));
		RawHttp.Response response = this.kernel.get("/");
		assertThat(response.status()).isEqualTo(200);
		assertThat(Backend.text(response.body())).isEqualTo("secure nobody");
	}

	@Test
	void verifyOffAcceptsAnyCertificate() throws Exception {
		start(Map.of("servers", List.of(url()), "tls", Map.of("verify", false)));
		assertThat(this.kernel.get("/").status()).isEqualTo(200);
	}

	@Test
	void authenticatedUserGoesInTheUserHeaderAndAForgedOneIsRemoved() throws Exception {
		Plugin authenticating = new Plugin() {
			@Override
			public String name() {
				return "test-auth";
			}

			@Override
			public Set<Stage> stages() {
				return Set.of(Stage.REQUEST);
			}

			@Override
			public Mono<RequestResult> onRequest(Exchange exchange) {
				if (exchange.path().startsWith("/alice")) {
					exchange.attribute(Exchange.USER, "alice");
				}
				return CONTINUE;
			}
		};
		start(Map.of("servers", List.of(url()), "tls", Map.of("verify", false), "user-header", "X-Remote-User"),
				authenticating);
		try (RawHttp http = this.kernel.connect()) {
			RawHttp.Response forged = http
				.exchange("GET /bob HTTP/1.1\r\nHost: localhost\r\nX-Remote-User: root\r\n\r\n");
			assertThat(Backend.text(forged.body())).isEqualTo("secure nobody");
			RawHttp.Response alice = http
				.exchange("GET /alice HTTP/1.1\r\nHost: localhost\r\nX-Remote-User: root\r\n\r\n");
			assertThat(Backend.text(alice.body())).isEqualTo("secure alice");
		}
	}

}
