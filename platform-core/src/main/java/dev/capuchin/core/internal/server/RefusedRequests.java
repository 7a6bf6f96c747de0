package dev.capuchin.core.internal.server;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the requests the kernel refuses, so that a client sending garbage cannot flood
 * the log: one DEBUG line per refused request, and at most once per {@link #PERIOD} an
 * INFO line with the counts by reason. The summary is written by the first refusal after
 * a period ends, or by {@link #flush()}, which the server also calls on a timer.
 */
final class RefusedRequests {

	/** How often the summary is written at most. */
	static final Duration PERIOD = Duration.ofMinutes(1);

	private static final Logger logger = LoggerFactory.getLogger(RefusedRequests.class);

	private static final Refusal[] REFUSALS = Refusal.values();

	private final Clock clock;

	private final LongAdder[] counts = new LongAdder[REFUSALS.length];

	private final AtomicLong nextSummary;

	/**
	 * Counters on a clock.
	 * @param clock when summaries are due
	 */
	RefusedRequests(Clock clock) {
		this.clock = clock;
		for (int i = 0; i < this.counts.length; i++) {
			this.counts[i] = new LongAdder();
		}
		this.nextSummary = new AtomicLong(clock.millis() + PERIOD.toMillis());
	}

	/**
	 * A request was refused.
	 * @param connection the connection id, for the log
	 * @param refusal why
	 * @param detail what was refused: the request line, or the decoder's complaint
	 */
	void refused(Object connection, Refusal refusal, Object detail) {
		this.counts[refusal.ordinal()].increment();
		if (logger.isDebugEnabled()) {
			logger.debug("connection {}: {} {}: {}", connection, refusal.status(), refusal.reason(), detail);
		}
		long now = this.clock.millis();
		long due = this.nextSummary.get();
		if (now - due >= 0 && this.nextSummary.compareAndSet(due, now + PERIOD.toMillis())) {
			flush();
		}
	}

	/**
	 * Write the summary of the requests refused since the last one, if there were any.
	 * @return the summary, or {@code null} when nothing was refused
	 */
	String flush() {
		StringBuilder summary = null;
		long total = 0;
		for (Refusal refusal : REFUSALS) {
			long count = this.counts[refusal.ordinal()].sumThenReset();
			if (count > 0) {
				summary = (summary != null) ? summary.append(", ") : new StringBuilder();
				summary.append(count).append(" × ").append(refusal.status()).append(' ').append(refusal.reason());
				total += count;
			}
		}
		if (summary == null) {
			return null;
		}
		String line = "refused " + total + " request" + ((total == 1) ? "" : "s") + ": " + summary;
		logger.info(line);
		return line;
	}

}
