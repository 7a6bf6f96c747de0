package dev.capuchin.core.internal.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import dev.capuchin.core.testing.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A site's {@code hsts} and {@code redirect-https} keys on a node with a TLS listener
 * (listener 0) and a plain one (listener 1): the header only over TLS, the redirect only
 * over plain HTTP. Runs on every transport.
 */
@EveryTransport
class HstsAndRedirectSocketTests {

	@TempDir
	Path temp;

	@Parameter
	Transport transport;

	private SSLContext client;

	private KernelFixture kernel;

	@BeforeEach
	void start() throws IOException {
		TestCertificates.Issued certificate = TestCertificates.issue(this.temp.resolve("certificates"), "localhost",
				"127.0.0.1");
		this.client = TestCertificates.trusting(List.of(certificate.certificate()));
		this.kernel = KernelFixture.builder(this.temp)
			.transport(this.transport)
			.listener((listener) -> listener.withTls(certificate.tls(), false))
			.settings((settings) -> new ServerSettings(
					List.of(settings.listeners().get(0), ListenerSettings.plain(new InetSocketAddress("127.0.0.1", 0))),
					settings.workers(), settings.transport(), settings.balancing(), settings.limits(), settings.fdt(),
					settings.shutdownTimeout(), settings.tls()))
			.defaultSite(Map.of("hsts", Map.of("max-age", 600, "include-subdomains", true), "redirect-https", true))
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
	void hstsIsSentOverTls() throws IOException {
		try (SSLSocket socket = connectTls(); RawHttp http = RawHttp.over(socket)) {
			RawHttp.Response response = http.exchange(RawHttp.get("/who.txt", "localhost"));
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.text()).isEqualTo("default site");
			assertThat(response.header("strict-transport-security")).isEqualTo("max-age=600; includeSubDomains");
		}
	}

	@Test
	void hstsIsSentOnErrorsOverTls() throws IOException {
		try (SSLSocket socket = connectTls(); RawHttp http = RawHttp.over(socket)) {
			RawHttp.Response response = http.exchange(RawHttp.get("/missing.txt", "localhost"));
			assertThat(response.status()).isEqualTo(404);
			assertThat(response.header("strict-transport-security")).isEqualTo("max-age=600; includeSubDomains");
		}
	}

	@Test
	void plainGetIsRedirectedToTheHttpsListenerWith301() throws IOException {
		try (RawHttp http = RawHttp.connect(this.kernel.address(1))) {
			RawHttp.Response response = http.exchange("GET /who.txt?x=1 HTTP/1.1\r\nHost: localhost:8080\r\n\r\n");
			assertThat(response.status()).isEqualTo(301);
			assertThat(response.header("location"))
				.isEqualTo("https://localhost:" + this.kernel.address(0).getPort() + "/who.txt?x=1");
			assertThat(response.header("strict-transport-security")).isNull();
		}
	}

	@Test
	void plainPostIsRedirectedWith308() throws IOException {
		try (RawHttp http = RawHttp.connect(this.kernel.address(1))) {
			RawHttp.Response response = http
				.exchange("POST /form HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\nok");
			assertThat(response.status()).isEqualTo(308);
			assertThat(response.header("location"))
				.isEqualTo("https://localhost:" + this.kernel.address(0).getPort() + "/form");
		}
	}

	@Test
	void requestOverTlsIsNotRedirected() throws IOException {
		try (SSLSocket socket = connectTls(); RawHttp http = RawHttp.over(socket)) {
			assertThat(http.exchange(RawHttp.get("/who.txt", "localhost")).status()).isEqualTo(200);
		}
	}

	private SSLSocket connectTls() throws IOException {
		SSLSocket socket = (SSLSocket) this.client.getSocketFactory().createSocket();
		socket.connect(this.kernel.address(0), 5000);
		socket.setSoTimeout(10_000);
		socket.startHandshake();
		return socket;
	}

}
