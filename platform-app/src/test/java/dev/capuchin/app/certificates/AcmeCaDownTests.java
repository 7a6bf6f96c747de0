package dev.capuchin.app.certificates;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A CA that is down never blocks the start: the node starts and serves, records the
 * failure with a back-off, and orders by itself once the CA is up.
 */
@EnabledIf("dev.capuchin.app.certificates.AcmeIssuanceTests#pebbleInstalled")
class AcmeCaDownTests {

	@RegisterExtension
	static final AcmeTestSupport acme = AcmeTestSupport.pebbleAndANode().caDownAtStart();

	@Test
	void aCaThatIsDownAtStartIsOrderedFromByItselfOnceItIsUp() {
		JdbcTemplate store = acme.store();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> store
				.queryForList("select last_error from certificate where name = 'shop' and failures > 0", String.class)
				.size() == 1);
		assertThat(Pebble.listening(acme.tlsPort())).isTrue();
		acme.pebble().start();
		acme.awaitServed();
		assertThat(store.queryForObject("select failures from certificate where name = 'shop'", Integer.class))
			.isZero();
	}

}
