package dev.capuchin.core.internal.server;

import java.io.IOException;
import java.nio.file.Path;

import dev.capuchin.core.internal.tls.TlsEngine;
import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.testing.EveryTlsEngine;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.OpensslClient;
import dev.capuchin.core.testing.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TLS policy of a default listener, seen by {@code openssl s_client}: protocols,
 * ciphers, groups, the server's cipher order, and session resumption by tickets whose
 * keys rotate. Runs on every transport with every TLS engine.
 */
@EveryTlsEngine
class TlsPolicySocketTests {

	@TempDir
	Path temp;

	@Parameter(0)
	Transport transport;

	@Parameter(1)
	TlsEngine engine;

	private KernelFixture kernel;

	@BeforeEach
	void start() throws IOException {
		TestCertificates.Issued certificate = TestCertificates.issue(this.temp.resolve("certificates"), "localhost",
				"127.0.0.1");
		this.kernel = KernelFixture.builder(this.temp)
			.transport(this.transport)
			.tlsEngine(this.engine)
			.listener((listener) -> listener.withTls(certificate.tls(), false))
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
	void tls13IsAccepted() {
		OpensslClient.Result result = OpensslClient.connect(this.kernel.address(), "-tls1_3");
		assertThat(result.handshaken()).as(result.output()).isTrue();
		assertThat(result.output()).contains("TLSv1.3");
	}

	@Test
	void tls12WithForwardSecrecyAndAeadIsAccepted() {
		OpensslClient.Result result = OpensslClient.connect(this.kernel.address(), "-tls1_2", "-cipher",
				"ECDHE-ECDSA-AES128-GCM-SHA256");
		assertThat(result.handshaken()).as(result.output()).isTrue();
	}

	@Test
	void tls12CbcCipherIsRefused() {
		OpensslClient.Result result = OpensslClient.connect(this.kernel.address(), "-tls1_2", "-cipher",
				"ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA");
		assertThat(result.handshaken()).as(result.output()).isFalse();
	}

	@Test
	void serverChoosesItsOwnCipherOrder() {
		OpensslClient.Result result = OpensslClient.connect(this.kernel.address(), "-tls1_2", "-cipher",
				"ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256");
		assertThat(result.output()).as(result.output()).contains("Cipher is ECDHE-ECDSA-AES128-GCM-SHA256");
	}

	@Test
	void x25519IsTheFirstGroup() {
		Assumptions.assumeTrue(this.engine == TlsEngine.OPENSSL,
				"the JDK's engine takes the group of the client's first key share");
		OpensslClient.Result result = OpensslClient.connect(this.kernel.address(), "-groups", "P-256:X25519");
		assertThat(result.output()).as(result.output()).contains("Server Temp Key: X25519");
	}

	@Test
	void p384OnlyClientIsRefusedOnOpenssl() {
		Assumptions.assumeTrue(this.engine == TlsEngine.OPENSSL, "the JDK's engine takes the JVM's groups");
		OpensslClient.Result result = OpensslClient.connect(this.kernel.address(), "-groups", "P-384");
		assertThat(result.handshaken()).as(result.output()).isFalse();
	}

	@Test
	void secondConnectionResumesTheSessionOnTls12() {
		OpensslClient.Result result = OpensslClient.connect(this.kernel.address(), "-tls1_2", "-reconnect");
		assertThat(result.reused()).as(result.output()).isGreaterThanOrEqualTo(1);
	}

	@Test
	void secondConnectionResumesTheSessionOnTls13() {
		// a TLS 1.3 ticket comes after the handshake: the first connection reads a
		// response to receive it
		Path session = this.temp.resolve("session13.pem");
		OpensslClient.Result first = OpensslClient.request(this.kernel.address(),
				"GET /who.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", "-tls1_3", "-sess_out",
				session.toString());
		assertThat(first.output()).contains("default site");
		OpensslClient.Result result = OpensslClient.connect(this.kernel.address(), "-tls1_3", "-sess_in",
				session.toString());
		assertThat(result.output()).as(result.output()).contains("Reused, TLSv1.3");
	}

	@Test
	void ticketStillResumesAfterOneKeyRotation() {
		Assumptions.assumeTrue(this.engine == TlsEngine.OPENSSL, "the JDK's engine rotates its own keys");
		Path session = this.temp.resolve("session.pem");
		OpensslClient.connect(this.kernel.address(), "-tls1_2", "-sess_out", session.toString());
		this.kernel.server().tls().rotateTicketKeys();
		OpensslClient.Result result = OpensslClient.connect(this.kernel.address(), "-tls1_2", "-sess_in",
				session.toString());
		assertThat(result.reused()).as(result.output()).isEqualTo(1);
	}

	@Test
	void ticketNoLongerResumesAfterTwoKeyRotations() {
		Assumptions.assumeTrue(this.engine == TlsEngine.OPENSSL, "the JDK's engine rotates its own keys");
		Path session = this.temp.resolve("session.pem");
		OpensslClient.Result first = OpensslClient.connect(this.kernel.address(), "-tls1_2", "-sess_out",
				session.toString());
		assertThat(first.output()).contains("TLS session ticket:");
		this.kernel.server().tls().rotateTicketKeys();
		this.kernel.server().tls().rotateTicketKeys();
		OpensslClient.Result result = OpensslClient.connect(this.kernel.address(), "-tls1_2", "-sess_in",
				session.toString());
		assertThat(result.handshaken()).as(result.output()).isTrue();
		assertThat(result.reused()).as(result.output()).isZero();
	}

}
