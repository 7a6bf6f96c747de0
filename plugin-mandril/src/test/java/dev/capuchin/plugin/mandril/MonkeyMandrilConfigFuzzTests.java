package dev.capuchin.plugin.mandril;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes mandril rules as Monkey's {@code mandril.conf} writes them: a file is rules or
 * an {@link IllegalArgumentException} naming the line, never another exception.
 */
class MonkeyMandrilConfigFuzzTests {

	@FuzzTest(maxDuration = "2m")
	void parse(FuzzedDataProvider data) {
		try {
			assertThat(MonkeyMandrilConfig.parse(data.consumeRemainingAsString())).isNotNull();
		}
		catch (IllegalArgumentException ex) {
			assertThat(ex.getMessage()).isNotBlank();
		}
	}

	@FuzzTest(maxDuration = "2m")
	void rule(FuzzedDataProvider data) {
		String key = data.pickValue(new String[] { "IP", "URL", "deny_hotlink", "ip", "other" });
		try {
			MonkeyMandrilConfig.rule(key, data.consumeRemainingAsString())
				.ifPresent((rule) -> assertThat(rule.kind()).isNotNull());
		}
		catch (IllegalArgumentException ex) {
			assertThat(ex.getMessage()).isNotBlank();
		}
	}

}
