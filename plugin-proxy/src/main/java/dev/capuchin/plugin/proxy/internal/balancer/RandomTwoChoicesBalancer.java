package dev.capuchin.plugin.proxy.internal.balancer;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * {@code random-two-choices}: two distinct random servers, the one with fewer requests in
 * flight wins (the first drawn on a tie): near least-connections' spread without its herd
 * on a server that just became idle. Not in Monkey.
 */
final class RandomTwoChoicesBalancer implements Balancer {

	private final RandomGenerator random;

	RandomTwoChoicesBalancer(RandomGenerator random) {
		this.random = random;
	}

	@Override
	public int choose(List<Candidate> candidates, long hash) {
		int size = candidates.size();
		if (size == 1) {
			return 0;
		}
		int first = this.random.nextInt(size);
		int second = (first + 1 + this.random.nextInt(size - 1)) % size;
		return (candidates.get(second).inFlight() < candidates.get(first).inFlight()) ? second : first;
	}

}
