package dev.capuchin.plugin.proxy.internal.balancer;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code least-connections}: the server with the fewest requests in flight relative to
 * its weight; ties go in rotation, so idle servers share the load. Monkey's counted
 * connections per worker and did not fail over; ours counts every worker's requests and
 * fails over to the next least loaded.
 */
final class LeastConnectionsBalancer implements Balancer {

	private final AtomicInteger rotation = new AtomicInteger();

	@Override
	public int choose(List<Candidate> candidates, long hash) {
		int size = candidates.size();
		int start = Math.floorMod(this.rotation.getAndIncrement(), size);
		int best = start;
		for (int step = 1; step < size; step++) {
			int i = (start + step) % size;
			Candidate c = candidates.get(i);
			Candidate b = candidates.get(best);
			// inFlight / weight, compared without division
			if ((long) c.inFlight() * b.weight() < (long) b.inFlight() * c.weight()) {
				best = i;
			}
		}
		return best;
	}

}
