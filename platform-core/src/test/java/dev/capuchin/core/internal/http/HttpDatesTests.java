package dev.capuchin.core.internal.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reading the dates of conditional headers.
 */
class HttpDatesTests {

	@Test
	void imfFixdateIsRead() {
		assertThat(HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMT")).isEqualTo(784111777000L);
	}

	@Test
	void valueLongerThan64CharactersIsNotADate() {
		// found by HttpDatesFuzzTests: Netty's parser throws on more than 64 characters
		assertThat(HttpDates.parse("\nHHHHHHH%HHH,HHHHHHHHHHHHHHHHHHHHHHHH%HHH,HHHHHHHHHHHHHHHHHHHHHHHHH"))
			.isEqualTo(-1);
	}

	@Test
	void validDatePaddedPast64CharactersIsNotADate() {
		assertThat(HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMT" + " ".repeat(40))).isEqualTo(-1);
	}

}
