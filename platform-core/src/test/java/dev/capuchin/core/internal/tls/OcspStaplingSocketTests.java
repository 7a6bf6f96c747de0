package dev.capuchin.core.internal.tls;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import dev.capuchin.core.spi.TlsCertificate;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.OpensslClient;
import dev.capuchin.core.testing.TestCertificates;
import io.netty.handler.ssl.OpenSsl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * OCSP stapling on the OpenSSL engine against a real responder on loopback: a test CA
 * made here with the {@code openssl} command, certificates whose Authority Information
 * Access names an {@code openssl ocsp} responder started here, a TLS listener on the
 * contexts' provider, and {@code openssl s_client -status} as the client that asks. The
 * JDK engine does not staple: these tests are skipped where OpenSSL does not load.
 */
class OcspStaplingSocketTests {

	private static final String NO_RESPONSE = "OCSP response: no response sent";

	@TempDir
	Path temp;

	private final List<Process> processes = new ArrayList<>();

	private final MutableClock clock = new MutableClock();

	private TlsContexts contexts;

	private DisposableServer server;

	private int responderPort;

	private Path ca;

	@BeforeEach
	void requireOpenSsl() throws Exception {
		assumeThat(TlsEngine.OPENSSL.isAvailable() && OpenSsl.isOcspSupported())
			.as("the OpenSSL engine with OCSP support (the JDK engine does not staple)")
			.isTrue();
		try (ServerSocket socket = new ServerSocket(0)) {
			this.responderPort = socket.getLocalPort();
		}
		this.ca = Files.createDirectories(this.temp.resolve("ca"));
		openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "30",
				"-subj", "/CN=Capuchin Test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext",
				"keyUsage=critical,keyCertSign,cRLSign,digitalSignature", "-keyout", "ca.key", "-out", "ca.pem");
		this.contexts = new TlsContexts(TlsSettings.DEFAULTS.withEngine("openssl"), this.clock);
	}

	@AfterEach
	void stop() {
		if (this.server != null) {
			this.server.disposeNow();
		}
		if (this.contexts != null) {
			this.contexts.stop();
		}
		this.processes.forEach(Process::destroyForcibly);
	}

	@Test
	void aGoodAnswerIsStapledForClientsThatAsk() throws Exception {
		TlsCertificate certificate = issue("leaf", "1234");
		index("V", "1234");
		startResponder("ca");
		serve(certificate);
		awaitState(certificate, OcspState.STAPLING);
		assertThat(status()).contains("OCSP Response Status: successful")
			.contains("Serial Number: 1234")
			.contains("Cert Status: good");
		assertThat(OpensslClient.connect(address()).output()).as("a client that does not ask")
			.doesNotContain("OCSP Response Status");
	}

	@Test
	void aRevokedCertificateGetsItsRevokedAnswerStapled() throws Exception {
		TlsCertificate certificate = issue("leaf", "1234");
		index("R", "1234");
		startResponder("ca");
		serve(certificate);
		awaitState(certificate, OcspState.STAPLING);
		assertThat(status()).contains("Cert Status: revoked");
	}

	@Test
	void aResponderThatIsDownCostsNoHandshakeAndNothingIsStapled() throws Exception {
		TlsCertificate certificate = issue("leaf", "1234");
		serve(certificate);
		awaitState(certificate, OcspState.UNAVAILABLE);
		OpensslClient.Result result = OpensslClient.connect(address(), "-status");
		assertThat(result.handshaken()).isTrue();
		assertThat(result.output()).contains(NO_RESPONSE);
	}

	@Test
	void anExpiredAnswerIsNoLongerStapled() throws Exception {
		TlsCertificate certificate = issue("leaf", "1234");
		index("V", "1234");
		startResponder("ca");
		serve(certificate);
		awaitState(certificate, OcspState.STAPLING);
		this.clock.advance(Duration.ofMinutes(6));
		OpensslClient.Result result = OpensslClient.connect(address(), "-status");
		assertThat(result.handshaken()).isTrue();
		assertThat(result.output()).contains(NO_RESPONSE);
	}

	@Test
	void aStaleAnswerIsNeverStapled() throws Exception {
		TlsCertificate certificate = issue("leaf", "1234");
		index("V", "1234");
		startResponder("ca");
		// the responder's answers are valid five minutes: here they arrive already past
		// it
		this.clock.advance(Duration.ofMinutes(6));
		serve(certificate);
		awaitState(certificate, OcspState.UNAVAILABLE);
		assertThat(OpensslClient.connect(address(), "-status").output()).contains(NO_RESPONSE);
	}

	@Test
	void anOversizedAnswerIsRefused() throws Exception {
		TlsCertificate certificate = issue("leaf", "1234");
		HttpServer responder = HttpServer.create(new InetSocketAddress("127.0.0.1", this.responderPort), 0);
		responder.createContext("/", (exchange) -> {
			exchange.getRequestBody().readAllBytes();
			byte[] body = new byte[OcspStapler.MAX_RESPONSE_SIZE + 1];
			exchange.getResponseHeaders().set("Content-Type", "application/ocsp-response");
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		responder.start();
		try {
			serve(certificate);
			awaitState(certificate, OcspState.UNAVAILABLE);
			assertThat(this.contexts.ocsp(certificate, false).lastFailure()).contains("larger than 65536 bytes");
		}
		finally {
			responder.stop(0);
		}
	}

	@Test
	void anAnswerFromADelegatedResponderIsStapled() throws Exception {
		TlsCertificate certificate = issue("leaf", "1234");
		index("V", "1234");
		issueResponder("delegate", "ca.pem", "ca.key", "extendedKeyUsage=OCSPSigning");
		startResponder("delegate");
		serve(certificate);
		awaitState(certificate, OcspState.STAPLING);
		assertThat(status()).contains("Cert Status: good");
	}

	@Test
	void anAnswerSignedByAnotherCaIsNeverStapled() throws Exception {
		TlsCertificate certificate = issue("leaf", "1234");
		index("V", "1234");
		openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "30",
				"-subj", "/CN=Capuchin Test CA", "-keyout", "stranger.key", "-out", "stranger.pem");
		startResponder("stranger");
		serve(certificate);
		awaitState(certificate, OcspState.UNAVAILABLE);
		assertThat(OpensslClient.connect(address(), "-status").output()).contains(NO_RESPONSE);
	}

	@Test
	void aReloadedCertificateIsNeverStapledWithThePreviousOnesAnswer() throws Exception {
		TlsCertificate certificate = issue("leaf", "1234");
		index("V", "1234", "1235");
		startResponder("ca");
		serve(certificate);
		awaitState(certificate, OcspState.STAPLING);
		assertThat(status()).contains("Serial Number: 1234");
		TlsCertificate renewal = issue("renewal", "1235");
		Files.copy(renewal.certificate(), certificate.certificate(), StandardCopyOption.REPLACE_EXISTING);
		Files.copy(renewal.privateKey(), certificate.privateKey(), StandardCopyOption.REPLACE_EXISTING);
		assertThat(this.contexts.reload()).isEqualTo(1);
		// new connections take the reloaded provider, as the kernel's SNI mapping does
		this.server.disposeNow();
		serve(certificate);
		assertThat(status()).doesNotContain("Serial Number: 1234");
		awaitState(certificate, OcspState.STAPLING);
		assertThat(status()).contains("Serial Number: 1235").contains("Cert Status: good");
	}

	@Test
	void switchedOffNothingIsStapled() throws Exception {
		this.contexts = new TlsContexts(TlsSettings.DEFAULTS.withEngine("openssl").withOcspStapling(false), this.clock);
		TlsCertificate certificate = issue("leaf", "1234");
		index("V", "1234");
		startResponder("ca");
		serve(certificate);
		assertThat(this.contexts.ocsp(certificate, false)).isNull();
		assertThat(OpensslClient.connect(address(), "-status").output()).contains(NO_RESPONSE);
	}

	@Test
	void theKernelsListenersStapleByDefault() throws Exception {
		TlsCertificate certificate = issue("leaf", "1234");
		index("V", "1234");
		startResponder("ca");
		try (KernelFixture kernel = KernelFixture.builder(this.temp.resolve("kernel"))
			.tlsEngine(TlsEngine.OPENSSL)
			.listener((listener) -> listener.withTls(certificate, false))
			.file("who.txt", "default site")
			.start()) {
			await().atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(500))
				.untilAsserted(() -> assertThat(OpensslClient.connect(kernel.address(0), "-status").output())
					.contains("Cert Status: good"));
			assertThat(withoutServerName(kernel.address(0))).as("a client that sends no server name")
				.contains("Cert Status: good");
		}
	}

	@Test
	void aCertificateWithoutResponderGetsNoStapler() {
		TestCertificates.Issued issued = TestCertificates.issue(this.temp.resolve("plain"), "localhost");
		this.contexts.provider(issued.tls(), false);
		assertThat(this.contexts.ocsp(issued.tls(), false)).isNull();
	}

	private void serve(TlsCertificate certificate) {
		this.server = TcpServer.create()
			.host("127.0.0.1")
			.port(0)
			.secure(this.contexts.provider(certificate, false))
			.handle((in, out) -> out.sendString(Mono.just("ok\n")))
			.bindNow();
	}

	private static String withoutServerName(InetSocketAddress address) throws Exception {
		Process client = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + address.getPort(),
				"-noservername", "-status")
			.redirectErrorStream(true)
			.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
			.start();
		String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(client.waitFor(30, TimeUnit.SECONDS)).isTrue();
		return output;
	}

	private InetSocketAddress address() {
		return new InetSocketAddress("127.0.0.1", this.server.port());
	}

	private String status() {
		OpensslClient.Result result = OpensslClient.connect(address(), "-status");
		assertThat(result.handshaken()).as(result.output()).isTrue();
		return result.output();
	}

	private void awaitState(TlsCertificate certificate, OcspState state) {
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
			OcspStapler stapler = this.contexts.ocsp(certificate, false);
			assertThat(stapler).isNotNull();
			assertThat(stapler.state()).isEqualTo(state);
		});
	}

	private TlsCertificate issue(String name, String serial) throws Exception {
		openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=localhost",
				"-keyout", name + ".key", "-out", name + ".csr");
		Files.writeString(this.ca.resolve(name + ".ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
				+ "authorityInfoAccess=OCSP;URI:http://127.0.0.1:" + this.responderPort + "\n");
		openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial", "0x" + serial,
				"-days", "30", "-extfile", name + ".ext", "-out", name + ".pem");
		Path chain = this.ca.resolve(name + "-chain.pem");
		Files.writeString(chain,
				Files.readString(this.ca.resolve(name + ".pem")) + Files.readString(this.ca.resolve("ca.pem")));
		return new TlsCertificate(chain, this.ca.resolve(name + ".key"));
	}

	private void issueResponder(String name, String issuer, String issuerKey, String extensions) throws Exception {
		openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj",
				"/CN=Capuchin Test OCSP", "-keyout", name + ".key", "-out", name + ".csr");
		Files.writeString(this.ca.resolve(name + ".ext"), extensions + "\n");
		openssl("x509", "-req", "-in", name + ".csr", "-CA", issuer, "-CAkey", issuerKey, "-set_serial", "0x77",
				"-days", "30", "-extfile", name + ".ext", "-out", name + ".pem");
	}

	private void index(String status, String... serials) throws IOException {
		StringBuilder index = new StringBuilder();
		for (String serial : serials) {
			String revoked = status.equals("R") ? "240101000000Z,keyCompromise" : "";
			index.append(
					status + "\t301231235959Z\t" + revoked + "\t" + serial + "\tunknown\t/CN=serial-" + serial + "\n");
		}
		Files.writeString(this.ca.resolve("index.txt"), index);
	}

	// the responder signs with the given certificate and key, and answers for ca.pem's
	// certificates; its answers are valid for five minutes
	private void startResponder(String signer) throws IOException {
		Process responder = new ProcessBuilder("openssl", "ocsp", "-index", "index.txt", "-port",
				Integer.toString(this.responderPort), "-rsigner", signer + ".pem", "-rkey", signer + ".key", "-CA",
				"ca.pem", "-nmin", "5")
			.directory(this.ca.toFile())
			.redirectErrorStream(true)
			.redirectOutput(this.ca.resolve("responder.log").toFile())
			.start();
		this.processes.add(responder);
		// ready once it says so: a probe connection closed without a request would hang
		// openssl 3.0's responder for good
		Path log = this.ca.resolve("responder.log");
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> Files.readString(log).contains("waiting for OCSP client connections"));
	}

	private void openssl(String... arguments) throws Exception {
		List<String> command = new ArrayList<>();
		command.add("openssl");
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).directory(this.ca.toFile()).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
	}

	/** The system clock, which the test moves forward to make an answer expire. */
	private static final class MutableClock extends Clock {

		private volatile Duration offset = Duration.ZERO;

		void advance(Duration duration) {
			this.offset = this.offset.plus(duration);
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return Instant.now().plus(this.offset);
		}

	}

}
