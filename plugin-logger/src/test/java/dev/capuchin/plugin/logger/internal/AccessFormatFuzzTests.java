package dev.capuchin.plugin.logger.internal;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes access-log formats ({@code pattern:...}): a format compiles or is refused with
 * an {@link IllegalArgumentException}, and a compiled one keeps its spec.
 */
class AccessFormatFuzzTests {

	@FuzzTest(maxDuration = "2m")
	void parse(FuzzedDataProvider data) {
		String spec = data.consumeRemainingAsString();
		AccessFormat format;
		try {
			format = AccessFormat.parse(spec);
		}
		catch (IllegalArgumentException ex) {
			assertThat(ex.getMessage()).isNotBlank();
			return;
		}
		assertThat(AccessFormat.parse(format.spec()).spec()).isEqualTo(format.spec());
	}

}
