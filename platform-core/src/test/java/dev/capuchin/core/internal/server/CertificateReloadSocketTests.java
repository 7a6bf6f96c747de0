package dev.capuchin.core.internal.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import dev.capuchin.core.internal.tls.TlsEngine;
import dev.capuchin.core.internal.tls.TlsSettings;
import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.testing.EveryTlsEngine;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import dev.capuchin.core.testing.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Certificates renewed in place (as certbot does) are picked up without a restart: by the
 * periodic check of the files, or when a reload is asked for (SIGHUP), while connections
 * opened before keep working. Runs on every transport with every TLS engine.
 */
@EveryTlsEngine
class CertificateReloadSocketTests {

	private static final String REQUEST = "GET /who.txt HTTP/1.1\r\nHost: localhost\r\n\r\n";

	@TempDir
	Path temp;

	@Parameter(0)
	Transport transport;

	@Parameter(1)
	TlsEngine engine;

	private TestCertificates.Issued original;

	private KernelFixture kernel;

	@BeforeEach
	void start() throws IOException {
		this.original = TestCertificates.issue(this.temp.resolve("certificates"), "localhost", "127.0.0.1");
		this.kernel = KernelFixture.builder(this.temp)
			.transport(this.transport)
			.tlsEngine(this.engine)
			.settings((settings) -> settings
				.withTls(new TlsSettings(TlsSettings.DEFAULT_ENGINE, Duration.ofHours(1), Duration.ofMillis(100))))
			.listener((listener) -> listener.withTls(this.original.tls(), false))
			.file("who.txt", "default site")
			.start();
	}

	@AfterEach
	void stop() {
		if (this.kernel != null) {
			this.kernel.close();
		}
	}

	@Test
	void newConnectionSeesTheRenewedCertificateOnceItsFilesChange() {
		TestCertificates.Issued renewed = renew();
		// a new client each time: a client's cached session would resume with the
		// certificate it was first made under, as the ticket keys outlive the reload
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(peerOfNewConnection(
					TestCertificates.trusting(List.of(this.original.certificate(), renewed.certificate())))
				.getSerialNumber()).isEqualTo(renewed.certificate().getSerialNumber()));
	}

	@Test
	void openKeepAliveConnectionKeepsWorkingAcrossAReload() throws IOException {
		SSLContext client = TestCertificates.trusting(List.of(this.original.certificate()));
		try (SSLSocket socket = connect(client); RawHttp http = RawHttp.over(socket)) {
			assertThat(http.exchange(REQUEST).text()).isEqualTo("default site");
			TestCertificates.Issued renewed = renew();
			assertThat(this.kernel.server().reloadCertificates()).isEqualTo(1);
			RawHttp.Response after = http.exchange(REQUEST);
			assertThat(after.status()).isEqualTo(200);
			assertThat(after.text()).isEqualTo("default site");
			SSLContext renewedClient = TestCertificates
				.trusting(List.of(this.original.certificate(), renewed.certificate()));
			assertThat(peerOfNewConnection(renewedClient).getSerialNumber())
				.isEqualTo(renewed.certificate().getSerialNumber());
		}
	}

	@Test
	void unreadableRenewalKeepsThePreviousCertificate() throws IOException {
		Files.writeString(this.original.certificateFile(), "-----BEGIN CERTIFICATE-----\nbroken\n");
		assertThat(this.kernel.server().reloadCertificates()).isZero();
		SSLContext client = TestCertificates.trusting(List.of(this.original.certificate()));
		assertThat(peerOfNewConnection(client)).isEqualTo(this.original.certificate());
	}

	private TestCertificates.Issued renew() {
		TestCertificates.Issued renewed = TestCertificates.issue(this.temp.resolve("certificates"), "localhost",
				"127.0.0.1");
		assertThat(renewed.certificateFile()).isEqualTo(this.original.certificateFile());
		return renewed;
	}

	private X509Certificate peerOfNewConnection(SSLContext client) throws IOException {
		try (SSLSocket socket = connect(client); RawHttp http = RawHttp.over(socket)) {
			assertThat(http.exchange(REQUEST).status()).isEqualTo(200);
			return (X509Certificate) socket.getSession().getPeerCertificates()[0];
		}
	}

	private SSLSocket connect(SSLContext client) throws IOException {
		InetSocketAddress address = this.kernel.address();
		SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket();
		socket.connect(address, 5000);
		socket.setSoTimeout(10_000);
		socket.startHandshake();
		return socket;
	}

}
