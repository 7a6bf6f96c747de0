package dev.capuchin.core.internal.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import dev.capuchin.core.testing.EveryTlsEngine;
import dev.capuchin.core.spi.SiteTable;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import dev.capuchin.core.testing.TestCertificates;
import dev.capuchin.core.internal.tls.TlsEngine;
import dev.capuchin.core.internal.transport.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TLS listeners over real sockets: the listener's default certificate, SNI choosing a
 * site's own certificate, and files sent intact through the chunked path that TLS needs.
 * Runs on every transport with every TLS engine.
 */
@EveryTlsEngine
class TlsSocketTests {

	private static final int LARGE = 3 * 1024 * 1024;

	@TempDir
	Path temp;

	private TestCertificates.Issued listenerCertificate;

	private TestCertificates.Issued siteACertificate;

	private TestCertificates.Issued siteBCertificate;

	private SSLContext client;

	private byte[] large;

	private KernelFixture kernel;

	@Parameter(0)
	Transport transport;

	@Parameter(1)
	TlsEngine engine;

	@BeforeEach
	void start() throws IOException {
		Path certificates = this.temp.resolve("certificates");
		this.listenerCertificate = TestCertificates.issue(certificates, "localhost", "127.0.0.1");
		this.siteACertificate = TestCertificates.issue(certificates, "a.test");
		this.siteBCertificate = TestCertificates.issue(certificates, "b.test");
		this.client = TestCertificates.trusting(List.of(this.listenerCertificate.certificate(),
				this.siteACertificate.certificate(), this.siteBCertificate.certificate()));
		this.large = new byte[LARGE];
		new Random(42).nextBytes(this.large);
		this.kernel = KernelFixture.builder(this.temp)
			.transport(this.transport)
			.tlsEngine(this.engine)
			.listener((listener) -> listener.withTls(this.listenerCertificate.tls(), false))
			.file("who.txt", "default site")
			.file("large.bin", this.large)
			.site(site("a", "a.test", this.siteACertificate))
			.site(site("b", "b.test", this.siteBCertificate))
			.start();
		assertThat(this.kernel.server().transport().transport()).isEqualTo(this.transport);
		assertThat(this.kernel.server().tls().selection().engine()).isEqualTo(this.engine);
	}

	@AfterEach
	void stop() {
		if (this.kernel != null) {
			this.kernel.close();
		}
	}

	@Test
	void clientWithoutSniGetsTheListenerCertificate() throws IOException {
		try (SSLSocket socket = connect(null); RawHttp http = RawHttp.over(socket)) {
			assertThat(peer(socket)).isEqualTo(this.listenerCertificate.certificate());
			assertThat(http.exchange(get("/who.txt", "localhost")).text()).isEqualTo("default site");
		}
	}

	@Test
	void sniForSiteAGetsSiteACertificate() throws Exception {
		try (SSLSocket socket = connect("a.test"); RawHttp http = RawHttp.over(socket)) {
			assertThat(peer(socket).getSubjectX500Principal().getName()).isEqualTo("CN=a.test");
			assertThat(peer(socket).getSubjectAlternativeNames()).containsExactly(List.of(2, "a.test"));
			assertThat(http.exchange(get("/who.txt", "a.test")).text()).isEqualTo("site a");
		}
	}

	@Test
	void sniForSiteBGetsSiteBCertificate() throws IOException {
		try (SSLSocket socket = connect("b.test"); RawHttp http = RawHttp.over(socket)) {
			assertThat(peer(socket)).isEqualTo(this.siteBCertificate.certificate());
			assertThat(http.exchange(get("/who.txt", "b.test")).text()).isEqualTo("site b");
		}
	}

	@Test
	void sniNameIsMatchedCaseInsensitively() throws IOException {
		try (SSLSocket socket = connect("B.Test")) {
			assertThat(peer(socket)).isEqualTo(this.siteBCertificate.certificate());
		}
	}

	@Test
	void unknownSniGetsTheListenerCertificate() throws IOException {
		try (SSLSocket socket = connect("nobody.test"); RawHttp http = RawHttp.over(socket)) {
			assertThat(peer(socket)).isEqualTo(this.listenerCertificate.certificate());
			assertThat(http.exchange(get("/who.txt", "nobody.test")).text()).isEqualTo("default site");
		}
	}

	@Test
	void renewedSiteCertificateIsServedFromTheNextSiteTable() throws IOException {
		try (SSLSocket socket = connect("a.test")) {
			assertThat(peer(socket)).isEqualTo(this.siteACertificate.certificate());
		}
		TestCertificates.Issued renewed = TestCertificates.issue(this.temp.resolve("certificates"), "a.test");
		assertThat(renewed.certificateFile()).isEqualTo(this.siteACertificate.certificateFile());
		this.client = TestCertificates.trusting(List.of(this.listenerCertificate.certificate(),
				this.siteACertificate.certificate(), renewed.certificate()));
		CapuchinServer server = this.kernel.server();
		server.sites(SiteTable.of(server.sites().sites()));
		try (SSLSocket socket = connect("a.test")) {
			assertThat(peer(socket).getSerialNumber()).isEqualTo(renewed.certificate().getSerialNumber());
		}
	}

