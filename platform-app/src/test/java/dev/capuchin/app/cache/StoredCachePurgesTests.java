package dev.capuchin.app.cache;

import dev.capuchin.app.shared.config.StoreNotifications;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code cache_purge} table and {@link StoredCachePurges}, run against each supported
 * database after the real migrations: two instances on one store are two nodes, each with
 * a cache that records the purges applied to it.
 */
abstract class StoredCachePurgesTests {

	private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

	private JdbcTemplate jdbc;

	private final List<Applied> onA = new CopyOnWriteArrayList<>();

	private final List<Applied> onB = new CopyOnWriteArrayList<>();

	private StoredCachePurges nodeA;

	private StoredCachePurges nodeB;

	protected abstract DataSource dataSource();

	@BeforeEach
	void migrate() {
		DataSource dataSource = dataSource();
		Flyway flyway = Flyway.configure().dataSource(dataSource).cleanDisabled(false).load();
		flyway.clean();
		flyway.migrate();
		this.jdbc = new JdbcTemplate(dataSource);
		Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
		this.nodeA = new StoredCachePurges(this.jdbc, StoreNotifications.none(), recording(this.onA), Duration.ZERO,
				clock);
		this.nodeB = new StoredCachePurges(this.jdbc, StoreNotifications.none(), recording(this.onB), Duration.ZERO,
				clock);
	}

	private static StoredCachePurges.Target recording(List<Applied> applied) {
		return (zone, matches) -> {
			applied.add(new Applied(zone, matches));
			return 0;
		};
	}

	@Test
	void aPurgeStoredByOneNodeIsAppliedByAnother() {
		assertThat(this.nodeA.store(new StoredCachePurges.Purge("main", "http://a.test/x", null))).isTrue();
		assertThat(this.nodeB.load()).isEqualTo(1);
		assertThat(this.onB).singleElement().satisfies((applied) -> {
			assertThat(applied.zone()).isEqualTo("main");
			assertThat(applied.matches().test("http://a.test/x")).isTrue();
			assertThat(applied.matches().test("http://a.test/xy")).isFalse();
		});
	}

	@Test
	void prefixAndWholeZonePurgesKeepTheirScope() {
		this.nodeA.store(new StoredCachePurges.Purge("main", null, "http://a.test/app/"));
		this.nodeA.store(new StoredCachePurges.Purge("other", null, null));
		this.nodeB.load();
		assertThat(this.onB).hasSize(2);
		assertThat(this.onB.get(0).matches().test("http://a.test/app/y")).isTrue();
		assertThat(this.onB.get(0).matches().test("http://a.test/static/y")).isFalse();
		assertThat(this.onB.get(1).zone()).isEqualTo("other");
		assertThat(this.onB.get(1).matches().test("http://b.test/anything")).isTrue();
	}

	@Test
	void eachPurgeIsAppliedOnceAndNotAgainByTheNodeThatStoredIt() {
		this.nodeA.store(new StoredCachePurges.Purge("main", "http://a.test/x", null));
		this.nodeB.load();
		this.nodeB.load();
		this.nodeA.load();
		assertThat(this.onB).hasSize(1);
		assertThat(this.onA).isEmpty();
	}

	@Test
	void expiredPurgesAreDeletedAndNotApplied() {
		this.jdbc.update("insert into cache_purge (zone, url, prefix, purged_at, expires_at) values (?, ?, ?, ?, ?)",
				"main", "http://a.test/old", null, Timestamp.from(NOW.minusSeconds(7200)),
				Timestamp.from(NOW.minusSeconds(1)));
		assertThat(this.nodeB.load()).isZero();
		assertThat(this.onB).isEmpty();
		assertThat(this.jdbc.queryForObject("select count(*) from cache_purge", Integer.class)).isZero();
	}

	private record Applied(String zone, Predicate<String> matches) {
	}

}
