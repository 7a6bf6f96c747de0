package dev.capuchin.plugin.dirlisting.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Unit tests for {@link Escape}.
 */
class EscapeTests {

	@Test
	void htmlEscapesMarkupAndQuotes() {
		assertThat(Escape.html("<img src=x onerror=alert(1)>&\"'"))
			.isEqualTo("&lt;img src=x onerror=alert(1)&gt;&amp;&quot;&#39;");
	}

	@Test
	void htmlKeepsLineBreaksAndReplacesOtherControlCharacters() {
		assertThat(Escape.html("a\tb\nc\u0001d\u007f")).isEqualTo("a\tb\nc\uFFFDd\uFFFD");
	}

	@Test
	void htmlKeepsNonAsciiText() {
		assertThat(Escape.html("été 日本")).isEqualTo("été 日本");
	}

	@Test
	void jsonQuotesAndEscapes() {
		StringBuilder out = new StringBuilder();
		Escape.json("a\"b\\c\nd\u0001</script>&\u2028", out);
		assertThat(out).hasToString("\"a\\\"b\\\\c\\nd\\u0001\\u003c/script\\u003e\\u0026\\u2028\"");
	}

	@Test
	void textKeepsEachNameOnItsLine() {
		StringBuilder out = new StringBuilder();
		Escape.text("a\nb\\c\r\u001b", out);
		assertThat(out).hasToString("a\\x0ab\\\\c\\x0d\\x1b");
	}

}
