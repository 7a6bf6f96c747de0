package dev.capuchin.core.internal.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLPeerUnverifiedException;

import dev.capuchin.core.testing.EveryTlsEngine;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import dev.capuchin.core.testing.TestCertificates;
import dev.capuchin.core.internal.tls.TlsEngine;
import dev.capuchin.core.internal.transport.Transport;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.http.HttpProtocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * HTTP/2 over real sockets: {@code h2} negotiated by ALPN on a TLS listener, and
 * {@code h2c} by prior knowledge and by upgrade from HTTP/1.1 on a plain one, with files
 * sent intact over streams. Runs on every transport with every TLS engine.
 */
@EveryTlsEngine
class Http2SocketTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	/** The HTTP/1.1 request-read timeout of the tests that shorten it. */
	private static final Duration READ_TIMEOUT = Duration.ofMillis(300);

	private static final int LARGE = 1024 * 1024;

	@TempDir
	Path temp;

	private byte[] large;

	private TestCertificates.Issued certificate;

	private TestCertificates.Issued siteCertificate;

	private KernelFixture kernel;

	@Parameter(0)
	Transport transport;

	@Parameter(1)
	TlsEngine engine;

	@BeforeEach
	void prepare() {
		this.large = new byte[LARGE];
		new Random(7).nextBytes(this.large);
	}

	@AfterEach
	void stop() {
		if (this.kernel != null) {
			this.kernel.close();
		}
	}

	@Test
	void h2IsNegotiatedByAlpn() throws Exception {
		startTls();
		HttpResponse<String> response = tlsClient(HttpClient.Version.HTTP_2).send(
				HttpRequest.newBuilder(https("/who.txt")).timeout(TIMEOUT).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("default site");
	}

	@Test
	void http11ClientIsStillServedOnAnH2Listener() throws Exception {
		startTls();
		HttpResponse<String> response = tlsClient(HttpClient.Version.HTTP_1_1).send(
				HttpRequest.newBuilder(https("/who.txt")).timeout(TIMEOUT).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
		assertThat(response.body()).isEqualTo("default site");
	}

	@Test
	void http11ClientOnAnH2ListenerGetsCapuchinsOwnCodecAndDirectAnswers() throws Exception {
		startTls();
		SSLContext context = TestCertificates.trusting(List.of(this.certificate.certificate()));
		try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", this.kernel.port())) {
			SSLParameters parameters = socket.getSSLParameters();
			parameters.setApplicationProtocols(new String[] { "http/1.1" });
			socket.setSSLParameters(parameters);
			socket.setSoTimeout(10_000);
			socket.startHandshake();
			assertThat(socket.getApplicationProtocol()).isEqualTo("http/1.1");
			socket.getOutputStream()
				.write("GET /who.txt HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			String head = head(socket);
			// Reactor Netty's codec writes Netty's lower-case names; Capuchin's writes
			// the registered case, from the header blocks its direct answers are made of
			assertThat(head).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\nContent-Length: 12\r\n");
			assertThat(socket.getInputStream().readNBytes(12)).asString(StandardCharsets.US_ASCII)
				.isEqualTo("default site");
		}
	}

	private static String head(SSLSocket socket) throws IOException {
		StringBuilder head = new StringBuilder();
		while (!head.toString().endsWith("\r\n\r\n")) {
			int c = socket.getInputStream().read();
			if (c < 0) {
				throw new IOException("closed in the head: " + head);
			}
			head.append((char) c);
		}
		return head.toString();
	}

	@Test
	void largeFileIsIntactOverH2() throws Exception {
		startTls();
		HttpResponse<byte[]> response = tlsClient(HttpClient.Version.HTTP_2).send(
				HttpRequest.newBuilder(https("/large.bin")).timeout(TIMEOUT).build(),
				HttpResponse.BodyHandlers.ofByteArray());
		assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
		assertThat(response.headers().firstValue("content-length")).hasValue(Integer.toString(LARGE));
		assertThat(sha256(response.body())).isEqualTo(sha256(this.large));
	}

	@Test
	void rangeIsServedOverH2() throws Exception {
		startTls();
		HttpResponse<byte[]> response = tlsClient(HttpClient.Version.HTTP_2).send(
				HttpRequest.newBuilder(https("/large.bin")).header("Range", "bytes=-10").timeout(TIMEOUT).build(),
				HttpResponse.BodyHandlers.ofByteArray());
		assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
		assertThat(response.statusCode()).isEqualTo(206);
		assertThat(response.headers().firstValue("content-range"))
			.hasValue("bytes " + (LARGE - 10) + "-" + (LARGE - 1) + "/" + LARGE);
		assertThat(response.body()).isEqualTo(Arrays.copyOfRange(this.large, LARGE - 10, LARGE));
	}

	@Test
	void h2IsNegotiatedForASiteChosenBySni() throws IOException {
		startTls();
		X509Certificate[] peer = new X509Certificate[1];
		Exchange exchange = reactor.netty.http.client.HttpClient.create()
			.protocol(HttpProtocol.H2)
			.secure((spec) -> spec
				.sslContext(Http2SslContextSpec.forClient()
					.configure((builder) -> builder.trustManager(this.siteCertificate.certificate())))
				.serverNames(new SNIHostName("a.test")))
			.host("127.0.0.1")
			.port(this.kernel.port())
			.headers((headers) -> headers.set(HttpHeaderNames.HOST, "a.test"))
			.get()
			.uri("/who.txt")
			.responseConnection((response, connection) -> {
				peer[0] = peerCertificate(connection.channel());
				return connection.inbound()
					.receive()
					.aggregate()
					.asByteArray()
					.map((bytes) -> new Exchange(response.version(), response.status().code(), bytes));
			})
			.blockLast(TIMEOUT);
		assertThat(peer[0]).isEqualTo(this.siteCertificate.certificate());
		assertThat(exchange.version()).isEqualTo(HttpVersion.valueOf("HTTP/2.0"));
		assertThat(new String(exchange.body(), StandardCharsets.UTF_8)).isEqualTo("site a");
	}

	@Test
	void h2cWithPriorKnowledgeIsServed() throws IOException {
		startCleartext();
		Exchange exchange = reactorGet(HttpProtocol.H2C, "/who.txt", "localhost");
		assertThat(exchange.version()).isEqualTo(HttpVersion.valueOf("HTTP/2.0"));
		assertThat(exchange.status()).isEqualTo(200);
		assertThat(new String(exchange.body(), StandardCharsets.UTF_8)).isEqualTo("default site");
	}

	@Test
	void h2cAuthorityChoosesTheSite() throws IOException {
		startCleartext();
		Exchange exchange = reactorGet(HttpProtocol.H2C, "/who.txt", "a.test");
		assertThat(exchange.version()).isEqualTo(HttpVersion.valueOf("HTTP/2.0"));
		assertThat(new String(exchange.body(), StandardCharsets.UTF_8)).isEqualTo("site a");
	}

	@Test
	void largeFileIsIntactOverH2c() throws IOException {
		startCleartext();
		Exchange exchange = reactorGet(HttpProtocol.H2C, "/large.bin", "localhost");
		assertThat(exchange.version()).isEqualTo(HttpVersion.valueOf("HTTP/2.0"));
		assertThat(sha256(exchange.body())).isEqualTo(sha256(this.large));
	}

	@Test
	void h2cUpgradeFromHttp11IsServed() throws Exception {
		startCleartext();
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).connectTimeout(TIMEOUT).build();
		HttpResponse<String> response = client
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.kernel.port() + "/who.txt"))
				.timeout(TIMEOUT)
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
		assertThat(response.body()).isEqualTo("default site");
	}

	@Test
	void plainHttp11IsStillServedOnAnH2cListener() throws IOException {
		startCleartext();
		Exchange exchange = reactorGet(HttpProtocol.HTTP11, "/who.txt", "localhost");
		assertThat(exchange.version()).isEqualTo(HttpVersion.HTTP_1_1);
		assertThat(new String(exchange.body(), StandardCharsets.UTF_8)).isEqualTo("default site");
	}

	@Test
	void slowHttp11ClientOnAnH2cListenerGets408() throws Exception {
		start(kernelBuilder(Map.of()).listener((listener) -> listener.withHttp2(true))
			.settings((settings) -> settings.withLimits(shortReadTimeout(settings.limits()))));
		try (RawHttp http = this.kernel.connect()) {
			RawHttp.Response response = http.send("GET /who.txt HTTP/1.1\r\nHost: localhost\r\n").read();
			assertThat(response.status()).isEqualTo(408);
			assertThat(http.isClosedByServer(2000)).isTrue();
		}
	}

	@Test
	void anHttp2ConnectionIsNotTimedOutLikeAnHttp11Request() throws Exception {
		start(kernelBuilder(Map.of()).listener((listener) -> listener.withHttp2(true))
			.settings((settings) -> settings.withLimits(shortReadTimeout(settings.limits()))));
		List<Channel> connections = new CopyOnWriteArrayList<>();
		reactor.netty.http.client.HttpClient client = reactor.netty.http.client.HttpClient.create()
			.protocol(HttpProtocol.H2C)
			.doOnChannelInit((observer, channel, address) -> connections.add(channel))
			.baseUrl("http://127.0.0.1:" + this.kernel.port());
		String first = client.get().uri("/who.txt").responseContent().aggregate().asString().block(TIMEOUT);
		assertThat(connections).hasSize(1);
		// idle for twice the HTTP/1.1 request-read timeout: the connection stays open
		await().during(READ_TIMEOUT.multipliedBy(2))
			.atMost(READ_TIMEOUT.multipliedBy(2).plus(TIMEOUT))
			.until(() -> connections.get(0).isActive());
		String second = client.get().uri("/who.txt").responseContent().aggregate().asString().block(TIMEOUT);
		assertThat(first).isEqualTo("default site");
		assertThat(second).isEqualTo("default site");
		assertThat(connections).as("the second request went over the same connection").hasSize(1);
	}

	@Test
	void anHttp2VersionRequestLineOverTlsGets505() throws Exception {
		Path certificates = this.temp.resolve("certificates");
		this.certificate = TestCertificates.issue(certificates, "localhost", "127.0.0.1");
		start(kernelBuilder(Map.of()).listener((listener) -> listener.withTls(this.certificate.tls(), false)));
		SSLContext context = TestCertificates.trusting(List.of(this.certificate.certificate()));
		try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", this.kernel.port());
				RawHttp http = RawHttp.over(socket)) {
			RawHttp.Response response = http.exchange("GET /who.txt HTTP/2.0\r\nHost: localhost\r\n\r\n");
			assertThat(response.status()).isEqualTo(505);
		}
	}

	private static Limits shortReadTimeout(Limits limits) {
		return new Limits(limits.maxRequestLine(), limits.maxHeaderSize(), limits.maxHeaderCount(),
				limits.maxBodySize(), limits.keepAliveTimeout(), READ_TIMEOUT, limits.maxRequestsPerConnection(),
				limits.maxConnections(), limits.maxConnectionsPerClient());
	}

	private void startTls() throws IOException {
		Path certificates = this.temp.resolve("certificates");
		this.certificate = TestCertificates.issue(certificates, "localhost", "127.0.0.1");
		this.siteCertificate = TestCertificates.issue(certificates, "a.test", "127.0.0.1");
		Map<String, Object> tls = Map.of("certificate", this.siteCertificate.certificateFile().toString(),
				"private-key", this.siteCertificate.privateKeyFile().toString());
		start(kernelBuilder(Map.of("tls", tls)).listener((listener) -> listener.withTls(this.certificate.tls(), true)));
	}

	private void startCleartext() throws IOException {
		start(kernelBuilder(Map.of()).listener((listener) -> listener.withHttp2(true)));
	}

	private KernelFixture.Builder kernelBuilder(Map<String, Object> siteKeys) throws IOException {
		Path root = Files.createDirectories(this.temp.resolve("a"));
		Files.writeString(root.resolve("who.txt"), "site a", StandardCharsets.UTF_8);
		Map<String, Object> site = new LinkedHashMap<>(siteKeys);
		site.put("name", "a");
		site.put("server-names", List.of("a.test"));
		site.put("document-root", root.toString());
		return KernelFixture.builder(this.temp)
			.transport(this.transport)
			.tlsEngine(this.engine)
			.file("who.txt", "default site")
			.file("large.bin", this.large)
			.site(site);
	}

	private static X509Certificate peerCertificate(Channel stream) {
		Channel connection = (stream.parent() != null) ? stream.parent() : stream;
		try {
			return (X509Certificate) connection.pipeline()
				.get(SslHandler.class)
				.engine()
				.getSession()
				.getPeerCertificates()[0];
		}
		catch (SSLPeerUnverifiedException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void start(KernelFixture.Builder builder) throws IOException {
		this.kernel = builder.start();
		assertThat(this.kernel.server().transport().transport()).isEqualTo(this.transport);
	}

	private HttpClient tlsClient(HttpClient.Version version) {
		return HttpClient.newBuilder()
			.version(version)
			.sslContext(TestCertificates.trusting(List.of(this.certificate.certificate())))
			.connectTimeout(TIMEOUT)
			.build();
	}

	private URI https(String path) {
		return URI.create("https://127.0.0.1:" + this.kernel.port() + path);
	}

	private Exchange reactorGet(HttpProtocol protocol, String path, String host) {
		return reactor.netty.http.client.HttpClient.create()
			.protocol(protocol)
			.host("127.0.0.1")
			.port(this.kernel.port())
			.headers((headers) -> headers.set(HttpHeaderNames.HOST, host))
			.get()
			.uri(path)
			.responseSingle((response, body) -> body.asByteArray()
				.defaultIfEmpty(new byte[0])
				.map((bytes) -> new Exchange(response.version(), response.status().code(), bytes)))
			.block(TIMEOUT);
	}

	private static byte[] sha256(byte[] bytes) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(bytes);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private record Exchange(HttpVersion version, int status, byte[] body) {
	}

}
