package dev.capuchin.plugin.proxy.internal.balancer;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * {@code naive}: start at a random server, fail over in list order. Monkey's naive
 * started at a varying index too, and tried the rest in order; ours is the same, except
 * that servers offline or drained are not offered at all.
 */
final class NaiveBalancer implements Balancer {

	private final RandomGenerator random;

	NaiveBalancer(RandomGenerator random) {
		this.random = random;
	}

	@Override
	public int choose(List<Candidate> candidates, long hash) {
		return this.random.nextInt(candidates.size());
	}

}
