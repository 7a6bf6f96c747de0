package dev.capuchin.plugin.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import dev.capuchin.plugin.auth.OpenIdRevocations.Revocation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class MemoryOpenIdRevocationsTests {

	private static final String ISSUER = "https://id.example";

	private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

	private final AtomicReference<Instant> now = new AtomicReference<>(NOW);

	private final MemoryOpenIdRevocations revocations = new MemoryOpenIdRevocations(new Clock() {

		@Override
		public Instant instant() {
			return MemoryOpenIdRevocationsTests.this.now.get();
		}

		@Override
		public java.time.ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

	});

	@Test
	void aSidNamesThatSessionOfThatIssuerOnly() {
		this.revocations.revoke(new Revocation(ISSUER, "s1", null, NOW, NOW.plusSeconds(60)));
		assertThat(this.revocations.revoked(ISSUER, "s1", "alice", NOW.plusSeconds(10))).isTrue();
		assertThat(this.revocations.revoked(ISSUER, "s2", "alice", NOW.minusSeconds(10))).isFalse();
		assertThat(this.revocations.revoked("https://other.example", "s1", "alice", NOW)).isFalse();
		assertThat(this.revocations.revoked(ISSUER, null, "alice", NOW)).isFalse();
	}

	@Test
	void aSubjectNamesTheSessionsStartedUpToTheLogout() {
		this.revocations.revoke(new Revocation(ISSUER, null, "alice", NOW, NOW.plusSeconds(60)));
		assertThat(this.revocations.revoked(ISSUER, "s1", "alice", NOW.minusSeconds(1))).isTrue();
		assertThat(this.revocations.revoked(ISSUER, null, "alice", NOW)).isTrue();
		assertThat(this.revocations.revoked(ISSUER, "s1", "alice", NOW.plusSeconds(1))).isFalse();
		assertThat(this.revocations.revoked(ISSUER, "s1", "bob", NOW.minusSeconds(1))).isFalse();
	}

	@Test
	void endedRevocationsAreForgotten() {
		this.revocations.revoke(new Revocation(ISSUER, "s1", null, NOW, NOW.plus(Duration.ofMinutes(1))));
		this.revocations.revoke(new Revocation(ISSUER, "s2", null, NOW, NOW.plus(Duration.ofHours(1))));
		this.now.set(NOW.plus(Duration.ofMinutes(2)));
		assertThat(this.revocations.clean()).isEqualTo(1);
		assertThat(this.revocations.size()).isEqualTo(1);
		assertThat(this.revocations.revoked(ISSUER, "s2", null, NOW)).isTrue();
	}

	@Test
	void aBatchRecordsEveryLogoutAndKeepsTheLatestOfASubject() {
		this.revocations.revoke(new Revocation(ISSUER, null, "alice", NOW, NOW.plusSeconds(600)));
		this.revocations.revokeAll(List.of(new Revocation(ISSUER, "s1", null, NOW, NOW.plusSeconds(600)),
				new Revocation(ISSUER, null, "alice", NOW.plusSeconds(30), NOW.plusSeconds(600)),
				new Revocation(ISSUER, null, "alice", NOW.minusSeconds(30), NOW.plusSeconds(600))));
		assertThat(this.revocations.size()).isEqualTo(2);
		assertThat(this.revocations.revoked(ISSUER, "s1", null, NOW)).isTrue();
		assertThat(this.revocations.revoked(ISSUER, null, "alice", NOW.plusSeconds(20))).isTrue();
		assertThat(this.revocations.revoked(ISSUER, null, "alice", NOW.plusSeconds(40))).isFalse();
	}

	@Test
	void aPollBringingOnlyKnownLogoutsChangesNothing() {
		List<Revocation> stored = List.of(new Revocation(ISSUER, "s1", null, NOW, NOW.plusSeconds(600)),
				new Revocation(ISSUER, null, "bob", NOW, NOW.plusSeconds(600)));
		this.revocations.revokeAll(stored);
		this.revocations.revokeAll(stored);
		assertThat(this.revocations.size()).isEqualTo(2);
		assertThat(this.revocations.clean()).isZero();
		assertThat(this.revocations.revoked(ISSUER, "s9", "bob", NOW.minusSeconds(1))).isTrue();
	}

	@Test
	void pastTheLimitAnAdditionForgetsTheEndedLogouts() {
		List<Revocation> ended = new ArrayList<>();
		for (int i = 0; i < MemoryOpenIdRevocations.CLEAN_ABOVE; i++) {
			ended.add(new Revocation(ISSUER, "ended-" + i, null, NOW, NOW.plusSeconds(60)));
		}
		this.revocations.revokeAll(ended);
		assertThat(this.revocations.size()).isEqualTo(MemoryOpenIdRevocations.CLEAN_ABOVE);
		this.now.set(NOW.plusSeconds(120));
		this.revocations.revoke(new Revocation(ISSUER, "live", null, NOW.plusSeconds(120), NOW.plusSeconds(600)));
		assertThat(this.revocations.size()).isEqualTo(1);
		assertThat(this.revocations.revoked(ISSUER, "live", null, NOW)).isTrue();
		assertThat(this.revocations.revoked(ISSUER, "ended-1", null, NOW)).isFalse();
	}

	@Test
	void withoutAnyLogoutNoSessionIsRevoked() {
		assertThat(this.revocations.revoked(ISSUER, "s1", "alice", NOW)).isFalse();
		assertThat(this.revocations.size()).isZero();
	}

	@Test
	void aRevocationNamesASidOrASubject() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Revocation(ISSUER, null, null, NOW, NOW))
			.withMessageContaining("sid and subject");
	}

}
