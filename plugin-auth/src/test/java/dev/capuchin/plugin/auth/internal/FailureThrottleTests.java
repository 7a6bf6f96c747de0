package dev.capuchin.plugin.auth.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FailureThrottleTests {

	private static final long SECOND = 1_000_000_000L;

	private final AtomicLong now = new AtomicLong();

	private final FailureThrottle throttle = new FailureThrottle(3, Duration.ofSeconds(60), 4, this.now::get);

	private final InetAddress client = address(1);

	@Test
	void aClientIsNotBlockedBelowTheLimit() {
		failAt(0);
		failAt(SECOND);
		this.now.set(2 * SECOND);
		assertThat(this.throttle.blockedFor(this.client)).isZero();
	}

	@Test
	void aClientIsBlockedForTheRestOfTheWindowAtTheLimit() {
		failAt(0);
		failAt(SECOND);
		failAt(2 * SECOND);
		this.now.set(10 * SECOND);
		assertThat(this.throttle.blockedFor(this.client)).isEqualTo(50 * SECOND);
		assertThat(this.throttle.blockedFor(address(2))).isZero();
	}

	@Test
	void laterFailuresDoNotExtendTheWindow() {
		failAt(0);
		failAt(SECOND);
		failAt(59 * SECOND);
		this.now.set(59 * SECOND);
		assertThat(this.throttle.blockedFor(this.client)).isEqualTo(SECOND);
		this.now.set(60 * SECOND);
		assertThat(this.throttle.blockedFor(this.client)).isZero();
	}

	@Test
	void aClientRecoversWhenTheWindowEnds() {
		for (int i = 0; i < 3; i++) {
			failAt(0);
		}
		this.now.set(60 * SECOND);
		assertThat(this.throttle.blockedFor(this.client)).isZero();
		failAt(61 * SECOND);
		this.now.set(62 * SECOND);
		assertThat(this.throttle.blockedFor(this.client)).isZero();
	}

	@Test
	void failuresInAnOldWindowDoNotCount() {
		failAt(0);
		failAt(SECOND);
		failAt(70 * SECOND);
		this.now.set(71 * SECOND);
		assertThat(this.throttle.blockedFor(this.client)).isZero();
	}

	@Test
	void expiredWindowsAreForgotten() {
		failAt(0);
		this.now.set(60 * SECOND);
		assertThat(this.throttle.size()).isZero();
	}

	@Test
	void theThrottleRemembersAtMostItsClients() {
		for (int i = 0; i < 100; i++) {
			this.now.set(i);
			this.throttle.failed(address(i));
		}
		assertThat(this.throttle.size()).isLessThanOrEqualTo(4);
	}

	@Test
	void zeroFailuresMeansNoLimit() {
		FailureThrottle off = new FailureThrottle(0, Duration.ofSeconds(60), 4, this.now::get);
		for (int i = 0; i < 100; i++) {
			off.failed(this.client);
		}
		assertThat(off.blockedFor(this.client)).isZero();
		assertThat(off.size()).isZero();
	}

	private void failAt(long time) {
		this.now.set(time);
		this.throttle.failed(this.client);
	}

	private static InetAddress address(int last) {
		try {
			return InetAddress.getByAddress(new byte[] { 10, 0, (byte) (last >> 8), (byte) last });
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
