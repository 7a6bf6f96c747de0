package dev.capuchin.app.certificates;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import dev.capuchin.app.identity.MasterKey;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.shredzone.acme4j.Status;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The CA's terms of service are accepted only when {@code capuchin.acme.accept-terms}
 * says so.
 */
@EnabledIf("dev.capuchin.app.certificates.AcmeIssuanceTests#pebbleInstalled")
class AcmeTermsTests {

	@TempDir
	static Path temp;

	private static Pebble pebble;

	@BeforeAll
	static void startPebble() {
		pebble = Pebble.create(temp, Pebble.freePort(), Duration.ofDays(90));
		pebble.start();
	}

	// a store of its own for each test
	private static JdbcTemplate store(String name) {
		DriverManagerDataSource dataSource = new DriverManagerDataSource("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1",
				"capuchin", "capuchin");
		Flyway.configure().dataSource(dataSource).load().migrate();
		return new JdbcTemplate(dataSource);
	}

	@AfterAll
	static void stopPebble() {
		if (pebble != null) {
			pebble.close();
		}
	}

	private static AcmeClient client(JdbcTemplate jdbc, boolean acceptTerms) {
		AcmeProperties properties = new AcmeProperties(URI.create(pebble.directoryUrl()), "admin@example.test",
				acceptTerms, pebble.ownCertificate(), null, null, temp.resolve("acme"), Duration.ofMinutes(1),
				Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofMinutes(2));
		return new AcmeClient(properties, new CertificateStore(jdbc), MasterKey.load(null, temp.resolve("master.key")),
				Clock.systemUTC());
	}

	@Test
	void withoutAcceptedTermsNoAccountIsCreatedAndTheRefusalNamesTheKey() {
		JdbcTemplate jdbc = store("terms-refused");
		assertThatIllegalStateException().isThrownBy(() -> client(jdbc, false).login())
			.withMessageStartingWith("capuchin.acme.accept-terms: false (expected: true");
		assertThat(jdbc.queryForObject("select count(*) from acme_account", Integer.class)).isZero();
	}

	@Test
	void withAcceptedTermsTheAccountIsCreatedWithItsKeyEncrypted() throws Exception {
		JdbcTemplate jdbc = store("terms-accepted");
		assertThat(client(jdbc, true).login().getAccount().getStatus()).isEqualTo(Status.VALID);
		assertThat(jdbc.queryForObject("select key_pair_encrypted from acme_account", String.class))
			.doesNotContain("PRIVATE KEY");
	}

}
