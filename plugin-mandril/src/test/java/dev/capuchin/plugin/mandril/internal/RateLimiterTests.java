package dev.capuchin.plugin.mandril.internal;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;

import dev.capuchin.plugin.mandril.RateLimit;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RateLimiterTests {

	private static final long SECOND = 1_000_000_000L;

	private final AtomicLong now = new AtomicLong(42 * SECOND);

	@Test
	void aClientMaySendItsBurstAtOnceThenIsRefused() throws Exception {
		RateLimiter limiter = new RateLimiter(new RateLimit(2, 4), 100, this.now::get);
		InetAddress client = InetAddress.getByName("192.0.2.1");
		for (int i = 0; i < 4; i++) {
			assertThat(limiter.acquire(client)).as("request %d", i + 1).isZero();
		}
		assertThat(limiter.acquire(client)).isEqualTo(SECOND / 2);
	}

	@Test
	void theBucketRefillsAtTheRate() throws Exception {
		RateLimiter limiter = new RateLimiter(new RateLimit(2, 1), 100, this.now::get);
		InetAddress client = InetAddress.getByName("192.0.2.1");
		assertThat(limiter.acquire(client)).isZero();
		assertThat(limiter.acquire(client)).isPositive();
		this.now.addAndGet(SECOND / 2);
		assertThat(limiter.acquire(client)).isZero();
		assertThat(limiter.acquire(client)).isPositive();
	}

	@Test
	void refusedRequestsDoNotDrainTheBucket() throws Exception {
		RateLimiter limiter = new RateLimiter(new RateLimit(1, 1), 100, this.now::get);
		InetAddress client = InetAddress.getByName("192.0.2.1");
		limiter.acquire(client);
		for (int i = 0; i < 10; i++) {
			limiter.acquire(client);
		}
		this.now.addAndGet(SECOND);
		assertThat(limiter.acquire(client)).isZero();
	}

	@Test
	void clientsHaveTheirOwnBuckets() throws Exception {
		RateLimiter limiter = new RateLimiter(new RateLimit(1, 1), 100, this.now::get);
		assertThat(limiter.acquire(InetAddress.getByName("192.0.2.1"))).isZero();
		assertThat(limiter.acquire(InetAddress.getByName("192.0.2.1"))).isPositive();
		assertThat(limiter.acquire(InetAddress.getByName("192.0.2.2"))).isZero();
	}

	@Test
	void aZeroBurstMeansTheRateRoundedUp() {
		assertThat(new RateLimit(2.5, 0).effectiveBurst()).isEqualTo(3);
		assertThat(new RateLimit(0.2, 0).effectiveBurst()).isEqualTo(1);
	}

	@Test
	void sweepingForgetsClientsWhoseBucketsAreFullAgain() throws Exception {
		RateLimiter limiter = new RateLimiter(new RateLimit(10, 10), 100, this.now::get);
		limiter.acquire(InetAddress.getByName("192.0.2.1"));
		for (int i = 0; i < 10; i++) {
			limiter.acquire(InetAddress.getByName("192.0.2.2"));
		}
		this.now.addAndGet(SECOND / 5);
		limiter.sweep();
		assertThat(limiter.size()).as("only the drained client is kept").isOne();
		this.now.addAndGet(SECOND);
		limiter.sweep();
		assertThat(limiter.size()).isZero();
	}

	@Test
	void theNumberOfClientsKeptIsBounded() throws Exception {
		RateLimiter limiter = new RateLimiter(new RateLimit(1, 5), 3, this.now::get);
		for (int i = 1; i <= 50; i++) {
			assertThat(limiter.acquire(InetAddress.getByName("192.0.2." + i))).isZero();
			assertThat(limiter.size()).isLessThanOrEqualTo(3);
		}
	}

	@Test
	void retryAfterIsWholeSecondsRoundedUpAndAtLeastOne() {
		assertThat(RateLimiter.retryAfterSeconds(1)).isOne();
		assertThat(RateLimiter.retryAfterSeconds(SECOND)).isOne();
		assertThat(RateLimiter.retryAfterSeconds(SECOND + 1)).isEqualTo(2);
		assertThat(RateLimiter.retryAfterSeconds(0)).isOne();
	}

	@Test
	void aLimiterNeedsARate() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RateLimiter(RateLimit.OFF, 10));
	}

}
