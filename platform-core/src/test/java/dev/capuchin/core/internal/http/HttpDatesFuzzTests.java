package dev.capuchin.core.internal.http;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the dates of conditional headers ({@code If-Modified-Since},
 * {@code If-Unmodified-Since}, {@code If-Range}): a date is refused or read as a whole
 * second that formats and reads back to itself.
 */
class HttpDatesFuzzTests {

	@FuzzTest(maxDuration = "2m")
	void parse(FuzzedDataProvider data) {
		long millis = HttpDates.parse(data.consumeRemainingAsString());
		if (millis < 0) {
			// refused, or before 1970: callers ignore both
			return;
		}
		assertThat(millis % 1000).isZero();
		assertThat(HttpDates.parse(HttpDates.format(millis))).isEqualTo(millis);
	}

}
