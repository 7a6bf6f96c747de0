package dev.capuchin.app.certificates;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With {@code capuchin.acme.challenge: tls-alpn-01}, a node proves its names on its TLS
 * listener: Pebble's TLS-ALPN-01 validations go to the node's ACME TLS listener, while
 * its HTTP-01 port has nothing listening, so only TLS-ALPN-01 can succeed.
 */
@EnabledIf("dev.capuchin.app.certificates.AcmeIssuanceTests#pebbleInstalled")
class AcmeTlsAlpnIssuanceTests {

	@TempDir
	static Path temp;

	private static Pebble pebble;

	private static ConfigurableApplicationContext node;

	@BeforeAll
	static void startPebbleAndANode() throws Exception {
		int tlsPort = Pebble.freePort();
		// where Pebble would validate HTTP-01: nothing listens there
		int nowhere = Pebble.freePort();
		pebble = Pebble.create(temp, nowhere, tlsPort, Duration.ofDays(90));
		pebble.start();
		node = AcmeTestSupport.start(temp, pebble, Pebble.freePort(),
				"--capuchin.server.listeners[1].address=127.0.0.1:" + tlsPort, "--capuchin.acme.challenge=tls-alpn-01");
	}

	@AfterAll
	static void stopThem() {
		if (node != null) {
			node.close();
		}
		if (pebble != null) {
			pebble.close();
		}
	}

	@Test
	void aCertificateProvedByTlsAlpn01IsServedOverHttps() {
		SSLContext trustingPebble = Pebble.trusting(List.of(pebble.root()));
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(250))
			.ignoreExceptions()
			.untilAsserted(() -> assertThat(
					AcmeTestSupport.https(AcmeTestSupport.tlsPort(node), AcmeTestSupport.SHOP, trustingPebble))
				.startsWith("HTTP/1.1 200")
				.endsWith("shop"));
	}

	@Test
	void theChallengeCertificateIsWithdrawnFromTheStoreOnceValidated() {
		JdbcTemplate store = node.getBean(JdbcTemplate.class);
		await().atMost(Duration.ofSeconds(60))
			.until(() -> store
				.queryForList("select serial from certificate where name = 'shop' and serial is not null", String.class)
				.size() == 1);
		assertThat(store.queryForObject("select count(*) from acme_tls_alpn_challenge", Integer.class)).isZero();
		assertThat(store.queryForObject("select count(*) from acme_challenge", Integer.class)).isZero();
	}

}
