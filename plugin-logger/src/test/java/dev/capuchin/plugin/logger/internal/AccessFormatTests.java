package dev.capuchin.plugin.logger.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class AccessFormatTests {

	@Test
	void namedFormatsAreCaseInsensitive() {
		assertThat(AccessFormat.parse("Combined").spec()).isEqualTo("combined");
		assertThat(AccessFormat.parse(" common ").spec()).isEqualTo("common");
		assertThat(AccessFormat.parse("JSON").spec()).isEqualTo("json");
	}

	@Test
	void everyDocumentedFieldIsAccepted() {
		AccessFormat format = AccessFormat.parse("pattern:%{time} %{client} %{method} %{target} %{protocol} "
				+ "%{status} %{bytes} %{referer} %{user-agent} %{duration} %{site} %{worker} %{upstream} 100%%");
		assertThat(format.spec()).startsWith("pattern:");
	}

	@Test
	void theInternalCommonLogBytesFieldIsNotPartOfThePatternSyntax() {
		assertThatIllegalArgumentException().isThrownBy(() -> AccessFormat.parse("pattern:%{bytes-clf}"))
			.withMessageStartingWith("pattern: unknown field %{bytes-clf}");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '"',
			value = { "pattern:%{nope}|pattern: unknown field %{nope} (expected one of: time,",
					"pattern:%{status|pattern: '%{' at 0 is not closed with '}'",
					"pattern:100%|pattern: '%' at 3 (expected: %{field} or %%)",
					"pattern:%s|pattern: '%' at 0 (expected: %{field} or %%)", "xml|'xml' (expected: combined," })
	void badPatternsSayWhatIsWrong(String spec, String message) {
		assertThatIllegalArgumentException().isThrownBy(() -> AccessFormat.parse(spec))
			.withMessageStartingWith(message);
	}

	@Test
	void aPatternCannotWriteALineBreakOfItsOwn() {
		assertThatIllegalArgumentException().isThrownBy(() -> AccessFormat.parse("pattern:%{status}\n%{target}"))
			.withMessage("pattern: control character 0xa at 9 (expected: text)");
		assertThatIllegalArgumentException().isThrownBy(() -> AccessFormat.parse("pattern:\u00e9"))
			.withMessageStartingWith("pattern: non-ASCII character");
	}

}
