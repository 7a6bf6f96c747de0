package dev.capuchin.plugin.proxy.internal.balancer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import dev.capuchin.plugin.proxy.BalancerKind;
import dev.capuchin.plugin.proxy.Upstream;
import dev.capuchin.plugin.proxy.UpstreamServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The choice sequence of every balancer, as a table: servers (weight, requests in
 * flight), which are available, and the positions chosen by successive calls.
 */
class BalancerTests {

	static Stream<Arguments> sequences() {
		return Stream.of(
				// kind, weights, in flight, available, expected choices (server
				// positions)
				Arguments.of(BalancerKind.FIRST_ALIVE, "1,1,1", "0,0,0", "0,1,2", "0,0,0,0"),
				Arguments.of(BalancerKind.FIRST_ALIVE, "1,1,1", "0,0,0", "1,2", "1,1,1,1"),
				Arguments.of(BalancerKind.ROUND_ROBIN, "1,1,1", "0,0,0", "0,1,2", "0,1,2,0,1,2"),
				Arguments.of(BalancerKind.ROUND_ROBIN, "1,1,1", "0,0,0", "0,2", "0,2,0,2"),
				Arguments.of(BalancerKind.LOCKING_ROUND_ROBIN, "1,1,1", "0,0,0", "0,1,2", "0,1,2,0,1,2"),
				Arguments.of(BalancerKind.LOCKING_ROUND_ROBIN, "1,1,1,1", "0,0,0,0", "0,1,3", "0,1,3,0,1,3"),
				Arguments.of(BalancerKind.LEAST_CONNECTIONS, "1,1,1", "5,0,3", "0,1,2", "1,1,1"),
				Arguments.of(BalancerKind.LEAST_CONNECTIONS, "1,1,1", "0,0,0", "0,1,2", "0,1,2,0"),
				Arguments.of(BalancerKind.LEAST_CONNECTIONS, "4,1,1", "4,2,3", "0,1,2", "0,0,0"),
				Arguments.of(BalancerKind.WEIGHTED_ROUND_ROBIN, "5,1,1", "0,0,0", "0,1,2",
						"0,0,1,0,2,0,0,0,0,1,0,2,0,0"),
				Arguments.of(BalancerKind.WEIGHTED_ROUND_ROBIN, "2,1", "0,0", "0,1", "0,1,0,0,1,0"),
				Arguments.of(BalancerKind.SOURCE_HASH, "1,1,1", "0,0,0", "0,1,2", "h1,h1,h1"),
				Arguments.of(BalancerKind.RANDOM_TWO_CHOICES, "1,1", "9,0", "0,1", "1,1,1,1,1"));
	}

	@ParameterizedTest(name = "{0} weights {1} in flight {2} available {3}")
	@MethodSource("sequences")
	void choosesInSequence(BalancerKind kind, String weights, String inFlight, String available, String expected) {
		int[] w = ints(weights);
		int[] f = ints(inFlight);
		List<Candidate> candidates = new ArrayList<>();
		for (int index : ints(available)) {
			candidates.add(new Candidate(index, w[index], f[index]));
		}
		Balancer balancer = Balancer.of(upstream(kind, w), new Random(42));
		List<String> chosen = new ArrayList<>();
		for (String ignored : expected.split(",")) {
			chosen.add(String.valueOf(candidates.get(balancer.choose(candidates, 1)).index()));
		}
		if (kind == BalancerKind.SOURCE_HASH) {
			// one client, one server: all equal, and the hash 1 picks server 1
			assertThat(chosen).containsOnly("1");
		}
		else {
			assertThat(String.join(",", chosen)).isEqualTo(expected);
		}
	}

