package dev.capuchin.plugin.auth.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FailureThrottleTests {

	private static final long SECOND = 1_000_000_000L;

	private final FailureThrottle throttle = new FailureThrottle(3, Duration.ofSeconds(60), 4);

	private final InetAddress client = address(1);

	@Test
	void aClientIsNotBlockedBelowTheLimit() {
		this.throttle.failed(this.client, 0);
		this.throttle.failed(this.client, SECOND);
		assertThat(this.throttle.blockedFor(this.client, 2 * SECOND)).isZero();
	}

	@Test
	void aClientIsBlockedForTheRestOfTheWindowAtTheLimit() {
		this.throttle.failed(this.client, 0);
		this.throttle.failed(this.client, SECOND);
		this.throttle.failed(this.client, 2 * SECOND);
		assertThat(this.throttle.blockedFor(this.client, 10 * SECOND)).isEqualTo(50 * SECOND);
		assertThat(this.throttle.blockedFor(address(2), 10 * SECOND)).isZero();
	}

	@Test
	void aClientRecoversWhenTheWindowEnds() {
		for (int i = 0; i < 3; i++) {
			this.throttle.failed(this.client, 0);
		}
		assertThat(this.throttle.blockedFor(this.client, 60 * SECOND)).isZero();
		this.throttle.failed(this.client, 61 * SECOND);
		assertThat(this.throttle.blockedFor(this.client, 62 * SECOND)).isZero();
	}

	@Test
	void failuresInAnOldWindowDoNotCount() {
		this.throttle.failed(this.client, 0);
		this.throttle.failed(this.client, SECOND);
		this.throttle.failed(this.client, 70 * SECOND);
		assertThat(this.throttle.blockedFor(this.client, 71 * SECOND)).isZero();
	}

	@Test
	void theThrottleRemembersAtMostItsClients() {
		for (int i = 0; i < 100; i++) {
			this.throttle.failed(address(i), i);
		}
		assertThat(this.throttle.size()).isLessThanOrEqualTo(4);
	}

	@Test
	void zeroFailuresMeansNoLimit() {
		FailureThrottle off = new FailureThrottle(0, Duration.ofSeconds(60), 4);
		for (int i = 0; i < 100; i++) {
			off.failed(this.client, i);
		}
		assertThat(off.blockedFor(this.client, 100)).isZero();
		assertThat(off.size()).isZero();
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
