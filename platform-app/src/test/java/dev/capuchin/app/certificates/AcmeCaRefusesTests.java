package dev.capuchin.app.certificates;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;

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

	@RegisterExtension
	static final AcmeTestSupport acme = AcmeTestSupport.pebbleAndANode().refusing(AcmeTestSupport.SHOP);

	@Test
	void aCaThatRefusesAndThenAcceptsGetsOrderedFromByItself() {
		JdbcTemplate store = acme.store();
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
		assertThat(Pebble.listening(acme.tlsPort())).isTrue();
		acme.pebble().stop();
		acme.pebble().refuse(List.of());
		acme.pebble().start();
		acme.awaitServed();
		assertThat(store.queryForObject("select failures from certificate where name = 'shop'", Integer.class))
			.isZero();
	}

}
