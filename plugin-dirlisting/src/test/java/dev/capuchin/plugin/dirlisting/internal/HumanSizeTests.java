package dev.capuchin.plugin.dirlisting.internal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Unit tests for {@link HumanSize}.
 */
class HumanSizeTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			0             | 0 B
			1             | 1 B
			1023          | 1023 B
			1024          | 1.0 KiB
			1536          | 1.5 KiB
			10240         | 10.0 KiB
			1048575       | 1.0 MiB
			1048576       | 1.0 MiB
			5767168       | 5.5 MiB
			1073741824    | 1.0 GiB
			3221225472    | 3.0 GiB
			2199023255552 | 2048.0 GiB
			""")
	void formatsInBinaryUnitsWithOneDecimal(long bytes, String text) {
		assertThat(HumanSize.format(bytes)).isEqualTo(text);
	}

}
