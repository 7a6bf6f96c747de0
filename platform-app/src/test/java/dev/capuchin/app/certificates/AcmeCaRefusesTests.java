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
 * A CA that answers but refuses the site's name (Pebble's domain block list, a
 * {@code rejectedIdentifier} error): the failures are counted with their error and one
 * audit entry while the node serves on, and once the CA accepts the name again the node
 * orders by itself and the count goes back to zero.
 */
@EnabledIf("dev.capuchin.app.certificates.AcmeIssuanceTests#pebbleInstalled")
class AcmeCaRefusesTests {

	@TempDir
	static Path temp;

	private static Pebble pebble;

	private static ConfigurableApplicationContext node;

	@BeforeAll
	static void startARefusingCaAndANode() throws Exception {
		int httpPort = Pebble.freePort();
		pebble = Pebble.create(temp, httpPort, Duration.ofDays(90));
		pebble.refuse(List.of(AcmeTestSupport.SHOP));
		pebble.start();
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
	void aCaThatRefusesAndThenAcceptsGetsOrderedFromByItself() throws Exception {
		JdbcTemplate store = node.getBean(JdbcTemplate.class);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> store
				.queryForList("select last_error from certificate where name = 'shop' and failures > 1", String.class)
				.size() == 1);
		assertThat(store.queryForObject("select last_error from certificate where name = 'shop'", String.class))
			.isNotBlank();
		assertThat(store.queryForObject(
				"select count(*) from audit_log where action = 'failed' and target = 'certificate shop'",
				Integer.class))
			.isEqualTo(1);
		assertThat(Pebble.listening(AcmeTestSupport.tlsPort(node))).isTrue();
		pebble.stop();
		pebble.refuse(List.of());
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
