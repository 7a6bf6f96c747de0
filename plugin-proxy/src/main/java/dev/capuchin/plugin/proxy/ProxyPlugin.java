package dev.capuchin.plugin.proxy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import dev.capuchin.core.spi.Exchange;
import dev.capuchin.core.spi.HandleResult;
import dev.capuchin.core.spi.NodeContext;
import dev.capuchin.core.spi.Plugin;
import dev.capuchin.core.spi.SiteTable;
import dev.capuchin.core.spi.Stage;
import dev.capuchin.plugin.proxy.internal.HealthChecker;
import dev.capuchin.plugin.proxy.internal.PreparedUpstream;
import dev.capuchin.plugin.proxy.internal.ProxyClients;
import dev.capuchin.plugin.proxy.internal.ProxyHandler;
import dev.capuchin.plugin.proxy.internal.ProxyRoute;
import dev.capuchin.plugin.proxy.internal.ProxyState;
import dev.capuchin.plugin.proxy.internal.ServerRegistry;
import dev.capuchin.plugin.proxy.internal.cache.CacheZone;
import dev.capuchin.plugin.proxy.internal.cache.ProxyCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Stage {@link Stage#HANDLE}: the reverse proxy. A location with a {@code proxy:} block
 * is claimed before directory listings and static files, and its requests go to an
 * upstream server chosen by the upstream's balancer, on Reactor Netty's HTTP client
 * running on the same worker loop as the request.
 * <p>
 * Server state (requests in flight, counters, offline times, health verdicts) is kept per
 * upstream name and server URL and carried across site tables. {@link #status()} and
 * {@link #upstreams()} report it for monitoring.
 */
public final class ProxyPlugin implements Plugin {

	/**
	 * The plugin's name, as in {@code capuchin.plugins.proxy} and the site files' key.
	 */
	public static final String NAME = "proxy";

	/**
	 * The plugin's order among HANDLE plugins: before every handler that serves files
	 * (dirlisting is at 1000), as a proxied location owns its whole URL space.
	 */
	public static final int ORDER = 100;

	/** The stages the plugin uses: {@link Stage#HANDLE}. */
	public static final Set<Stage> STAGES = Set.of(Stage.HANDLE);

	private static final Logger logger = LoggerFactory.getLogger(ProxyPlugin.class);

	private final ProxySettings settings;

	private final ProxyListener listener;

	private final ServerRegistry registry;

	private final HealthChecker health;

	private final ProxyCache cache;

	private volatile ProxyState last;

	private volatile ProxyHandler handler;

	private volatile ProxyClients clients;

	/**
	 * Create the plugin without metrics.
	 * @param settings the node-wide settings
	 */
	public ProxyPlugin(ProxySettings settings) {
		this(settings, ProxyListener.NONE, Clock.systemUTC());
	}

	/**
	 * Create the plugin.
	 * @param settings the node-wide settings
	 * @param listener told of every try's outcome and every server state change
	 * @param clock the clock for offline times and per-minute counts
	 */
	public ProxyPlugin(ProxySettings settings, ProxyListener listener, Clock clock) {
		this.settings = Objects.requireNonNull(settings, "settings");
		this.listener = Objects.requireNonNull(listener, "listener");
		this.registry = new ServerRegistry(Objects.requireNonNull(clock, "clock"));
		this.health = new HealthChecker(listener);
		Map<String, CacheZone> zones = new LinkedHashMap<>();
		for (CacheZoneSettings zone : settings.cacheZones().values()) {
			zones.put(zone.name(), new CacheZone(zone, clock));
		}
		this.cache = new ProxyCache(zones, listener);
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public Set<Stage> stages() {
		return STAGES;
	}

	@Override
	public int order() {
		return ORDER;
	}

	/**
	 * The node-wide settings.
	 * @return the settings
	 */
	public ProxySettings settings() {
		return this.settings;
	}

	@Override
	public Object prepare(SiteTable sites) {
		ProxyState state = ProxyState.prepare(sites, this.registry, ThreadLocalRandom.current(),
				this.cache.zones().keySet());
		for (PreparedUpstream upstream : state.upstreams()) {
			if (!upstream.upstream().tls().verify()) {
				logger.warn("proxy {}: tls.verify is false: certificates of its https servers are not checked",
						upstream.upstream().name());
			}
			for (UpstreamServer server : upstream.upstream().servers()) {
				this.listener.onServerState(upstream.upstream().name(), server.url().toString(),
						this.registry.tracker(upstream.upstream().name(), server.url().toString())
							.condition(server.drain()));
			}
		}
		// the newest table is the one that goes live unless another plugin refuses it;
		// state of servers it dropped is forgotten
		ProxyState previous = this.last;
		this.last = state;
		if (previous != null) {
			java.util.Set<String> keep = new java.util.HashSet<>(state.serverKeys());
			this.registry.retain(keep);
		}
		this.health.upstreams(state.upstreams());
		return state;
	}

	@Override
	public void start(NodeContext node) {
		this.clients = new ProxyClients(node, this.settings);
		this.handler = new ProxyHandler(this.clients, node, this.listener, this.cache);
		this.health.start();
		logger.info("proxy on node {}", node.nodeId());
	}

	/**
	 * Stop the health checks and close the connections to the backends, while the worker
	 * loops they live on still run.
	 */
	@Override
	public void drain() {
		this.health.stop();
		ProxyClients running = this.clients;
		if (running != null) {
			running.dispose();
		}
	}

	/**
	 * Close whatever {@link #drain()} left (nothing, when the server drained the plugin
	 * first), and the cache's disk tiers: the writes already queued finish first (for at
	 * most a few seconds).
	 */
	@Override
	public void stop() {
		drain();
		this.cache.close();
	}

	@Override
	public Mono<HandleResult> handle(Exchange exchange) {
		ProxyState state = exchange.state(this);
		ProxyRoute route = (state != null) ? state.route(exchange.location()) : null;
		if (route == null) {
			return DECLINE;
		}
		return this.handler.handle(exchange, route).then(HandleResult.DONE.mono());
	}

	/**
	 * The figures of every cache zone, in the order they are configured.
	 * @return the zones' states
	 */
	public List<CacheZoneState> cacheZones() {
		List<CacheZoneState> states = new ArrayList<>();
		for (CacheZone zone : this.cache.zones().values()) {
			states.add(zone.state());
		}
		return states;
	}

	/**
	 * Remove a zone's entries whose URL ({@code scheme://host/target}) matches.
	 * @param zone the zone's name
	 * @param matches which URLs go
	 * @return the entries removed, or -1 when there is no such zone
	 */
	public int purge(String zone, Predicate<String> matches) {
		CacheZone found = this.cache.zones().get(zone);
		return (found != null) ? found.purge(matches) : -1;
	}

	/**
	 * The bytes a cache zone's entries take in memory.
	 * @param zone the zone's name
	 * @return the bytes, 0 for an unknown zone
	 */
	public long cacheMemoryBytes(String zone) {
		CacheZone found = this.cache.zones().get(zone);
		return (found != null) ? found.memoryBytes() : 0;
	}

	/**
	 * The bytes a cache zone's entries take on disk.
	 * @param zone the zone's name
	 * @return the bytes, 0 for an unknown zone or one without a disk tier
	 */
	public long cacheDiskBytes(String zone) {
		CacheZone found = this.cache.zones().get(zone);
		return (found != null) ? found.diskBytes() : 0;
	}

	@Override
	public List<UpstreamState> status() {
		return upstreams();
	}

	/**
	 * The live state of every upstream of the current table, named upstreams and
	 * locations' inline servers alike, in the order the table first names them.
	 * @return the upstreams
	 */
	public List<UpstreamState> upstreams() {
		ProxyState state = this.last;
		if (state == null) {
			return List.of();
		}
		List<UpstreamState> states = new ArrayList<>();
		for (PreparedUpstream upstream : state.upstreams()) {
			states.add(upstream.state());
		}
		return states;
	}

}
