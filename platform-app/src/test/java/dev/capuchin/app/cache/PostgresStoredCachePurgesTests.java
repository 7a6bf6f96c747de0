package dev.capuchin.app.cache;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import dev.capuchin.app.shared.config.ListeningNode;
import dev.capuchin.app.shared.config.StoreNotifications;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cache purges' store on a real PostgreSQL: {@code .ci/run} starts one and sets
 * {@code CAPUCHIN_TEST_POSTGRES_URL}; run {@code .ci/postgres.sh} to get the same
 * locally.
 */
@EnabledIfEnvironmentVariable(named = "CAPUCHIN_TEST_POSTGRES_URL", matches = "jdbc:postgresql:.+")
class PostgresStoredCachePurgesTests extends StoredCachePurgesTests {

	@Override
	protected DataSource dataSource() {
		return new DriverManagerDataSource(System.getenv("CAPUCHIN_TEST_POSTGRES_URL"), "capuchin", "capuchin");
	}

	@Test
	void aPurgeReachesAListeningNodeAtOnceNotAtItsPoll() {
		JdbcTemplate jdbc = new JdbcTemplate(dataSource());
		Duration hour = Duration.ofHours(1);
		StoredCachePurges nodeA = new StoredCachePurges(jdbc, StoreNotifications.through(jdbc), (zone, matches) -> 0,
				hour, Clock.systemUTC());
		List<String> onB = new CopyOnWriteArrayList<>();
		StoredCachePurges nodeB = new StoredCachePurges(jdbc, StoreNotifications.none(), (zone, matches) -> {
			onB.add(zone);
			return 0;
		}, hour, Clock.systemUTC());
		nodeB.start();
		try (ListeningNode listening = ListeningNode.on(dataSource(), nodeB.channel())) {
			assertThat(nodeA.store(new StoredCachePurges.Purge("main", "http://a.test/x", null))).isTrue();
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(onB).containsExactly("main"));
		}
		finally {
			nodeB.stop();
		}
	}

}
