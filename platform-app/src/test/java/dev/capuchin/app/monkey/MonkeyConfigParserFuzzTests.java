package dev.capuchin.app.monkey;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.capuchin.app.shared.config.InvalidConfigurationException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the reader of Monkey's configuration files (the importer's input): any text is
 * sections or an {@link InvalidConfigurationException} naming the file, never another
 * exception.
 */
class MonkeyConfigParserFuzzTests {

	@FuzzTest(maxDuration = "2m")
	void parse(FuzzedDataProvider data) {
		try {
			assertThat(MonkeyConfigParser.parse(data.consumeRemainingAsString(), "monkey.conf")).isNotNull();
		}
		catch (InvalidConfigurationException ex) {
			assertThat(ex.getMessage()).contains("monkey.conf");
		}
	}

}
