package dev.capuchin.plugin.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
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
	void aRevocationNamesASidOrASubject() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Revocation(ISSUER, null, null, NOW, NOW))
			.withMessageContaining("sid and subject");
	}

}
