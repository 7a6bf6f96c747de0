package dev.capuchin.app.security;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Ticker;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SignInThrottleTests {

	private final FakeTicker ticker = new FakeTicker();

	private final SignInThrottle throttle = new SignInThrottle(5, Duration.ofMinutes(5), 100, this.ticker);

	@Test
	void fourFailuresStillLetTheNextAttemptThrough() {
		fail(4, "192.0.2.1", "alice");
		assertThat(this.throttle.refusedFor("192.0.2.1", "alice")).isZero();
	}

	@Test
	void theFifthFailureRefusesTheRestOfTheWindow() {
		fail(5, "192.0.2.1", "alice");
		assertThat(this.throttle.refusedFor("192.0.2.1", "alice")).isEqualTo(Duration.ofMinutes(5));
		this.ticker.advance(Duration.ofMinutes(3));
		assertThat(this.throttle.refusedFor("192.0.2.1", "alice")).isEqualTo(Duration.ofMinutes(2));
		this.ticker.advance(Duration.ofMinutes(2));
		assertThat(this.throttle.refusedFor("192.0.2.1", "alice")).isZero();
	}

	@Test
	void failuresSpreadOverMoreThanAWindowNeverRefuse() {
		fail(4, "192.0.2.1", "alice");
		this.ticker.advance(Duration.ofMinutes(5));
		fail(4, "192.0.2.1", "alice");
		assertThat(this.throttle.refusedFor("192.0.2.1", "alice")).isZero();
	}

	@Test
	void aNameIsRefusedFromEveryAddress() {
		for (int i = 0; i < 5; i++) {
			this.throttle.failed("192.0.2." + i, "Alice");
		}
		assertThat(this.throttle.refusedFor("198.51.100.7", "alice")).isPositive();
		assertThat(this.throttle.refusedFor("198.51.100.7", "bob")).isZero();
	}

	@Test
	void anAddressIsRefusedForEveryName() {
		for (int i = 0; i < 5; i++) {
			this.throttle.failed("192.0.2.1", "user" + i);
		}
		assertThat(this.throttle.refusedFor("192.0.2.1", "someone-else")).isPositive();
		assertThat(this.throttle.refusedFor("192.0.2.2", "someone-else")).isZero();
	}

	@Test
	void aSuccessClearsTheNameButNotTheAddress() {
		fail(4, "192.0.2.1", "alice");
		this.throttle.succeeded("alice");
		this.throttle.failed("192.0.2.1", "alice");
		assertThat(this.throttle.refusedFor("192.0.2.9", "alice")).isZero();
		assertThat(this.throttle.refusedFor("192.0.2.1", "bob")).isPositive();
	}

	@Test
	void memoryStaysBoundedUnderASprayOfAddressesAndNames() {
		for (int i = 0; i < 10_000; i++) {
			this.throttle.failed("10.0." + (i / 256) + "." + (i % 256), "name" + i);
		}
		assertThat(this.throttle.tracked()).isLessThanOrEqualTo(200);
	}

	@Test
	void anExpiredWindowIsForgottenAndTheNextFailureStartsANewOne() {
		fail(5, "192.0.2.1", "alice");
		this.ticker.advance(Duration.ofMinutes(5));
		assertThat(this.throttle.tracked()).isZero();
		fail(4, "192.0.2.1", "alice");
		assertThat(this.throttle.refusedFor("192.0.2.1", "alice")).isZero();
	}

	@Test
	void failuresWithinTheWindowDoNotExtendIt() {
		fail(4, "192.0.2.1", "alice");
		this.ticker.advance(Duration.ofMinutes(4));
		fail(1, "192.0.2.1", "alice");
		assertThat(this.throttle.refusedFor("192.0.2.1", "alice")).isEqualTo(Duration.ofMinutes(1));
	}

	@Test
	void aVeryLongNameIsTrackedByItsBeginning() {
		String name = "x".repeat(10_000);
		fail(5, "192.0.2.1", name);
		assertThat(this.throttle.refusedFor("192.0.2.2", "x".repeat(64))).isPositive();
	}

	@Test
	void settingsOutOfRangeAreRefusedByName() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new SignInThrottle(0, Duration.ofMinutes(5), 10, this.ticker))
			.withMessageContaining("max-failures: 0");
		assertThatIllegalArgumentException().isThrownBy(() -> new SignInThrottle(5, Duration.ZERO, 10, this.ticker))
			.withMessageContaining("window");
	}

	private void fail(int times, String address, String name) {
		for (int i = 0; i < times; i++) {
			this.throttle.failed(address, name);
		}
	}

	/** Time that moves only when a test says so. */
	static final class FakeTicker implements Ticker {

		private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

		void advance(Duration duration) {
			this.nanos.addAndGet(duration.toNanos());
		}

		@Override
		public long read() {
			return this.nanos.get();
		}

	}

}
