package dev.capuchin.plugin.proxy.internal.balancer;

import java.util.List;

/**
 * {@code locking-round-robin}: under a lock, the next server in list order after the last
 * one chosen, skipping the unavailable ones, so the rotation stays exact when servers
 * come and go. Monkey's took a mutex around the same counter but did not skip offline
 * servers before trying them.
 */
final class LockingRoundRobinBalancer implements Balancer {

	private final int servers;

	private int last = -1;

	LockingRoundRobinBalancer(int servers) {
		this.servers = servers;
	}

	@Override
	public synchronized int choose(List<Candidate> candidates, long hash) {
		for (int step = 1; step <= this.servers; step++) {
			int index = (this.last + step) % this.servers;
			for (int i = 0; i < candidates.size(); i++) {
				if (candidates.get(i).index() == index) {
					this.last = index;
					return i;
				}
			}
		}
		return 0;
	}

}
