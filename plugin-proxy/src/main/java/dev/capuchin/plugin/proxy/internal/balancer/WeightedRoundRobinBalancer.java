package dev.capuchin.plugin.proxy.internal.balancer;

import java.util.List;

/**
 * {@code weighted-round-robin}: nginx's smooth weighted round robin; weights 5, 1, 1 give
 * {@code a a b a c a a}, not {@code a a a a a b c}. Monkey had no weights.
 */
final class WeightedRoundRobinBalancer implements Balancer {

	private final int[] current;

	WeightedRoundRobinBalancer(int servers) {
		this.current = new int[servers];
	}

	@Override
	public synchronized int choose(List<Candidate> candidates, long hash) {
		int total = 0;
		int best = 0;
		for (int i = 0; i < candidates.size(); i++) {
			Candidate c = candidates.get(i);
			this.current[c.index()] += c.weight();
			total += c.weight();
			if (this.current[c.index()] > this.current[candidates.get(best).index()]) {
				best = i;
			}
		}
		this.current[candidates.get(best).index()] -= total;
		return best;
	}

}
