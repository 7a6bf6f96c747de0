package dev.capuchin.app.certificates;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import dev.capuchin.app.identity.MasterKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeRateLimitedException;
import org.shredzone.acme4j.toolbox.JSON;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A CA's rate limit sets the next attempt no earlier than its Retry-After, within
 * {@code retry-max}, and shows with the failure.
 */
class AcmeRateLimitTests {

	private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

	@TempDir
	Path temp;

	private AcmeCertificates certificates() {
		AcmeProperties properties = new AcmeProperties(URI.create("https://ca.example.test/dir"), null, true, null,
				null, null, this.temp.resolve("acme"), Duration.ofMinutes(1), Duration.ofMinutes(1),
				Duration.ofHours(6), Duration.ofMinutes(2));
		return new AcmeCertificates(properties, null, MasterKey.load(null, this.temp.resolve("master.key")), null,
				Clock.fixed(NOW, ZoneOffset.UTC));
	}

	private static AcmeRateLimitedException rateLimited(Instant retryAfter) throws Exception {
		Problem problem = new Problem(JSON.parse("""
				{"type": "urn:ietf:params:acme:error:rateLimited", "detail": "too many certificates"}"""),
				URI.create("https://ca.example.test/dir").toURL());
		return new AcmeRateLimitedException(problem, retryAfter, List.of());
	}

	@Test
	void aRateLimitWaitsUntilTheCaAsks() throws Exception {
		Duration wait = certificates().wait(1, rateLimited(NOW.plus(Duration.ofHours(2))));
		assertThat(wait).isEqualTo(Duration.ofHours(2));
	}

	@Test
	void aRateLimitWaitsNoLongerThanRetryMax() throws Exception {
		Duration wait = certificates().wait(1, rateLimited(NOW.plus(Duration.ofDays(7))));
		assertThat(wait).isEqualTo(Duration.ofHours(6));
	}

	@Test
	void aRateLimitEndingBeforeTheBackOffKeepsTheBackOff() throws Exception {
		Duration wait = certificates().wait(3, rateLimited(NOW.plusSeconds(10)));
		assertThat(wait).isEqualTo(Duration.ofMinutes(4));
	}

	@Test
	void aRateLimitWrappedInAnotherFailureIsHonoured() throws Exception {
		Exception wrapped = new AcmeException("order failed", rateLimited(NOW.plus(Duration.ofHours(1))));
		assertThat(certificates().wait(1, wrapped)).isEqualTo(Duration.ofHours(1));
	}

	@Test
	void otherFailuresBackOff() {
		assertThat(certificates().wait(2, new AcmeException("connection refused"))).isEqualTo(Duration.ofMinutes(2));
	}

	@Test
	void theFailureShowsWhenTheCaAsksToBeTriedAgain() throws Exception {
		assertThat(certificates().error(rateLimited(NOW.plus(Duration.ofHours(2)))))
			.isEqualTo("too many certificates (the CA asks to retry after 2026-06-01T14:00:00Z)");
	}

}
