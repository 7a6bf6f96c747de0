package dev.capuchin.app.certificates;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.capuchin.app.identity.MasterKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When certificates are renewed and failed orders retried.
 */
class AcmeCertificatesScheduleTests {

	@TempDir
	Path temp;

	private AcmeCertificates certificates() {
		AcmeProperties properties = new AcmeProperties(URI.create("https://ca.example.test/dir"), null, true, null,
				null, null, this.temp.resolve("acme"), Duration.ofMinutes(1), Duration.ofMinutes(1),
				Duration.ofHours(1), Duration.ofMinutes(2));
		return new AcmeCertificates(properties, null, MasterKey.load(null, this.temp.resolve("master.key")), null,
				Clock.systemUTC());
	}

	@Test
	void renewalIsAtTwoThirdsOfTheLifetimeLessAtMostATwentieth() {
		AcmeCertificates certificates = certificates();
		Instant notBefore = Instant.parse("2026-01-01T00:00:00Z");
		Instant notAfter = notBefore.plus(Duration.ofDays(90));
		for (int i = 0; i < 100; i++) {
			Instant renewal = certificates.renewal(notBefore, notAfter);
			assertThat(renewal).isBeforeOrEqualTo(notBefore.plus(Duration.ofDays(60)))
				.isAfter(notBefore.plus(Duration.ofDays(60)).minus(Duration.ofDays(90).dividedBy(20)));
		}
	}

	@Test
	void failedOrdersWaitTwiceAsLongEachTimeUpToTheLongestWait() {
		AcmeCertificates certificates = certificates();
		assertThat(certificates.backoff(1)).isEqualTo(Duration.ofMinutes(1));
		assertThat(certificates.backoff(2)).isEqualTo(Duration.ofMinutes(2));
		assertThat(certificates.backoff(4)).isEqualTo(Duration.ofMinutes(8));
		assertThat(certificates.backoff(7)).isEqualTo(Duration.ofHours(1));
		assertThat(certificates.backoff(1000)).isEqualTo(Duration.ofHours(1));
	}

}
