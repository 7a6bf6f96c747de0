package dev.capuchin.plugin.proxy.internal;

import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every server's {@link ServerTracker}, keyed by upstream name and server URL, so that a
 * new site table finds the state of the servers it keeps.
 */
public final class ServerRegistry {

	private final ConcurrentHashMap<String, ServerTracker> trackers = new ConcurrentHashMap<>();

	private final Clock clock;

	/**
	 * Create an empty registry.
	 * @param clock the clock for offline times and per-minute counts
	 */
	public ServerRegistry(Clock clock) {
		this.clock = clock;
	}

	/**
	 * The tracker of a server, created on first use.
	 * @param upstream the upstream's name
	 * @param url the server's URL
	 * @return the tracker
	 */
	public ServerTracker tracker(String upstream, String url) {
		return this.trackers.computeIfAbsent(key(upstream, url), (key) -> new ServerTracker(upstream, url, this.clock));
	}

	/**
	 * Forget the servers a table no longer lists.
	 * @param kept the keys ({@link #key(String, String)}) of the servers to keep
	 */
	public void retain(Set<String> kept) {
		this.trackers.keySet().retainAll(kept);
	}

	/**
	 * The key of a server.
	 * @param upstream the upstream's name
	 * @param url the server's URL
	 * @return the key
	 */
	public static String key(String upstream, String url) {
		return upstream + '\n' + url;
	}

}
