package dev.capuchin.core.internal.http;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the {@code Range} header: every range served lies within the representation, and
 * no header yields more ranges than the limit.
 */
class ByteRangeFuzzTests {

	private static final long[] SIZES = { 0, 1, 100, 10_000, 1L << 40, Long.MAX_VALUE };

	@FuzzTest(maxDuration = "2m")
	void parse(FuzzedDataProvider data) {
		long size = data.pickValue(SIZES);
		ByteRange.Parsed parsed = ByteRange.parse(data.consumeRemainingAsString(), size);
		assertThat(parsed.ranges()).hasSizeLessThanOrEqualTo(ByteRange.MAX_RANGES);
		if (parsed.ignored()) {
			assertThat(parsed.ranges()).isEmpty();
		}
		for (ByteRange range : parsed.ranges()) {
			assertThat(range.first()).isBetween(0L, range.last());
			assertThat(range.last()).isLessThan(size);
			assertThat(range.length()).isPositive();
		}
	}

}
