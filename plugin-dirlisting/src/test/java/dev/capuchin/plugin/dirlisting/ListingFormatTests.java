package dev.capuchin.plugin.dirlisting;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Unit tests for {@link ListingFormat#negotiate(String)}.
 */
class ListingFormatTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
			``                                                                | HTML
			*/*                                                               | HTML
			text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8   | HTML
			application/json                                                  | JSON
			application/json, text/plain;q=0.5                                | JSON
			application/JSON                                                  | JSON
			application/*                                                     | JSON
			text/plain                                                        | TEXT
			text/plain, application/json;q=0.9                                | TEXT
			text/html;q=0.1, text/plain                                       | TEXT
			text/*                                                            | HTML
			application/json;q=0, */*                                         | HTML
			image/png                                                         | HTML
			application/json;q=bogus, text/plain;q=0.2                        | TEXT
			""")
	void picksTheFormatTheClientPrefers(String accept, ListingFormat format) {
		assertThat(ListingFormat.negotiate(accept.isEmpty() ? null : accept)).isEqualTo(format);
	}

}
