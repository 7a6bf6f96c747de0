package dev.capuchin.app.openidlogins;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import dev.capuchin.app.shared.config.ListeningNode;
import dev.capuchin.app.shared.config.StoreNotifications;
import dev.capuchin.plugin.auth.OpenIdRevocations.Revocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The back-channel logouts' store on a real PostgreSQL: {@code .ci/run} starts one and
 * sets {@code CAPUCHIN_TEST_POSTGRES_URL}; run {@code .ci/postgres.sh} to get the same
 * locally.
 */
@EnabledIfEnvironmentVariable(named = "CAPUCHIN_TEST_POSTGRES_URL", matches = "jdbc:postgresql:.+")
class PostgresStoredOpenIdRevocationsTests extends StoredOpenIdRevocationsTests {

	@Override
	protected DataSource dataSource() {
		return new DriverManagerDataSource(System.getenv("CAPUCHIN_TEST_POSTGRES_URL"), "capuchin", "capuchin");
	}

	@Test
	void aLogoutReachesAListeningNodeAtOnceNotAtItsPoll() {
		JdbcTemplate jdbc = new JdbcTemplate(dataSource());
		Duration hour = Duration.ofHours(1);
		StoredOpenIdRevocations nodeA = new StoredOpenIdRevocations(jdbc, StoreNotifications.through(jdbc), hour,
				Clock.systemUTC());
		StoredOpenIdRevocations nodeB = new StoredOpenIdRevocations(jdbc, StoreNotifications.none(), hour,
				Clock.systemUTC());
		Instant signedIn = Instant.now().minusSeconds(60);
		nodeA.start();
		nodeB.start();
		try (ListeningNode listening = ListeningNode.on(dataSource(), nodeB.channel())) {
			nodeA.revoke(new Revocation("http://127.0.0.1:9400", "sid-now", null, Instant.now(),
					Instant.now().plus(Duration.ofHours(1))));
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(nodeB.revoked("http://127.0.0.1:9400", "sid-now", "someone", signedIn))
					.isTrue());
		}
		finally {
			nodeA.stop();
			nodeB.stop();
		}
	}

}
