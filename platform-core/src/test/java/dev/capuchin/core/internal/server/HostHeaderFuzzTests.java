package dev.capuchin.core.internal.server;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@code Host} validation: a value taken as valid carries nothing that could split
 * a header, smuggle a path or user information, or confuse virtual-host matching.
 */
class HostHeaderFuzzTests {

	@FuzzTest(maxDuration = "2m")
	void isValid(FuzzedDataProvider data) {
		String value = data.consumeRemainingAsString();
		if (!HostHeader.isValid(value)) {
			return;
		}
		assertThat(value.chars()).noneMatch((c) -> c <= 0x20 || c >= 0x7f);
		assertThat(value).doesNotContain("/", "\\", "@", "?", "#");
	}

}
