package dev.capuchin.plugin.proxy.internal.balancer;

import java.util.List;

/**
 * {@code source-hash}: the client address's hash modulo the number of servers picks the
 * server, so a client keeps its server. Monkey's did not fail over; ours moves to the
 * next server in list order when the hashed one is unavailable (and back when it
 * returns).
 */
final class SourceHashBalancer implements Balancer {

	private final int servers;

	SourceHashBalancer(int servers) {
		this.servers = servers;
	}

	@Override
	public int choose(List<Candidate> candidates, long hash) {
		int preferred = (int) Long.remainderUnsigned(hash, this.servers);
		for (int i = 0; i < candidates.size(); i++) {
			if (candidates.get(i).index() >= preferred) {
				return i;
			}
		}
		return 0;
	}

}