	@Test
	void naiveStartsAtVaryingServers() {
		Balancer balancer = Balancer.of(upstream(BalancerKind.NAIVE, new int[] { 1, 1, 1 }), new Random(7));
		List<Candidate> candidates = candidates(3);
		Map<Integer, Integer> counts = new HashMap<>();
		for (int i = 0; i < 300; i++) {
			counts.merge(balancer.choose(candidates, 0), 1, Integer::sum);
		}
		assertThat(counts).containsOnlyKeys(0, 1, 2);
		assertThat(counts.values()).allMatch((count) -> count > 50);
	}

	@Test
	void sourceHashFailsOverToTheNextServerAndBack() {
		Balancer balancer = Balancer.of(upstream(BalancerKind.SOURCE_HASH, new int[] { 1, 1, 1 }), new Random(1));
		long hash = 4; // 4 mod 3 = server 1
		assertThat(candidates(3).get(balancer.choose(candidates(3), hash)).index()).isEqualTo(1);
		List<Candidate> withoutOne = List.of(new Candidate(0, 1, 0), new Candidate(2, 1, 0));
		assertThat(withoutOne.get(balancer.choose(withoutOne, hash)).index()).isEqualTo(2);
		assertThat(candidates(3).get(balancer.choose(candidates(3), hash)).index()).isEqualTo(1);
	}

	@Test
	void randomTwoChoicesPrefersTheLessLoaded() {
		Balancer balancer = Balancer.of(upstream(BalancerKind.RANDOM_TWO_CHOICES, new int[] { 1, 1, 1, 1 }),
				new Random(3));
		List<Candidate> candidates = List.of(new Candidate(0, 1, 10), new Candidate(1, 1, 10), new Candidate(2, 1, 0),
				new Candidate(3, 1, 10));
		int busiest = 0;
		for (int i = 0; i < 1000; i++) {
			if (candidates.get(balancer.choose(candidates, 0)).inFlight() == 10) {
				busiest++;
			}
		}
		// a loaded server wins only when both draws are loaded: (3/4 * 2/3) = 1/2
		assertThat(busiest).isBetween(400, 600);
	}

	@Test
	void consistentHashMovesOnlyTheLeavingServersKeys() {
		int[] weights = { 1, 1, 1, 1 };
		Balancer balancer = Balancer.of(upstream(BalancerKind.CONSISTENT_HASH, weights), new Random(1));
		List<Candidate> all = candidates(4);
		List<Candidate> withoutTwo = List.of(all.get(0), all.get(1), all.get(3));
		int moved = 0;
		int onTwo = 0;
		for (int key = 0; key < 10_000; key++) {
			long hash = Balancer.hash("key-" + key);
			int before = all.get(balancer.choose(all, hash)).index();
			int after = withoutTwo.get(balancer.choose(withoutTwo, hash)).index();
			if (before == 2) {
				onTwo++;
			}
			else if (before != after) {
				moved++;
			}
		}
		assertThat(moved).isZero();
		// each server holds about a quarter of the keys
		assertThat(onTwo).isBetween(1500, 3500);
	}

	@Test
	void consistentHashKeepsAKeyOnItsServer() {
		Balancer balancer = Balancer.of(upstream(BalancerKind.CONSISTENT_HASH, new int[] { 1, 1, 1 }), new Random(1));
		long hash = Balancer.hash("/cart?id=7");
		int first = balancer.choose(candidates(3), hash);
		assertThat(IntStream.range(0, 20).map((i) -> balancer.choose(candidates(3), hash))).containsOnly(first);
	}

	private static List<Candidate> candidates(int count) {
		return IntStream.range(0, count).mapToObj((i) -> new Candidate(i, 1, 0)).toList();
	}

	private static Upstream upstream(BalancerKind kind, int[] weights) {
		List<UpstreamServer> servers = new ArrayList<>();
		for (int i = 0; i < weights.length; i++) {
			servers.add(new UpstreamServer(java.net.URI.create("http://127.0.0.1:" + (9001 + i)), weights[i], false,
					false));
		}
		return Upstream.of("test", kind, servers);
	}

	private static int[] ints(String list) {
		return Stream.of(list.split(",")).mapToInt(Integer::parseInt).toArray();
	}

}
