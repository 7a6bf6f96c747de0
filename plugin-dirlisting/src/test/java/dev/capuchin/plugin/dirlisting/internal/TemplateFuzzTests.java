package dev.capuchin.plugin.dirlisting.internal;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes directory-listing theme templates: a template compiles against its part's
 * placeholders or is refused with an {@link IllegalArgumentException}, never another
 * exception.
 */
class TemplateFuzzTests {

	@FuzzTest(maxDuration = "2m")
	void parse(FuzzedDataProvider data) {
		Theme.Part part = data.pickValue(Theme.Part.values());
		try {
			assertThat(Template.parse(data.consumeRemainingAsString(), part.placeholders())).isNotNull();
		}
		catch (IllegalArgumentException ex) {
			assertThat(ex.getMessage()).isNotBlank();
		}
	}

}
