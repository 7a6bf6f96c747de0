package dev.capuchin.plugin.proxy.internal.balancer;

import java.util.Arrays;
import java.util.List;

import dev.capuchin.plugin.proxy.UpstreamServer;

/**
 * {@code consistent-hash}: a ring of {@value #POINTS} points per unit of weight for each
 * server, placed by hashing the server's URL, so a server joining or leaving moves only
 * the keys of its own points. A key goes to the first point at or after its hash whose
 * server is available; an unavailable server's keys spread over the others and come back
 * with it. Not in Monkey.
 */
final class ConsistentHashBalancer implements Balancer {

	static final int POINTS = 160;

	private final long[] points;

	private final int[] owners;

	ConsistentHashBalancer(List<UpstreamServer> servers) {
		int total = servers.stream().mapToInt(UpstreamServer::weight).sum() * POINTS;
		long[][] ring = new long[total][];
		int n = 0;
		for (int index = 0; index < servers.size(); index++) {
			UpstreamServer server = servers.get(index);
			for (int point = 0; point < server.weight() * POINTS; point++) {
				ring[n++] = new long[] { Balancer.hash(server.url() + "#" + point), index };
			}
		}
		Arrays.sort(ring, (a, b) -> Long.compareUnsigned(a[0], b[0]));
		this.points = new long[total];
		this.owners = new int[total];
		for (int i = 0; i < total; i++) {
			this.points[i] = ring[i][0];
			this.owners[i] = (int) ring[i][1];
		}
	}

	@Override
	public int choose(List<Candidate> candidates, long hash) {
		int start = firstAtOrAfter(hash);
		for (int step = 0; step < this.points.length; step++) {
			int owner = this.owners[(start + step) % this.points.length];
			for (int i = 0; i < candidates.size(); i++) {
				if (candidates.get(i).index() == owner) {
					return i;
				}
			}
		}
		return 0;
	}

	private int firstAtOrAfter(long hash) {
		int low = 0;
		int high = this.points.length;
		while (low < high) {
			int mid = (low + high) >>> 1;
			if (Long.compareUnsigned(this.points[mid], hash) < 0) {
				low = mid + 1;
			}
			else {
				high = mid;
			}
		}
		return (low == this.points.length) ? 0 : low;
	}

}
