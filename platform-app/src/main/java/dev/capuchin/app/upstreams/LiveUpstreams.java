package dev.capuchin.app.upstreams;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.capuchin.plugin.proxy.ProxyPlugin;
import dev.capuchin.plugin.proxy.UpstreamState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;

/**
 * The live state of the upstreams on this node, as the running proxy plugin reports it
 * ({@link ProxyPlugin#upstreams()}); empty when the plugin does not run (profile
 * {@code proxy} off), so pages and the API show the stored upstreams without state.
 */
public class LiveUpstreams {

	private static final Logger logger = LoggerFactory.getLogger(LiveUpstreams.class);

	private final ObjectProvider<ProxyPlugin> plugin;

	/**
	 * Create the reader.
	 * @param plugin the proxy plugin, when it runs
	 */
	public LiveUpstreams(ObjectProvider<ProxyPlugin> plugin) {
		this.plugin = plugin;
	}

	/**
	 * Whether the proxy plugin runs in this process.
	 * @return {@code true} when it does
	 */
	public boolean running() {
		return this.plugin.getIfAvailable() != null;
	}

	/**
	 * Every upstream's state, named upstreams and locations' inline servers alike.
	 * @return the states by upstream name, empty when the plugin does not run
	 */
	public Map<String, UpstreamState> states() {
		ProxyPlugin proxy = this.plugin.getIfAvailable();
		if (proxy == null) {
			return Map.of();
		}
		Map<String, UpstreamState> states = new LinkedHashMap<>();
		try {
			List<UpstreamState> upstreams = proxy.upstreams();
			upstreams.forEach((state) -> states.put(state.name(), state));
		}
		catch (RuntimeException ex) {
			// a failing report must not cost the page or the API answer
			logger.warn("The proxy plugin failed to report its upstreams", ex);
		}
		return states;
	}

	/**
	 * One server's state.
	 * @param states the states of {@link #states()}
	 * @param upstream the upstream's name
	 * @param url the server's URL
	 * @return the state, or {@code null} when unknown
	 */
	public static UpstreamState.ServerState server(Map<String, UpstreamState> states, String upstream, String url) {
		UpstreamState state = states.get(upstream);
		if (state == null) {
			return null;
		}
		String wanted = trim(url);
		return state.servers().stream().filter((server) -> trim(server.url()).equals(wanted)).findFirst().orElse(null);
	}

	private static String trim(String url) {
		return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
	}

}