	@Test
	void largeFileIsIntactOverTls() throws IOException {
		try (SSLSocket socket = connect(null); RawHttp http = RawHttp.over(socket)) {
			RawHttp.Response response = http.exchange(get("/large.bin", "localhost"));
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.header("content-length")).isEqualTo(Integer.toString(LARGE));
			assertThat(sha256(response.body())).isEqualTo(sha256(this.large));
		}
	}

	@Test
	void largeFileIsIntactOverTlsWithSni() throws IOException {
		try (SSLSocket socket = connect("localhost"); RawHttp http = RawHttp.over(socket)) {
			RawHttp.Response response = http.exchange(get("/large.bin", "localhost"));
			assertThat(response.status()).isEqualTo(200);
			assertThat(sha256(response.body())).isEqualTo(sha256(this.large));
		}
	}

	@Test
	void keptAliveTlsConnectionServesSeveralFiles() throws IOException {
		try (SSLSocket socket = connect(null); RawHttp http = RawHttp.over(socket)) {
			for (int i = 0; i < 3; i++) {
				RawHttp.Response response = http.exchange(get("/large.bin", "localhost"));
				assertThat(sha256(response.body())).isEqualTo(sha256(this.large));
				assertThat(http.exchange(get("/who.txt", "localhost")).text()).isEqualTo("default site");
			}
		}
	}

	@Test
	void rangeIsServedOverTls() throws IOException {
		try (SSLSocket socket = connect(null); RawHttp http = RawHttp.over(socket)) {
			RawHttp.Response response = http
				.exchange("GET /large.bin HTTP/1.1\r\nHost: localhost\r\n" + "Range: bytes=1000000-1999999\r\n\r\n");
			assertThat(response.status()).isEqualTo(206);
			assertThat(response.header("content-range")).isEqualTo("bytes 1000000-1999999/" + LARGE);
			assertThat(response.body()).isEqualTo(Arrays.copyOfRange(this.large, 1_000_000, 2_000_000));
		}
	}

	@Test
	void multipleRangesAreServedOverTls() throws IOException {
		try (SSLSocket socket = connect(null); RawHttp http = RawHttp.over(socket)) {
			RawHttp.Response response = http
				.exchange("GET /large.bin HTTP/1.1\r\nHost: localhost\r\nRange: bytes=0-99,-100\r\n\r\n");
			assertThat(response.status()).isEqualTo(206);
			assertThat(response.header("content-type")).startsWith("multipart/byteranges; boundary=");
			String boundary = response.header("content-type").substring("multipart/byteranges; boundary=".length());
			byte[] first = Arrays.copyOfRange(this.large, 0, 100);
			byte[] last = Arrays.copyOfRange(this.large, LARGE - 100, LARGE);
			String expected = "\r\n--" + boundary
					+ "\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes 0-99/" + LARGE + "\r\n\r\n"
					+ latin1(first) + "\r\n--" + boundary
					+ "\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes " + (LARGE - 100) + "-"
					+ (LARGE - 1) + "/" + LARGE + "\r\n\r\n" + latin1(last) + "\r\n--" + boundary + "--\r\n";
			assertThat(latin1(response.body())).isEqualTo(expected);
		}
	}

	@Test
	void slowClientOverTlsGets408AndIsClosed() throws Exception {
		this.kernel.close();
		this.kernel = KernelFixture.builder(this.temp.resolve("slow"))
			.transport(this.transport)
			.tlsEngine(this.engine)
			.listener((listener) -> listener.withTls(this.listenerCertificate.tls(), false))
			.settings((settings) -> settings.withLimits(new Limits(settings.limits().maxRequestLine(),
					settings.limits().maxHeaderSize(), settings.limits().maxHeaderCount(),
					settings.limits().maxBodySize(), settings.limits().keepAliveTimeout(), Duration.ofMillis(300),
					settings.limits().maxRequestsPerConnection(), settings.limits().maxConnections(),
					settings.limits().maxConnectionsPerClient())))
			.file("who.txt", "default site")
			.start();
		try (SSLSocket socket = connect(null); RawHttp http = RawHttp.over(socket)) {
			RawHttp.Response response = http.send("GET /who.txt HTTP/1.1\r\nHost: localhost\r\n").read();
			assertThat(response.status()).isEqualTo(408);
			assertThat(http.isClosedByServer(2000)).isTrue();
		}
	}

	private Map<String, Object> site(String name, String serverName, TestCertificates.Issued certificate)
			throws IOException {
		Path root = Files.createDirectories(this.temp.resolve(name));
		Files.writeString(root.resolve("who.txt"), "site " + name, StandardCharsets.UTF_8);
		return Map.of("name", name, "server-names", List.of(serverName), "document-root", root.toString(), "tls",
				Map.of("certificate", certificate.certificateFile().toString(), "private-key",
						certificate.privateKeyFile().toString()));
	}

	/**
	 * A handshaken client socket, naming {@code serverName} by SNI, or no name.
	 */
	private SSLSocket connect(String serverName) throws IOException {
		InetSocketAddress address = this.kernel.address();
		SSLSocket socket = (SSLSocket) this.client.getSocketFactory().createSocket();
		socket.connect(address, 5000);
		SSLParameters parameters = socket.getSSLParameters();
		List<SNIServerName> names = (serverName != null) ? List.of(new SNIHostName(serverName)) : List.of();
		parameters.setServerNames(names);
		socket.setSSLParameters(parameters);
		socket.setSoTimeout(10_000);
		socket.startHandshake();
		return socket;
	}

	private static X509Certificate peer(SSLSocket socket) throws IOException {
		return (X509Certificate) socket.getSession().getPeerCertificates()[0];
	}

	private static String get(String path, String host) {
		return "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n";
	}

	private static String latin1(byte[] bytes) {
		return new String(bytes, StandardCharsets.ISO_8859_1);
	}

	private static byte[] sha256(byte[] bytes) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(bytes);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
