package dev.capuchin.plugin.proxy.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.random.RandomGenerator;

import dev.capuchin.plugin.proxy.Upstream;
import dev.capuchin.plugin.proxy.UpstreamServer;
import dev.capuchin.plugin.proxy.UpstreamState;
import dev.capuchin.plugin.proxy.internal.balancer.Balancer;
import dev.capuchin.plugin.proxy.internal.balancer.Candidate;
import org.jspecify.annotations.Nullable;

/**
 * An upstream of one site table: its definition, its balancer, and the live tracker and
 * local addresses of each server.
 */
public final class PreparedUpstream {

	private final Upstream upstream;

	private final Balancer balancer;

	private final List<ServerTracker> trackers;

	// per server: its addresses when they are this host's (for the recursion check), else
	// empty
	private final List<List<InetAddress>> local;

	// per server: its pools (one per loop), found by the first request that needs them
	private final AtomicReferenceArray<ServerPools> pools;

	PreparedUpstream(Upstream upstream, ServerRegistry registry, RandomGenerator random) {
		this.upstream = upstream;
		this.balancer = Balancer.of(upstream, random);
		List<ServerTracker> trackers = new ArrayList<>();
		List<List<InetAddress>> local = new ArrayList<>();
		for (UpstreamServer server : upstream.servers()) {
			trackers.add(registry.tracker(upstream.name(), server.url().toString()));
			local.add(localAddresses(server));
		}
		this.trackers = List.copyOf(trackers);
		this.local = List.copyOf(local);
		this.pools = new AtomicReferenceArray<>(trackers.size());
	}

	UpstreamPool @Nullable [] pools(ProxyClients owner, int index) {
		ServerPools made = this.pools.get(index);
		return (made != null && made.owner() == owner) ? made.pools() : null;
	}

	void pools(ProxyClients owner, int index, UpstreamPool[] pools) {
		this.pools.set(index, new ServerPools(owner, pools));
	}

	// the pools belong to the node's current ProxyClients
	private record ServerPools(ProxyClients owner, UpstreamPool[] pools) {
	}

	// resolved here, off the event loops: a host name that does not resolve now is not
	// this node (a loop through it is still caught by Via)
	private static List<InetAddress> localAddresses(UpstreamServer server) {
		try {
			List<InetAddress> mine = new ArrayList<>();
			for (InetAddress address : InetAddress.getAllByName(server.host())) {
				if (address.isLoopbackAddress() || address.isAnyLocalAddress()
						|| NetworkInterface.getByInetAddress(address) != null) {
					mine.add(address);
				}
			}
			return List.copyOf(mine);
		}
		catch (UnknownHostException | SocketException ex) {
			return List.of();
		}
	}

	/**
	 * The definition.
	 * @return the upstream
	 */
	public Upstream upstream() {
		return this.upstream;
	}

	/**
	 * The tracker of a server.
	 * @param index the server's position
	 * @return the tracker
	 */
	public ServerTracker tracker(int index) {
		return this.trackers.get(index);
	}

	/**
	 * Whether a server is one of this node's own listeners.
	 * @param index the server's position
	 * @param listeners the node's bound addresses
	 * @return {@code true} when sending to it would come back here
	 */
	public boolean isSelf(int index, List<InetSocketAddress> listeners) {
		List<InetAddress> addresses = this.local.get(index);
		if (addresses.isEmpty()) {
			return false;
		}
		int port = this.upstream.servers().get(index).port();
		for (InetSocketAddress listener : listeners) {
			if (listener.getPort() != port) {
				continue;
			}
			InetAddress bound = listener.getAddress();
			if (bound == null || bound.isAnyLocalAddress() || addresses.contains(bound)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Choose the next server to try.
	 * @param tried the servers tried already (by position), or excluded
	 * @param hash the request's key hash
	 * @return the server's position, or -1 when none is left
	 */
	public int choose(boolean[] tried, long hash) {
		List<Candidate> candidates = candidates(tried, false);
		if (candidates.isEmpty()) {
			candidates = candidates(tried, true);
		}
		if (candidates.isEmpty()) {
			return -1;
		}
		return candidates.get(this.balancer.choose(candidates, hash)).index();
	}

	private List<Candidate> candidates(boolean[] tried, boolean backup) {
		List<UpstreamServer> servers = this.upstream.servers();
		List<Candidate> candidates = new ArrayList<>(servers.size());
		for (int i = 0; i < servers.size(); i++) {
			UpstreamServer server = servers.get(i);
			ServerTracker tracker = this.trackers.get(i);
			if (!tried[i] && server.backup() == backup && !server.drain() && tracker.available()) {
				candidates.add(new Candidate(i, server.weight(), tracker.inFlight()));
			}
		}
		return candidates;
	}

	/**
	 * The live state.
	 * @return the state
	 */
	public UpstreamState state() {
		List<UpstreamState.ServerState> servers = new ArrayList<>();
		for (int i = 0; i < this.trackers.size(); i++) {
			servers.add(this.trackers.get(i).state(this.upstream.servers().get(i)));
		}
		return new UpstreamState(this.upstream.name(), this.upstream.balancer().key(), servers);
	}

	/**
	 * The server list's size.
	 * @return the count
	 */
	public int size() {
		return this.trackers.size();
	}

	@Nullable UpstreamServer server(int index) {
		return this.upstream.servers().get(index);
	}

}
