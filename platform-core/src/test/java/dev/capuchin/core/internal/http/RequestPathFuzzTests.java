package dev.capuchin.core.internal.http;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes request path normalisation: whatever a client sends, the result is refused or a
 * path that cannot climb above the root, and normalising it again changes nothing.
 */
class RequestPathFuzzTests {

	@FuzzTest(maxDuration = "2m")
	void normalize(FuzzedDataProvider data) {
		String raw = data.consumeRemainingAsString();
		String path = RequestPath.normalize(raw);
		if (path == null) {
			return;
		}
		assertThat(path).startsWith("/");
		assertThat(path).doesNotContain("//", "/../", "/./", "\0");
		assertThat(path).doesNotEndWith("/..").doesNotEndWith("/.");
		assertThat(path.chars()).noneMatch((c) -> c < 0x20 || c == 0x7f);
		assertThat(RequestPath.normalize(RequestPath.encode(path))).isEqualTo(path);
	}

}
