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
 * A node restarted while the CA is down serves the certificate in the store from its
 * first handshake: the stored certificates are read before the listeners take
 * connections, not at the first look at the CA.
 */
@EnabledIf("dev.capuchin.app.certificates.AcmeIssuanceTests#pebbleInstalled")
class AcmeRestartTests {

	@TempDir
	static Path temp;

	private static Pebble pebble;

	@BeforeAll
	static void startPebble() {
		pebble = Pebble.create(temp, Pebble.freePort(), Duration.ofDays(90));
		pebble.start();
	}

	@AfterAll
	static void stopPebble() {
		if (pebble != null) {
			pebble.close();
		}
	}

	@Test
	void aRestartWhileTheCaIsDownServesTheStoredCertificateFromTheFirstHandshake() throws Exception {
		SSLContext trustingPebble = Pebble.trusting(List.of(pebble.root()));
		String serial;
		// the first run orders; Pebble validates on the port it was made with, so the
		// node takes that one
		try (ConfigurableApplicationContext first = AcmeTestSupport.start(temp, pebble, pebble.httpPort())) {
			JdbcTemplate store = first.getBean(JdbcTemplate.class);
			await().atMost(Duration.ofSeconds(60))
				.until(() -> store
					.queryForList("select serial from certificate where name = 'shop' and serial is not null",
							String.class)
					.size() == 1);
			serial = store.queryForObject("select serial from certificate where name = 'shop'", String.class);
		}
		pebble.stop();
		try (ConfigurableApplicationContext second = AcmeTestSupport.start(temp, pebble, Pebble.freePort())) {
			assertThat(
					AcmeTestSupport.servedSerial(AcmeTestSupport.tlsPort(second), AcmeTestSupport.SHOP, trustingPebble))
				.isEqualTo(serial);
			assertThat(AcmeTestSupport.https(AcmeTestSupport.tlsPort(second), AcmeTestSupport.SHOP, trustingPebble))
				.startsWith("HTTP/1.1 200")
				.endsWith("shop");
		}
	}

}
