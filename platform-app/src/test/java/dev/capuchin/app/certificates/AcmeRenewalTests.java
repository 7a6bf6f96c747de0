package dev.capuchin.app.certificates;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.capuchin.core.internal.tls.TlsContexts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Short-lived certificates from Pebble (a 45-second lifetime) are renewed by the node
 * itself; a renewed one is served from the next handshake while a connection opened
 * before goes on with the one it shook hands with. Pebble 2.4 offers no renewal
 * information (RFC 9773), so the renewal falls due at two thirds of the lifetime. The
 * files of a replaced certificate, which the node removes, are never warned about.
 */
@EnabledIf("dev.capuchin.app.certificates.AcmeIssuanceTests#pebbleInstalled")
class AcmeRenewalTests {

	// long enough that an order, which takes up to ten seconds on a busy machine, ends
	// well before the expiry: the renewal falls due with a third of the lifetime left
	private static final Duration LIFETIME = Duration.ofSeconds(45);

	// the certificate files are checked for changes every half second: the renewals'
	// removed files must not be warned about
	@RegisterExtension
	static final AcmeTestSupport acme = AcmeTestSupport.pebbleAndANode()
		.lifetime(LIFETIME)
		.with("--capuchin.server.tls.reload-interval=500ms");

	private static final ListAppender<ILoggingEvent> tlsWarnings = new ListAppender<>();

	@BeforeAll
	static void listenToTheTlsContexts() {
		tlsWarnings.start();
		((Logger) LoggerFactory.getLogger(TlsContexts.class)).addAppender(tlsWarnings);
	}

	@AfterAll
	static void stopListening() {
		((Logger) LoggerFactory.getLogger(TlsContexts.class)).detachAppender(tlsWarnings);
	}

	@Test
	void aCertificateIsRenewedByItselfWithoutDroppingAnOpenConnection() throws Exception {
		acme.awaitServed();
		X509Certificate root = acme.pebble().root();
		SSLContext trustingPebble = Pebble.trusting(List.of(root));
		int port = acme.tlsPort();
		try (Socket plain = new Socket("127.0.0.1", port)) {
			plain.setSoTimeout(10_000);
			SSLSocket open = (SSLSocket) trustingPebble.getSocketFactory()
				.createSocket(plain, AcmeTestSupport.SHOP, port, true);
			open.startHandshake();
			String first = serial(open);
			assertThat(get(open)).startsWith("HTTP/1.1 200");
			// the open connection keeps asking meanwhile, well within its keep-alive time
			await().atMost(LIFETIME.multipliedBy(3)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
				assertThat(get(open)).startsWith("HTTP/1.1 200");
				// a context of its own, whose session cache cannot resume the first
				// handshake's session
				assertThat(AcmeTestSupport.servedSerial(port, AcmeTestSupport.SHOP, Pebble.trusting(List.of(root))))
					.isNotEqualTo(first);
			});
			assertThat(get(open)).startsWith("HTTP/1.1 200").endsWith("shop");
			assertThat(serial(open)).isEqualTo(first);
		}
		assertThat(acme.store()
			.queryForObject("select count(*) from audit_log where action = 'renewed' and target = 'certificate shop'",
					Integer.class))
			.isPositive();
		// the appender adds under its own lock, on the TLS maintenance thread
		synchronized (tlsWarnings) {
			assertThat(List.copyOf(tlsWarnings.list))
				.noneMatch((event) -> event.getLevel().isGreaterOrEqual(Level.WARN));
		}
	}

	@Test
	void withoutRenewalInformationTheRenewalFallsDueAtTwoThirdsOfTheLifetime() {
		acme.awaitIssued();
		Map<String, Object> row = acme.store()
			.queryForMap("select not_before, not_after, next_attempt from certificate where name = 'shop'");
		Instant notBefore = instant(row.get("NOT_BEFORE"));
		Duration lifetime = Duration.between(notBefore, instant(row.get("NOT_AFTER")));
		Instant twoThirds = notBefore.plus(lifetime.multipliedBy(2).dividedBy(3));
		assertThat(instant(row.get("NEXT_ATTEMPT"))).isBetween(twoThirds.minus(lifetime.dividedBy(20)), twoThirds);
	}

	private static Instant instant(Object value) {
		if (value instanceof Timestamp timestamp) {
			return timestamp.toInstant();
		}
		if (value instanceof java.time.OffsetDateTime offset) {
			return offset.toInstant();
		}
		throw new IllegalArgumentException("not a time: " + value);
	}

	private static String serial(SSLSocket socket) throws IOException {
		return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber().toString(16);
	}

	// one keep-alive exchange on an open connection: the head, then Content-Length bytes
	private static String get(SSLSocket socket) throws IOException {
		socket.getOutputStream()
			.write(("GET / HTTP/1.1\r\nHost: " + AcmeTestSupport.SHOP + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
		socket.getOutputStream().flush();
		InputStream in = socket.getInputStream();
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
			int next = in.read();
			if (next < 0) {
				throw new IOException("connection closed after " + head);
			}
			head.write(next);
		}
		String text = head.toString(StandardCharsets.US_ASCII);
		int length = 0;
		for (String line : text.split("\r\n")) {
			if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
				length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
			}
		}
		return text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
	}

}
