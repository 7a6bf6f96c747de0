package dev.capuchin.core.internal.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.spi.CertificateProvider;
import dev.capuchin.core.spi.Plugin;
import dev.capuchin.core.spi.Stage;
import dev.capuchin.core.spi.TlsCertificate;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import dev.capuchin.core.testing.TestCertificates;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An ACME TLS listener (listener 0) and a plain one (listener 1) with a site whose
 * certificate comes from a {@link CertificateProvider}: a placeholder until it is issued,
 * the issued one from the next handshake on, and plain HTTP redirected to HTTPS except
 * the challenge path.
 */
@EveryTransport
class AcmeTlsSocketTests {

	private static final String SHOP = "shop.example.com";

	@TempDir
	Path temp;

	@Parameter
	Transport transport;

	private final Issuer issuer = new Issuer();

	private KernelFixture kernel;

	@BeforeEach
	void start() throws IOException {
		this.kernel = KernelFixture.builder(this.temp)
			.transport(this.transport)
			.listener((listener) -> listener.withTls(TlsCertificate.acme(CertificateProvider.LISTENER), false))
			.settings((settings) -> new ServerSettings(
					List.of(settings.listeners().get(0), ListenerSettings.plain(new InetSocketAddress("127.0.0.1", 0))),
					settings.workers(), settings.transport(), settings.balancing(), settings.limits(), settings.fdt(),
					settings.shutdownTimeout(), settings.tls()))
			.defaultSite(Map.of("server-names", List.of(SHOP), "tls", Map.of("acme", true)))
			.file("who.txt", "shop")
			.plugin(this.issuer)
			.start();
	}

	@AfterEach
	void stop() {
		if (this.kernel != null) {
			this.kernel.close();
		}
	}

	@Test
	void beforeIssuanceTheListenerShakesHandsWithAPlaceholder() throws Exception {
		try (SSLSocket socket = connect(trustingAnything())) {
			X509Certificate shown = (X509Certificate) socket.getSession().getPeerCertificates()[0];
			assertThat(shown.getSubjectX500Principal().getName()).isEqualTo("CN=Capuchin ACME placeholder");
		}
	}

	@Test
	void anIssuedCertificateIsServedFromTheNextHandshakeWithoutARestart() throws Exception {
		try (SSLSocket socket = connect(trustingAnything())) {
			assertThat(socket.getSession().getPeerCertificates()).isNotEmpty();
		}
		TestCertificates.Issued issued = TestCertificates.issue(this.temp.resolve("issued"), SHOP);
		this.issuer.issued = issued.tls();
		try (SSLSocket socket = connect(TestCertificates.trusting(List.of(issued.certificate())));
				RawHttp http = RawHttp.over(socket)) {
			RawHttp.Response response = http.exchange(RawHttp.get("/who.txt", SHOP));
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.text()).isEqualTo("shop");
		}
	}

	@Test
	void plainHttpToAnAcmeSiteIsRedirectedToHttps() throws Exception {
		try (RawHttp http = RawHttp.connect(this.kernel.address(1))) {
			RawHttp.Response response = http.exchange(RawHttp.get("/who.txt", SHOP));
			assertThat(response.status()).isEqualTo(301);
			assertThat(response.header("location"))
				.isEqualTo("https://" + SHOP + ":" + this.kernel.address(0).getPort() + "/who.txt");
		}
	}

	@Test
	void theChallengePathOfAnAcmeSiteIsNotRedirected() throws Exception {
		try (RawHttp http = RawHttp.connect(this.kernel.address(1))) {
			RawHttp.Response response = http.exchange(RawHttp.get("/.well-known/acme-challenge/token", SHOP));
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.text()).isEqualTo("token.thumbprint");
		}
	}

	// names the site by SNI and checks the name against the certificate
	private SSLSocket connect(SSLContext trust) throws IOException {
		Socket plain = new Socket();
		plain.connect(this.kernel.address(0), 5000);
		plain.setSoTimeout(10_000);
		SSLSocket socket = (SSLSocket) trust.getSocketFactory()
			.createSocket(plain, SHOP, this.kernel.address(0).getPort(), true);
		socket.startHandshake();
		return socket;
	}

	// only to look at the placeholder, which no client is meant to trust
	private static SSLContext trustingAnything() throws Exception {
		TrustManager anything = new X509TrustManager() {
			@Override
			public void checkClientTrusted(X509Certificate[] chain, String authType) {
			}

			@Override
			public void checkServerTrusted(X509Certificate[] chain, String authType) {
			}

			@Override
			public X509Certificate[] getAcceptedIssuers() {
				return new X509Certificate[0];
			}
		};
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, new TrustManager[] { anything }, new SecureRandom());
		return context;
	}

	/** Issues a certificate when the test says so, and knows one token. */
	private static final class Issuer implements Plugin, CertificateProvider {

		volatile @Nullable TlsCertificate issued;

		@Override
		public String name() {
			return "issuer";
		}

		@Override
		public Set<Stage> stages() {
			return Set.of();
		}

		@Override
		public @Nullable TlsCertificate certificate(String name) {
			return name.equals("default") ? this.issued : null;
		}

		@Override
		public Mono<String> challengeAnswer(String token) {
			return Mono.just(token + ".thumbprint");
		}

	}

}
