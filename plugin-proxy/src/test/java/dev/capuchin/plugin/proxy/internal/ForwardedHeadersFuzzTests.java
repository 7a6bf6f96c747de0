package dev.capuchin.plugin.proxy.internal;

import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the {@code Via} values the proxy reads to stop request loops: any value is read
 * without an exception, and a value naming this node after another's is a loop.
 */
class ForwardedHeadersFuzzTests {

	private static final String NODE = "node-a";

	@FuzzTest(maxDuration = "2m")
	void loops(FuzzedDataProvider data) {
		String via = data.consumeRemainingAsString();
		ForwardedHeaders.loops(List.of(via), NODE);
		assertThat(ForwardedHeaders.loops(List.of(via + ", 1.1 " + NODE), NODE)).isTrue();
	}

}
