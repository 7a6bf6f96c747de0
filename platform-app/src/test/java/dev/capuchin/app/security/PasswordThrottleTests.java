package dev.capuchin.app.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PasswordThrottleTests {

	private final MovingClock clock = new MovingClock();

	private final PasswordThrottle throttle = new PasswordThrottle(new PasswordThrottle.Settings(5,
			Duration.ofSeconds(1), Duration.ofSeconds(10), 20, Duration.ofMinutes(15), 100), this.clock);

	@Test
	void fourFailuresOfANameCostNothing() {
		fail(4, "192.0.2.1", "alice");
		assertThat(this.throttle.refusedFor("192.0.2.1", "alice")).isZero();
	}

	@Test
	void delaysGrowFromTheFifthFailureAndStopAtTheCap() {
		fail(5, "192.0.2.1", "alice");
		assertThat(this.throttle.refusedFor("192.0.2.1", "alice")).isEqualTo(Duration.ofSeconds(1));
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.throttle.refusedFor("192.0.2.1", "alice")).isZero();
		this.throttle.failed("192.0.2.1", "alice");
		assertThat(this.throttle.refusedFor("192.0.2.1", "alice")).isEqualTo(Duration.ofSeconds(2));
		this.clock.advance(Duration.ofSeconds(2));
		this.throttle.failed("192.0.2.1", "alice");
		assertThat(this.throttle.refusedFor("192.0.2.1", "alice")).isEqualTo(Duration.ofSeconds(4));
		this.clock.advance(Duration.ofSeconds(4));
		this.throttle.failed("192.0.2.1", "alice");
		assertThat(this.throttle.refusedFor("192.0.2.1", "alice")).isEqualTo(Duration.ofSeconds(8));
		this.clock.advance(Duration.ofSeconds(8));
		this.throttle.failed("192.0.2.1", "alice");
		assertThat(this.throttle.refusedFor("192.0.2.1", "alice")).isEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void aLockedNameIsRefusedFromEveryAddress() {
		for (int i = 0; i < 5; i++) {
			this.throttle.failed("192.0.2." + i, "Alice");
		}
		assertThat(this.throttle.refusedFor("198.51.100.7", "alice")).isPositive();
	}

	@Test
	void anotherNameAtTheSameAddressIsNotRefused() {
		fail(5, "192.0.2.1", "alice");
		assertThat(this.throttle.refusedFor("192.0.2.1", "bob")).isZero();
	}

	@Test
	void manyNamesFromOneAddressLockTheAddressUntilTheWindowEnds() {
		for (int i = 0; i < 20; i++) {
			this.throttle.failed("192.0.2.1", "user" + i);
		}
		assertThat(this.throttle.refusedFor("192.0.2.1", "someone-else")).isEqualTo(Duration.ofMinutes(15));
		assertThat(this.throttle.refusedFor("192.0.2.2", "someone-else")).isZero();
		this.clock.advance(Duration.ofMinutes(15));
		assertThat(this.throttle.refusedFor("192.0.2.1", "someone-else")).isZero();
	}

	@Test
	void aSuccessClearsTheNameButNotTheAddress() {
		for (int i = 0; i < 19; i++) {
			this.throttle.failed("192.0.2.1", "alice");
		}
		this.throttle.succeeded("alice");
		this.throttle.failed("192.0.2.1", "alice");
		assertThat(this.throttle.refusedFor("192.0.2.9", "alice")).isZero();
		assertThat(this.throttle.refusedFor("192.0.2.1", "bob")).isPositive();
	}

	@Test
	void aNamesFailuresAreForgottenAWindowAfterTheLast() {
		fail(4, "192.0.2.1", "alice");
		this.clock.advance(Duration.ofMinutes(15));
		fail(4, "192.0.2.2", "alice");
		assertThat(this.throttle.refusedFor("192.0.2.3", "alice")).isZero();
	}

	@Test
	void locksListNamesAndAddressesWithTheirEnd() {
		fail(5, "192.0.2.1", "alice");
		assertThat(this.throttle.locks()).containsExactly(new PasswordThrottle.Lock(PasswordThrottle.Lock.Kind.ACCOUNT,
				"alice", 5, this.clock.instant().plusSeconds(1)));
	}

	@Test
	void clearingALockLetsTheNextAttemptThrough() {
		fail(5, "192.0.2.1", "alice");
		assertThat(this.throttle.clear(PasswordThrottle.Lock.Kind.ACCOUNT, "Alice")).isTrue();
		assertThat(this.throttle.refusedFor("192.0.2.1", "alice")).isZero();
		assertThat(this.throttle.locks()).isEmpty();
		assertThat(this.throttle.clear(PasswordThrottle.Lock.Kind.ACCOUNT, "alice")).isFalse();
	}

	@Test
	void memoryStaysBoundedUnderASprayOfAddressesAndNames() {
		for (int i = 0; i < 10_000; i++) {
			this.throttle.failed("10.0." + (i / 256) + "." + (i % 256), "name" + i);
		}
		assertThat(this.throttle.tracked()).isLessThanOrEqualTo(200);
	}

	@Test
	void aVeryLongNameIsTrackedByItsBeginning() {
		fail(5, "192.0.2.1", "x".repeat(10_000));
		assertThat(this.throttle.refusedFor("192.0.2.2", "x".repeat(64))).isPositive();
	}

	@Test
	void settingsOutOfRangeAreRefusedByName() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new PasswordThrottle.Settings(0, Duration.ofSeconds(1), Duration.ofSeconds(2), 5,
					Duration.ofMinutes(1), 10))
			.withMessageContaining("free-failures: 0");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new PasswordThrottle.Settings(5, Duration.ofSeconds(3), Duration.ofSeconds(2), 5,
					Duration.ofMinutes(1), 10))
			.withMessageContaining("max-delay");
	}

	private void fail(int times, String address, String name) {
		for (int i = 0; i < times; i++) {
			this.throttle.failed(address, name);
		}
	}

	/** Time that moves only when a test says so. */
	static final class MovingClock extends Clock {

		private Instant now = Instant.parse("2026-12-07T05:00:00Z");

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
