package dev.capuchin.plugin.proxy.internal.balancer;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code round-robin}: a shared counter, without a lock, over the servers available now.
 * Monkey's lock-free round robin raced on a plain integer; ours is atomic, so the
 * rotation is exact while the set of available servers stays the same (when it changes,
 * the next few choices may repeat a server, as in Monkey).
 */
final class RoundRobinBalancer implements Balancer {

	private final AtomicInteger next = new AtomicInteger();

	@Override
	public int choose(List<Candidate> candidates, long hash) {
		return Math.floorMod(this.next.getAndIncrement(), candidates.size());
	}

}
