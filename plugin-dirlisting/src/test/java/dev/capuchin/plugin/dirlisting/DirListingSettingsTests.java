package dev.capuchin.plugin.dirlisting;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Unit tests for {@link DirListingSettings}.
 */
class DirListingSettingsTests {

	@Test
	void defaultsAreTheDocumentedOnes() {
		DirListingSettings settings = DirListingSettings.defaults();
		assertThat(settings.theme()).isEqualTo("default");
		assertThat(settings.hide()).isEmpty();
		assertThat(settings.readme()).isFalse();
		assertThat(settings.maxEntries()).isEqualTo(100_000);
		assertThat(settings.readmeMaxBytes()).isEqualTo(64 * 1024);
		assertThat(settings.threads()).isEqualTo(4);
	}

	@Test
	void invalidValuesAreRefusedNamingTheField() {
		assertThatIllegalArgumentException().isThrownBy(() -> DirListingSettings.defaults().withMaxEntries(0))
			.withMessage("max-entries: 0 (expected: > 0)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DirListingSettings.defaults().withHide(List.of("ok", "[bad")))
			.withMessage("hide[1]: '[bad' (expected: ] to close [)");
		assertThatIllegalArgumentException().isThrownBy(() -> DirListingSettings.defaults().withTheme(" "))
			.withMessage("theme: ' ' (expected: default or a theme directory)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new DirListingSettings("default", List.of(), false, 1, 1, 0))
			.withMessage("threads: 0 (expected: 1..256)");
	}

}
