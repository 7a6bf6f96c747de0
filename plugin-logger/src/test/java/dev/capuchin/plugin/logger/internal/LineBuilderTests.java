package dev.capuchin.plugin.logger.internal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class LineBuilderTests {

	@Test
	void textEscapeWritesQuotesBackslashesAndControlCharactersAsHex() {
		LineBuilder line = new LineBuilder();
		line.appendEscaped("a\"b\\c\nd\re\tf\u0000g\u001bh\u007fi");
		assertThat(line.toString()).isEqualTo("a\\x22b\\x5cc\\x0ad\\x0de\\x09f\\x00g\\x1bh\\x7fi");
	}

	@Test
	void textEscapeWritesBytesAboveAsciiAsHex() {
		LineBuilder line = new LineBuilder();
		line.appendEscaped("\u00e9\u00ff");
		assertThat(line.toString()).isEqualTo("\\xe9\\xff");
	}

	@Test
	void textEscapeWritesCharactersBeyondLatin1AsTheirUtf8Bytes() {
		LineBuilder line = new LineBuilder();
		line.appendEscaped("\u20ac\ud83d\ude00");
		assertThat(line.toString()).isEqualTo("\\xe2\\x82\\xac\\xf0\\x9f\\x98\\x80");
	}

	@Test
	void textEscapeLeavesPrintableAsciiAlone() {
		LineBuilder line = new LineBuilder();
		line.appendEscaped("GET /a/b?c=d&e=%20 Mozilla/5.0 (X11; Linux) ~!@#$%^&*()_+{}|:<>?[];',./`");
		assertThat(line.toString())
			.isEqualTo("GET /a/b?c=d&e=%20 Mozilla/5.0 (X11; Linux) ~!@#$%^&*()_+{}|:<>?[];',./`");
	}

	@Test
	void textEscapeCutsAtTheLimitAndMarksIt() {
		LineBuilder line = new LineBuilder();
		line.appendEscaped("abcdef", 3);
		assertThat(line.toString()).isEqualTo("abc...");
	}

	@Test
	void jsonEscapeWritesEveryControlCharacterAsUnicodeEscape() throws Exception {
		StringBuilder all = new StringBuilder();
		for (char c = 0; c < 0x20; c++) {
			all.append(c);
		}
		all.append("\"\\\u007f\u00e9\u2028x");
		LineBuilder line = new LineBuilder();
		line.appendJsonString(all);
		String json = line.toString();
		assertThat(json).matches("[\\x20-\\x7e]+");
		assertThat(json).startsWith("\"\\u0000\\u0001")
			.contains("\\u000a", "\\u000d", "\\u001f")
			.endsWith("\\\"\\\\\\u007f\\u00e9\\u2028x\"");
		assertThat(JsonMapper.builder().build().readValue(json, String.class)).isEqualTo(all.toString());
	}

	@Test
	void longTextGrowsTheBufferAndResetGivesBackAHugeOne() {
		LineBuilder line = new LineBuilder();
		String big = "\u0001".repeat(100_000);
		line.appendEscaped(big);
		assertThat(line.length()).isEqualTo(400_000);
		line.reset();
		assertThat(line.length()).isZero();
		assertThat(line.bytes().length).isLessThan(65536);
	}

	@ParameterizedTest
	@CsvSource({ "0, 0.000000", "999, 0.000000", "1000, 0.000001", "153000, 0.000153", "1234567890, 1.234567",
			"-5, 0.000000" })
	void durationsAreSecondsWithMicroseconds(long nanos, String text) {
		LineBuilder line = new LineBuilder();
		line.appendSeconds(nanos);
		assertThat(line.toString()).isEqualTo(text);
	}

	@ParameterizedTest
	@CsvSource({ "0", "7", "10", "404", "1048576", "-42", "9223372036854775807", "-9223372036854775808" })
	void numbersAreWrittenInDecimal(long value) {
		LineBuilder line = new LineBuilder();
		line.append(value);
		assertThat(line.toString()).isEqualTo(Long.toString(value));
	}

}
