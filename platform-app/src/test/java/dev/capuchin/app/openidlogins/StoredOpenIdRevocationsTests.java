package dev.capuchin.app.openidlogins;

import dev.capuchin.app.shared.config.StoreNotifications;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import javax.sql.DataSource;

import dev.capuchin.plugin.auth.OpenIdRevocations.Revocation;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code openid_session_revocation} table and {@link StoredOpenIdRevocations}, run
 * against each supported database after the real migrations: two instances on one store
 * are two nodes.
 */
abstract class StoredOpenIdRevocationsTests {

	private static final String ISSUER = "http://127.0.0.1:9400";

	private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

	private JdbcTemplate jdbc;

	private StoredOpenIdRevocations nodeA;

	private StoredOpenIdRevocations nodeB;

	protected abstract DataSource dataSource();

	@BeforeEach
	void migrate() {
		DataSource dataSource = dataSource();
		Flyway flyway = Flyway.configure().dataSource(dataSource).cleanDisabled(false).load();
		flyway.clean();
		flyway.migrate();
		this.jdbc = new JdbcTemplate(dataSource);
		Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
		this.nodeA = new StoredOpenIdRevocations(this.jdbc, StoreNotifications.none(), Duration.ZERO, clock);
		this.nodeB = new StoredOpenIdRevocations(this.jdbc, StoreNotifications.none(), Duration.ZERO, clock);
	}

	@AfterEach
	void stop() {
		this.nodeA.stop();
		this.nodeB.stop();
	}

	@Test
	void aLogoutReceivedByOneNodeEndsTheSessionOnAnother() {
		this.nodeA.revoke(new Revocation(ISSUER, "sid-1", null, NOW, NOW.plus(Duration.ofHours(12))));
		assertThat(this.nodeA.revoked(ISSUER, "sid-1", "alice", NOW.minusSeconds(60))).isTrue();
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			this.nodeB.load();
			return this.nodeB.revoked(ISSUER, "sid-1", "alice", NOW.minusSeconds(60));
		});
		assertThat(this.nodeB.revoked(ISSUER, "sid-2", "alice", NOW.minusSeconds(60))).isFalse();
		assertThat(this.nodeB.revoked("http://other", "sid-1", "alice", NOW.minusSeconds(60))).isFalse();
	}

	@Test
	void aSubjectsLogoutEndsOnlyTheSessionsStartedBeforeIt() {
		this.nodeA.revoke(new Revocation(ISSUER, null, "alice", NOW, NOW.plus(Duration.ofHours(12))));
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			this.nodeB.load();
			return this.nodeB.revoked(ISSUER, "sid-9", "alice", NOW.minusSeconds(1));
		});
		assertThat(this.nodeB.revoked(ISSUER, "sid-9", "alice", NOW.plusSeconds(1))).isFalse();
		assertThat(this.nodeB.revoked(ISSUER, "sid-9", "bob", NOW.minusSeconds(1))).isFalse();
	}

	@Test
	void endedLogoutsAreDeletedFromTheStoreAndNotLoaded() {
		this.jdbc.update(
				"insert into openid_session_revocation (issuer, sid, subject, revoked_at, expires_at)"
						+ " values (?, ?, ?, ?, ?)",
				ISSUER, "old", null, java.sql.Timestamp.from(NOW.minusSeconds(7200)),
				java.sql.Timestamp.from(NOW.minusSeconds(1)));
		this.nodeB.load();
		assertThat(this.nodeB.revoked(ISSUER, "old", null, NOW.minusSeconds(9000))).isFalse();
		assertThat(this.jdbc.queryForObject("select count(*) from openid_session_revocation", Integer.class)).isZero();
	}

}
