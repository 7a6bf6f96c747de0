package dev.capuchin.core.internal.server;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import dev.capuchin.core.internal.tls.TlsEngine;
import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.spi.CertificateProvider;
import dev.capuchin.core.spi.Plugin;
import dev.capuchin.core.spi.Stage;
import dev.capuchin.core.spi.TlsCertificate;
import dev.capuchin.core.testing.EveryTlsEngine;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import dev.capuchin.core.testing.TestCertificates;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
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
 * certificate comes from a {@link CertificateProvider}: a self-signed pending certificate
 * until it is issued, the issued one from the next handshake on, plain HTTP redirected to
 * HTTPS except the challenge path, and TLS-ALPN-01 validations answered with the
 * challenge certificate, on every transport and TLS engine.
 */
@EveryTlsEngine
class AcmeTlsSocketTests {

	private static final String SHOP = "shop.example.com";

	@TempDir
	Path temp;

	@Parameter(0)
	Transport transport;

	@Parameter(1)
	TlsEngine engine;

	private final Issuer issuer = new Issuer();

	private KernelFixture kernel;

	@BeforeEach
	void start() throws IOException {
		this.kernel = KernelFixture.builder(this.temp)
			.transport(this.transport)
			.tlsEngine(this.engine)
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
	void beforeIssuanceTheListenerShakesHandsWithThePendingCertificate() throws Exception {
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

	@Test
	void aValidationOfferingAcmeTls1GetsTheChallengeCertificateAndIsClosedAfterTheHandshake() throws Exception {
		this.issuer.challenge = challengeCertificate();
		try (SSLSocket socket = connect(trustingAnything(), CertificateProvider.ACME_TLS_1)) {
			X509Certificate shown = (X509Certificate) socket.getSession().getPeerCertificates()[0];
			assertThat(shown.getSubjectX500Principal().getName()).isEqualTo("CN=" + SHOP);
			assertThat(shown.getSerialNumber()).isEqualTo(this.issuer.challenge.certificate().getSerialNumber());
			assertThat(socket.getApplicationProtocol()).isEqualTo(CertificateProvider.ACME_TLS_1);
			assertThat(socket.getInputStream().read()).isEqualTo(-1);
		}
		assertThat(this.issuer.asked).containsExactly(SHOP);
	}

	@Test
	void aClientOfferingHttpGetsTheSiteCertificateWhileAChallengeIsPending() throws Exception {
		this.issuer.challenge = challengeCertificate();
		try (SSLSocket socket = connect(trustingAnything(), "http/1.1")) {
			X509Certificate shown = (X509Certificate) socket.getSession().getPeerCertificates()[0];
			assertThat(shown.getSubjectX500Principal().getName()).isEqualTo("CN=Capuchin ACME placeholder");
		}
		assertThat(this.issuer.asked).isEmpty();
	}

	@Test
	void acmeTls1WithoutAPendingChallengeShakesHandsAsAnyClient() throws Exception {
		try (SSLSocket socket = connect(trustingAnything(), CertificateProvider.ACME_TLS_1);
				RawHttp http = RawHttp.over(socket)) {
			X509Certificate shown = (X509Certificate) socket.getSession().getPeerCertificates()[0];
			assertThat(shown.getSubjectX500Principal().getName()).isEqualTo("CN=Capuchin ACME placeholder");
			assertThat(http.exchange(RawHttp.get("/who.txt", SHOP)).status()).isEqualTo(200);
		}
		assertThat(this.issuer.asked).containsExactly(SHOP);
	}

	// names the site by SNI and checks the name against the certificate
	private SSLSocket connect(SSLContext trust, String... protocols) throws IOException {
		Socket plain = new Socket();
		plain.connect(this.kernel.address(0), 5000);
		plain.setSoTimeout(10_000);
		SSLSocket socket = (SSLSocket) trust.getSocketFactory()
			.createSocket(plain, SHOP, this.kernel.address(0).getPort(), true);
		if (protocols.length > 0) {
			SSLParameters parameters = socket.getSSLParameters();
			parameters.setApplicationProtocols(protocols);
			socket.setSSLParameters(parameters);
		}
		socket.startHandshake();
		return socket;
	}

	// what a CA's TLS-ALPN-01 challenge certificate stands for here: self-signed for the
	// name (the acmeIdentifier extension is the CA's business, not the kernel's)
	private static CertificateProvider.AlpnChallenge challengeCertificate() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
		KeyPair keys = generator.generateKeyPair();
		X500Name subject = new X500Name("CN=" + SHOP);
		Instant now = Instant.now();
		X509Certificate certificate = new JcaX509CertificateConverter()
			.getCertificate(new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(now.toEpochMilli()),
					Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofHours(1))), subject,
					keys.getPublic())
				.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
		return new CertificateProvider.AlpnChallenge(keys.getPrivate(), certificate);
	}

	// only to look at the pending certificate, which no client is meant to trust
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

		volatile CertificateProvider.@Nullable AlpnChallenge challenge;

		final List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();

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

		@Override
		public Mono<AlpnChallenge> alpnChallenge(String serverName) {
			this.asked.add(serverName);
			return Mono.justOrEmpty(serverName.equals(SHOP) ? this.challenge : null);
		}

	}

}
