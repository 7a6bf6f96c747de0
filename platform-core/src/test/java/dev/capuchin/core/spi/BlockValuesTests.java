package dev.capuchin.core.spi;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BlockValuesTests {

	@ParameterizedTest
	@CsvSource({ "512, 512", "512B, 512", "64KB, 65536", "64 kb, 65536", "1MB, 1048576", "2GB, 2147483648",
			"1TB, 1099511627776" })
	void sizesAreWrittenAsSpringBootWritesThem(String text, long bytes) {
		assertThat(BlockValues.size("f", text, 0)).isEqualTo(bytes);
	}

	@Test
	void aSizeThatIsNotOneNamesTheFieldAndWhatItTakes() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> BlockValues.size("locations[1].max-body-size", "1 MiB", 0))
			.withMessage("locations[1].max-body-size: '1 MiB' (expected: a size such as 512B, 64KB, 1MB or 2GB)");
		assertThatIllegalArgumentException().isThrownBy(() -> BlockValues.size("f", "99999999999TB", 0))
			.withMessageContaining("below 8EB");
	}

	@ParameterizedTest
	@CsvSource({ "250ms, PT0.25S", "10s, PT10S", "5m, PT5M", "1h, PT1H", "1d, PT24H", "PT30S, PT30S", "0s, PT0S",
			"30, PT30S" })
	void durationsAreShortOrIso(String text, Duration expected) {
		assertThat(BlockValues.duration("f", text, Duration.ZERO)).isEqualTo(expected);
	}

	@Test
	void aMissingValueIsTheFallback() {
		assertThat(BlockValues.duration("f", null, Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
		assertThat(BlockValues.size("f", null, 7)).isEqualTo(7);
		assertThat(BlockValues.integer("f", null, 0, 9, 4)).isEqualTo(4);
		assertThat(BlockValues.flag("f", null, true)).isTrue();
		assertThat(BlockValues.texts("f", null)).isEmpty();
		assertThat(BlockValues.block("f", null)).isEmpty();
	}

	@Test
	void aZeroDurationIsRefusedWhereOnlyAPositiveOneMakesSense() {
		assertThatIllegalArgumentException().isThrownBy(() -> BlockValues.positiveDuration("proxy.timeout", "0s", null))
			.withMessage("proxy.timeout: '0s' (expected: a duration longer than zero)");
		assertThatIllegalArgumentException().isThrownBy(() -> BlockValues.duration("proxy.timeout", "soon", null))
			.withMessage("proxy.timeout: 'soon' (expected: a duration such as 250ms, 10s, 5m or 1h)");
	}

	@Test
	void integersOutsideTheirBoundsAreRefused() {
		assertThat(BlockValues.integer("f", "3", 0, 10, 1)).isEqualTo(3);
		assertThatIllegalArgumentException().isThrownBy(() -> BlockValues.integer("proxy.retries", -1, 0, 10, 1))
			.withMessage("proxy.retries: -1 (expected: an integer from 0 to 10)");
		assertThatIllegalArgumentException().isThrownBy(() -> BlockValues.integer("proxy.retries", "two", 0, 10, 1))
			.withMessage("proxy.retries: 'two' (expected: an integer from 0 to 10)");
	}

	@Test
	void flagsAreTrueOrFalse() {
		assertThat(BlockValues.flag("f", "yes", false)).isTrue();
		assertThat(BlockValues.flag("f", false, true)).isFalse();
		assertThatIllegalArgumentException().isThrownBy(() -> BlockValues.flag("cgi.nph", "maybe", false))
			.withMessage("cgi.nph: 'maybe' (expected: true or false)");
	}

	@Test
	void textsAreOneOrAListAndNeverBlank() {
		assertThat(BlockValues.texts("f", "PATH")).containsExactly("PATH");
		assertThat(BlockValues.texts("f", List.of(" PATH ", "LANG"))).containsExactly("PATH", "LANG");
		assertThatIllegalArgumentException().isThrownBy(() -> BlockValues.texts("cgi.pass-env", List.of("PATH", " ")))
			.withMessage("cgi.pass-env[1]: ' ' (expected: a text that is not blank)");
		assertThatIllegalArgumentException().isThrownBy(() -> BlockValues.text("fastcgi.pass", null))
			.withMessage("fastcgi.pass: missing (expected: a text)");
		assertThatIllegalArgumentException().isThrownBy(() -> BlockValues.text("fastcgi.pass", Map.of()))
			.withMessage("fastcgi.pass: {} (expected: a text)");
	}

	@Test
	void unknownKeysAreNamedWithTheKnownOnes() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> BlockValues.checkKeys("locations[0].cgi", Map.of("timout", "1s"),
					Set.of("timeout", "interpreters")))
			.withMessage("locations[0].cgi: unknown key 'timout' (expected: one of interpreters, timeout)");
	}

	@Test
	void aBlockMustBeKeys() {
		assertThat(BlockValues.block("f", Map.of("a", 1))).containsEntry("a", 1);
		assertThatIllegalArgumentException().isThrownBy(() -> BlockValues.block("locations[0].cgi", "on"))
			.withMessage("locations[0].cgi: 'on' (expected: a block of keys)");
	}

}
