package dev.capuchin.plugin.proxy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.capuchin.core.testing.KernelFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each balancer's choices over three live servers, one request after another.
 */
class BalancingSocketTests {

	@TempDir
	Path temp;

	private final List<Backend> backends = new ArrayList<>();

	private KernelFixture kernel;

	@BeforeEach
	void backends() {
		this.backends.add(Backend.named("a"));
		this.backends.add(Backend.named("b"));
		this.backends.add(Backend.named("c"));
	}

	@AfterEach
	void close() {
		if (this.kernel != null) {
			this.kernel.close();
		}
		this.backends.forEach(Backend::close);
	}

	private void start(String balancer, List<Object> servers) throws Exception {
		this.kernel = KernelFixture.builder(this.temp)
			.plugin(new ProxyPlugin(ProxySettings.DEFAULTS))
			.defaultSite(Backend.proxied("/", Map.of("servers", servers, "balancer", balancer)))
			.start();
	}

	private List<Object> urls() {
		return this.backends.stream().map((backend) -> (Object) backend.url()).toList();
	}

	private String sequence(int count, String path) throws Exception {
		List<String> names = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			names.add(Backend.text(this.kernel.get(path).body()));
		}
		return String.join(",", names);
	}

	@ParameterizedTest
	@CsvSource({ "first-alive, 'a,a,a,a,a,a'", "round-robin, 'a,b,c,a,b,c'", "locking-round-robin, 'a,b,c,a,b,c'",
			"least-connections, 'a,b,c,a,b,c'" })
	void sequenceOverLiveServers(String balancer, String expected) throws Exception {
		start(balancer, urls());
		assertThat(sequence(6, "/")).isEqualTo(expected);
	}

	@Test
	void weightedRoundRobinFollowsTheWeights() throws Exception {
		List<Object> servers = List.of(Map.of("url", this.backends.get(0).url(), "weight", 2),
				this.backends.get(1).url(), this.backends.get(2).url());
		start("weighted-round-robin", servers);
		assertThat(sequence(8, "/")).isEqualTo("a,b,c,a,a,b,c,a");
	}

	@Test
	void sourceHashKeepsAClientOnOneServer() throws Exception {
		start("source-hash", urls());
		assertThat(new HashSet<>(List.of(sequence(6, "/").split(",")))).hasSize(1);
	}

	@Test
	void consistentHashKeepsAUriOnOneServerAndSpreadsUris() throws Exception {
		start("consistent-hash", urls());
		assertThat(new HashSet<>(List.of(sequence(4, "/cart/1").split(",")))).hasSize(1);
		Set<String> used = new HashSet<>();
		for (int i = 0; i < 40; i++) {
			used.add(Backend.text(this.kernel.get("/item/" + i).body()));
		}
		assertThat(used).containsExactlyInAnyOrder("a", "b", "c");
	}

	@ParameterizedTest
	@EnumSource(names = { "NAIVE", "RANDOM_TWO_CHOICES" })
	void randomisedBalancersUseEveryServer(BalancerKind kind) throws Exception {
		start(kind.key(), urls());
		assertThat(new HashSet<>(List.of(sequence(40, "/").split(",")))).containsExactlyInAnyOrder("a", "b", "c");
	}

	@Test
	void backupGetsNothingWhilePrimariesServe() throws Exception {
		List<Object> servers = List.of(this.backends.get(0).url(),
				Map.of("url", this.backends.get(1).url(), "backup", true));
		start("round-robin", servers);
		assertThat(sequence(3, "/")).isEqualTo("a,a,a");
		assertThat(this.backends.get(1).received).isEmpty();
	}

	@Test
	void backupServesWhenNoPrimaryIsLeft() throws Exception {
		try (RawBackend reset = new RawBackend(RawBackend.Mode.RESET)) {
			List<Object> servers = List.of(reset.url(), Map.of("url", this.backends.get(1).url(), "backup", true));
			start("round-robin", servers);
			assertThat(sequence(3, "/")).isEqualTo("b,b,b");
			assertThat(reset.accepted).hasValue(1);
		}
	}

}
