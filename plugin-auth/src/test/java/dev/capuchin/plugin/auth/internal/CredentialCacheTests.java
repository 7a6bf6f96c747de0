package dev.capuchin.plugin.auth.internal;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CredentialCacheTests {

	private static final long SECOND = 1_000_000_000L;

	private final CredentialCache cache = new CredentialCache(Duration.ofSeconds(60), 3);

	private final CredentialCache.Key alice = CredentialCache.key("/users", "Private", "alice", "wonderland");

	@Test
	void verifiedCredentialsCountWithinTheTimeToLive() {
		this.cache.put(this.alice, 7, 0);
		assertThat(this.cache.contains(this.alice, 7, 59 * SECOND)).isTrue();
	}

	@Test
	void verifiedCredentialsExpireAfterTheTimeToLive() {
		this.cache.put(this.alice, 7, 0);
		assertThat(this.cache.contains(this.alice, 7, 60 * SECOND)).isFalse();
		assertThat(this.cache.size()).isZero();
	}

	@Test
	void credentialsVerifiedAgainstOlderUsersDoNotCount() {
		this.cache.put(this.alice, 7, 0);
		assertThat(this.cache.contains(this.alice, 8, SECOND)).isFalse();
	}

	@Test
	void theKeyDependsOnFileRealmUserAndPassword() {
		assertThat(CredentialCache.key("/users", "Private", "alice", "wonderland")).isEqualTo(this.alice);
		assertThat(CredentialCache.key("/users", "Private", "alice", "wonderlanD")).isNotEqualTo(this.alice);
		assertThat(CredentialCache.key("/users", "Other", "alice", "wonderland")).isNotEqualTo(this.alice);
		assertThat(CredentialCache.key("/other", "Private", "alice", "wonderland")).isNotEqualTo(this.alice);
		assertThat(CredentialCache.key("/users", "Private", "alicew", "onderland")).isNotEqualTo(this.alice);
	}

	@Test
	void theCacheStaysWithinItsSize() {
		for (int i = 0; i < 10; i++) {
			this.cache.put(CredentialCache.key("/users", "Private", "user" + i, "pw"), 1, i);
		}
		assertThat(this.cache.size()).isLessThanOrEqualTo(3);
		assertThat(this.cache.contains(CredentialCache.key("/users", "Private", "user9", "pw"), 1, 10)).isTrue();
	}

	@Test
	void aZeroTimeToLiveCachesNothing() {
		CredentialCache off = new CredentialCache(Duration.ZERO, 100);
		off.put(this.alice, 1, 0);
		assertThat(off.contains(this.alice, 1, 0)).isFalse();
	}

	@Test
	void clearForgetsEverything() {
		this.cache.put(this.alice, 7, 0);
		this.cache.clear();
		assertThat(this.cache.contains(this.alice, 7, 1)).isFalse();
	}

}
