package dev.capuchin.plugin.proxy.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

import dev.capuchin.core.spi.Location;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.SiteTable;
import dev.capuchin.plugin.proxy.Upstream;
import dev.capuchin.plugin.proxy.UpstreamServer;
import dev.capuchin.plugin.proxy.Upstreams;
import org.jspecify.annotations.Nullable;

/**
 * What the plugin prepared from one site table: the route of each proxied location (found
 * by the location's identity, allocation-free) and the upstreams, each shared by the
 * locations that name it.
 */
public final class ProxyState {

	private final Map<Location, ProxyRoute> routes;

	private final Map<String, PreparedUpstream> upstreams;

	private ProxyState(Map<Location, ProxyRoute> routes, Map<String, PreparedUpstream> upstreams) {
		this.routes = routes;
		this.upstreams = upstreams;
	}

	/**
	 * Compile every {@code proxy:} block of a table.
	 * @param sites the table
	 * @param registry the servers' live state
	 * @param random the randomness of randomised balancers
	 * @param zones the cache zones locations may name
	 * @return the state
	 * @throws IllegalArgumentException naming the site and field
	 */
	public static ProxyState prepare(SiteTable sites, ServerRegistry registry, RandomGenerator random,
			Set<String> zones) {
		Map<Location, ProxyRoute> routes = new IdentityHashMap<>();
		Map<String, PreparedUpstream> upstreams = new LinkedHashMap<>();
		Map<String, String> definedBy = new LinkedHashMap<>();
		for (Site site : sites.sites()) {
			List<Location> locations = site.locations();
			for (int i = 0; i < locations.size(); i++) {
				Location location = locations.get(i);
				Object raw = location.setting(Upstreams.BLOCK);
				if (raw == null) {
					continue;
				}
				String field = "site " + site.name() + ": locations[" + i + "]." + Upstreams.BLOCK;
				ProxyBlocks.Parsed parsed = ProxyBlocks.parse(field, site.name() + " " + location, location.path(), raw,
						zones);
				Upstream upstream = parsed.upstream();
				PreparedUpstream prepared = upstreams.get(upstream.name());
				if (prepared == null) {
					prepared = new PreparedUpstream(upstream, registry, random);
					upstreams.put(upstream.name(), prepared);
					definedBy.put(upstream.name(), field);
				}
				else if (!prepared.upstream().equals(upstream)) {
					throw new IllegalArgumentException(field + ": upstream '" + upstream.name()
							+ "' differs from its definition at " + definedBy.get(upstream.name()));
				}
				routes.put(location, parsed.route(field, prepared));
			}
		}
		return new ProxyState(routes, upstreams);
	}

	/**
	 * The route of a location.
	 * @param location the request's location
	 * @return the route, or {@code null} when the location is not proxied
	 */
	public @Nullable ProxyRoute route(@Nullable Location location) {
		return (location != null) ? this.routes.get(location) : null;
	}

	/**
	 * The upstreams, in the order the table first names them.
	 * @return the upstreams
	 */
	public List<PreparedUpstream> upstreams() {
		return new ArrayList<>(this.upstreams.values());
	}

	/**
	 * The registry keys of every server of this table.
	 * @return the keys
	 */
	public Set<String> serverKeys() {
		Set<String> keys = new HashSet<>();
		for (PreparedUpstream upstream : this.upstreams.values()) {
			for (UpstreamServer server : upstream.upstream().servers()) {
				keys.add(ServerRegistry.key(upstream.upstream().name(), server.url().toString()));
			}
		}
		return keys;
	}

}
