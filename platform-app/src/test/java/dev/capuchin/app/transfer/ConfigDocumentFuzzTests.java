package dev.capuchin.app.transfer;

import java.nio.file.Path;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.capuchin.app.shared.config.InvalidConfigurationException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the configuration document (the Import page and {@code POST /api/config}): any
 * text is a valid document or an {@link InvalidConfigurationException} saying what is
 * wrong, never another exception.
 */
class ConfigDocumentFuzzTests {

	private static final Path BASE = Path.of(System.getProperty("java.io.tmpdir"));

	@FuzzTest(maxDuration = "2m")
	void readDocument(FuzzedDataProvider data) {
		try {
			assertThat(ConfigDocument.readDocument(data.consumeRemainingAsString(), BASE)).isNotNull();
		}
		catch (InvalidConfigurationException ex) {
			assertThat(ex.getMessage()).isNotBlank();
		}
	}

}
