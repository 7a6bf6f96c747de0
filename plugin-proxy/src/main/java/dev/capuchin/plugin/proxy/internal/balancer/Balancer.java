package dev.capuchin.plugin.proxy.internal.balancer;

import java.util.List;
import java.util.random.RandomGenerator;

import dev.capuchin.plugin.proxy.Upstream;

/**
 * Chooses the server for one try of a request. The caller offers only the servers that
 * may be used for this try (available, not drained, not this node, not tried yet; the
 * backups only when no primary is left), in list order, so every balancer fails over to
 * its next choice by being asked again. Implementations are thread-safe.
 */
public interface Balancer {

	/**
	 * Choose a server.
	 * @param candidates the servers that may be used, never empty, in list order
	 * @param hash the request's key hash for hashing balancers (the client address or the
	 * consistent-hash key), 0 for the others
	 * @return the position of the choice in {@code candidates}
	 */
	int choose(List<Candidate> candidates, long hash);

	/**
	 * The balancer of an upstream.
	 * @param upstream the upstream
	 * @param random the source of randomness for randomised kinds
	 * @return a new balancer, with its own rotation state
	 */
	static Balancer of(Upstream upstream, RandomGenerator random) {
		return switch (upstream.balancer()) {
			case NAIVE -> new NaiveBalancer(random);
			case FIRST_ALIVE -> new FirstAliveBalancer();
			case ROUND_ROBIN -> new RoundRobinBalancer();
			case LOCKING_ROUND_ROBIN -> new LockingRoundRobinBalancer(upstream.servers().size());
			case LEAST_CONNECTIONS -> new LeastConnectionsBalancer();
			case SOURCE_HASH -> new SourceHashBalancer(upstream.servers().size());
			case WEIGHTED_ROUND_ROBIN -> new WeightedRoundRobinBalancer(upstream.servers().size());
			case RANDOM_TWO_CHOICES -> new RandomTwoChoicesBalancer(random);
			case CONSISTENT_HASH -> new ConsistentHashBalancer(upstream.servers());
		};
	}

	/**
	 * A 64-bit hash of a string with good spread (FNV-1a, then MurmurHash3's finaliser).
	 * @param key the key
	 * @return the hash
	 */
	static long hash(CharSequence key) {
		long h = 0xcbf29ce484222325L;
		for (int i = 0; i < key.length(); i++) {
			h ^= key.charAt(i);
			h *= 0x100000001b3L;
		}
		return mix(h);
	}

	/**
	 * MurmurHash3's 64-bit finaliser.
	 * @param value the value
	 * @return the mixed value
	 */
	static long mix(long value) {
		long h = value;
		h ^= h >>> 33;
		h *= 0xff51afd7ed558ccdL;
		h ^= h >>> 33;
		h *= 0xc4ceb9fe1a85ec53L;
		h ^= h >>> 33;
		return h;
	}

}
