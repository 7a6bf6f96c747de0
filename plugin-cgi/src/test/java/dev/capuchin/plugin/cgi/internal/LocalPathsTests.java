package dev.capuchin.plugin.cgi.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class LocalPathsTests {

	@Test
	void percentEncodedPathIsDecoded() {
		assertThat(LocalPaths.decode("/a%20b/%C3%A9.txt")).isEqualTo("/a b/\u00e9.txt");
	}

	@ParameterizedTest
	@ValueSource(strings = { "relative", "//host/x", "/a/../b", "/a/./b", "/a//b", "/a%2fb", "/a%00b", "/a%zz", "/a%",
			"/a b", "/%C3%28" })
	void unsafePathsAreRefused(String path) {
		assertThat(LocalPaths.decode(path)).isNull();
	}

}
