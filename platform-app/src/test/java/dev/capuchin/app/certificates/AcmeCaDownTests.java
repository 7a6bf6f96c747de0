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
 * A CA that is down never blocks the start: the node starts and serves, records the
 * failure with a back-off, and orders by itself once the CA is up.
 */
@EnabledIf("dev.capuchin.app.certificates.AcmeIssuanceTests#pebbleInstalled")
class AcmeCaDownTests {

	@TempDir
	static Path temp;

	private static Pebble pebble;

	private static ConfigurableApplicationContext node;

	@BeforeAll
	static void startANodeWhileTheCaIsDown() throws Exception {
		int httpPort = Pebble.freePort();
		pebble = Pebble.create(temp, httpPort, Duration.ofDays(90));
		node = AcmeTestSupport.start(temp, pebble, httpPort);
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
	void aCaThatIsDownAtStartIsOrderedFromByItselfOnceItIsUp() throws Exception {
		JdbcTemplate store = node.getBean(JdbcTemplate.class);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> store
				.queryForList("select last_error from certificate where name = 'shop' and failures > 0", String.class)
				.size() == 1);
		assertThat(Pebble.listening(AcmeTestSupport.tlsPort(node))).isTrue();
		pebble.start();
		SSLContext trustingPebble = Pebble.trusting(List.of(pebble.root()));
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(250))
			.ignoreExceptions()
			.untilAsserted(() -> assertThat(
					AcmeTestSupport.https(AcmeTestSupport.tlsPort(node), AcmeTestSupport.SHOP, trustingPebble))
				.startsWith("HTTP/1.1 200")
				.endsWith("shop"));
		assertThat(store.queryForObject("select failures from certificate where name = 'shop'", Integer.class))
			.isZero();
	}

}
