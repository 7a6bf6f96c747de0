package dev.capuchin.plugin.mandril.internal;

import java.net.InetSocketAddress;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the forwarding headers ({@code Forwarded}, {@code X-Forwarded-For}) that name
 * the real client behind a trusted proxy: a node is an IP literal with a valid port or
 * nothing, and reading one never resolves a name.
 */
class ForwardedClientFuzzTests {

	@FuzzTest(maxDuration = "2m")
	void forwardedNodes(FuzzedDataProvider data) {
		for (String node : ForwardedClient.forwardedNodes(List.of(data.consumeRemainingAsString()))) {
			check(node);
		}
	}

	@FuzzTest(maxDuration = "2m")
	void node(FuzzedDataProvider data) {
		check(data.consumeRemainingAsString());
	}

	private static void check(String text) {
		InetSocketAddress node = ForwardedClient.node(text);
		if (node != null) {
			assertThat(node.isUnresolved()).isFalse();
			assertThat(node.getPort()).isBetween(0, 65535);
		}
	}

}
