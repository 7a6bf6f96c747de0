package dev.capuchin.app.cache;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import dev.capuchin.app.shared.config.ConfigListener;
import dev.capuchin.app.shared.config.StoreChannel;
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
		AtomicInteger announced = new AtomicInteger();
		// the listener acts on every channel once it listens: from then on only a
		// NOTIFY can bring the purge before the hour's poll
		ConfigListener listener = new ConfigListener(dataSource(),
				List.of(new StoreChannel(StoredCachePurges.CHANNEL, () -> {
					announced.incrementAndGet();
					nodeB.channel().changed().run();
				})));
		nodeB.start();
		listener.start();
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> announced.get() > 0);
			assertThat(nodeA.store(new StoredCachePurges.Purge("main", "http://a.test/x", null))).isTrue();
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(onB).containsExactly("main"));
		}
		finally {
			listener.stop();
			nodeB.stop();
		}
	}

}
