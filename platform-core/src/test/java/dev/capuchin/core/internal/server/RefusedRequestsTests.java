package dev.capuchin.core.internal.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The counts of refused requests and their periodic summary.
 */
class RefusedRequestsTests {

	private final MovableClock clock = new MovableClock();

	private final RefusedRequests refusals = new RefusedRequests(this.clock);

	@Test
	void theSummaryCountsRefusalsByReason() {
		this.refusals.refused("c1", Refusal.HOST_MISSING, "GET /");
		this.refusals.refused("c2", Refusal.HOST_MISSING, "GET /");
		this.refusals.refused("c3", Refusal.CODING_UNKNOWN, "POST HTTP/1.1");
		assertThat(this.refusals.flush())
			.isEqualTo("refused 3 requests: 2 × 400 no Host header, 1 × 501 transfer coding not implemented");
	}

	@Test
	void aSummaryStartsTheCountsAgain() {
		this.refusals.refused("c1", Refusal.READ_TIMEOUT, "slow");
		this.refusals.flush();
		assertThat(this.refusals.flush()).isNull();
	}

	@Test
	void nothingRefusedWritesNoSummary() {
		assertThat(this.refusals.flush()).isNull();
	}

	@Test
	void theFirstRefusalAfterAPeriodWritesTheSummary() {
		this.refusals.refused("c1", Refusal.METHOD, "BREW /");
		this.clock.advance(RefusedRequests.PERIOD);
		this.refusals.refused("c2", Refusal.METHOD, "BREW /");
		// both were summarized by the second refusal
		assertThat(this.refusals.flush()).isNull();
	}

	@Test
	void refusalsWithinAPeriodWaitForTheSummary() {
		this.refusals.refused("c1", Refusal.METHOD, "BREW /");
		this.clock.advance(RefusedRequests.PERIOD.minusSeconds(1));
		this.refusals.refused("c2", Refusal.METHOD, "BREW /");
		assertThat(this.refusals.flush()).isEqualTo("refused 2 requests: 2 × 501 method not implemented");
	}

	private static final class MovableClock extends Clock {

		private Instant now = Instant.parse("2026-01-01T00:00:00Z");

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
