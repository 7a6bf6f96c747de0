package dev.capuchin.plugin.auth.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CredentialCacheTests {

	private static final long SECOND = 1_000_000_000L;

	private final AtomicLong now = new AtomicLong();

	private final CredentialCache cache = new CredentialCache(Duration.ofSeconds(60), 3, this.now::get);

	private final CredentialCache.Key alice = CredentialCache.key("/users", "Private", "alice", "wonderland");

	@Test
	void verifiedCredentialsCountWithinTheTimeToLive() {
		this.cache.put(this.alice, 7);
		this.now.set(59 * SECOND);
		assertThat(this.cache.contains(this.alice, 7)).isTrue();
	}

	@Test
	void verifiedCredentialsExpireAfterTheTimeToLive() {
		this.cache.put(this.alice, 7);
		this.now.set(60 * SECOND);
		assertThat(this.cache.contains(this.alice, 7)).isFalse();
		assertThat(this.cache.size()).isZero();
	}

	@Test
	void credentialsVerifiedAgainstOlderUsersDoNotCount() {
		this.cache.put(this.alice, 7);
		this.now.set(SECOND);
		assertThat(this.cache.contains(this.alice, 8)).isFalse();
		assertThat(this.cache.size()).isZero();
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
			this.now.set(i);
			this.cache.put(CredentialCache.key("/users", "Private", "user" + i, "pw"), 1);
		}
		assertThat(this.cache.size()).isLessThanOrEqualTo(3);
		this.now.set(10);
		// which entries stay is Caffeine's admission policy (not strictly the latest):
		// what
		// counts is that the cache still answers for the ones it kept
		long kept = IntStream.range(0, 10)
			.filter((i) -> this.cache.contains(CredentialCache.key("/users", "Private", "user" + i, "pw"), 1))
			.count();
		assertThat(kept).isPositive().isEqualTo(this.cache.size());
	}

	@Test
	void aZeroTimeToLiveCachesNothing() {
		CredentialCache off = new CredentialCache(Duration.ZERO, 100, this.now::get);
		off.put(this.alice, 1);
		assertThat(off.contains(this.alice, 1)).isFalse();
	}

	@Test
	void clearForgetsEverything() {
		this.cache.put(this.alice, 7);
		this.cache.clear();
		this.now.set(1);
		assertThat(this.cache.contains(this.alice, 7)).isFalse();
	}

}
