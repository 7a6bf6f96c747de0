package dev.capuchin.app.upstreams;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.capuchin.app.shared.config.ConfigurationConflictException;
import dev.capuchin.app.shared.config.InvalidConfigurationException;
import dev.capuchin.app.sites.SiteEntry;
import dev.capuchin.core.spi.Location;
import dev.capuchin.core.spi.Site;
import dev.capuchin.plugin.proxy.Upstream;
import dev.capuchin.plugin.proxy.Upstreams;

/**
 * The link between sites and stored upstreams. A location whose {@code proxy:} block
 * names an {@code upstream} keeps only that reference in the store; the site table the
 * data plane gets has the upstream's definition written into the block
 * ({@link Upstreams#resolve}), so a changed upstream reaches every node with the next
 * table, like any other change (the same way stored realms reach locations).
 */
public final class UpstreamReferences {

	private UpstreamReferences() {
	}

	/**
	 * The locations that name a stored upstream, in site and location order.
	 * @param entries the sites, enabled or not
	 * @return the references
	 */
	public static List<Reference> of(List<SiteEntry> entries) {
		List<Reference> references = new ArrayList<>();
		for (SiteEntry entry : entries) {
			List<Location> locations = entry.site().locations();
			for (int i = 0; i < locations.size(); i++) {
				String upstream = Upstreams.upstreamOf(locations.get(i));
				if (upstream != null) {
					references.add(new Reference(entry.name(), i, upstream, locations.get(i).toString()));
				}
			}
		}
		return references;
	}

	/**
	 * Refuse sites that name an upstream that is not stored.
	 * @param entries the sites, enabled or not (a disabled site is checked too, so that
	 * enabling it cannot fail on an upstream deleted meanwhile)
	 * @param upstreams the names of the stored upstreams
	 * @throws InvalidConfigurationException naming the site, location and field
	 */
	public static void check(List<SiteEntry> entries, Set<String> upstreams) {
		for (Reference reference : of(entries)) {
			if (!upstreams.contains(reference.upstream())) {
				throw new InvalidConfigurationException("site " + reference.site() + ": locations["
						+ reference.location() + "]." + Upstreams.BLOCK + ".upstream: no upstream '"
						+ reference.upstream() + "' (create it under Proxy, or list the servers in the block)");
			}
		}
	}

	/**
	 * Refuse removing (or renaming) an upstream that locations still name.
	 * @param before the names of the upstreams before the change
	 * @param after the names of the upstreams after it
	 * @param entries the sites after it
	 * @throws ConfigurationConflictException naming the upstream and every site and
	 * location that names it
	 */
	public static void checkRemoved(Set<String> before, Set<String> after, List<SiteEntry> entries) {
		Map<String, List<Reference>> usage = usage(entries);
		for (String name : before) {
			if (after.contains(name)) {
				continue;
			}
			List<String> where = usage.getOrDefault(name, List.of()).stream().map(Reference::where).toList();
			if (!where.isEmpty()) {
				throw new ConfigurationConflictException("upstream " + name + ": in use by " + String.join(", ", where)
						+ " (point those locations elsewhere first)");
			}
		}
	}

	/**
	 * The locations that name each upstream.
	 * @param entries the sites
	 * @return upstream name to its references, in site and location order
	 */
	public static Map<String, List<Reference>> usage(List<SiteEntry> entries) {
		Map<String, List<Reference>> usage = new LinkedHashMap<>();
		for (Reference reference : of(entries)) {
			usage.computeIfAbsent(reference.upstream(), (name) -> new ArrayList<>()).add(reference);
		}
		return usage;
	}

	/**
	 * A site as the data plane gets it: each location that names an upstream with its
	 * definition written in.
	 * @param site the stored site (realms already resolved, or not: the blocks are
	 * independent)
	 * @param upstreams the stored upstreams by name
	 * @return the site, the same instance when it names no upstream
	 */
	public static Site resolve(Site site, Map<String, Upstream> upstreams) {
		List<Location> locations = new ArrayList<>(site.locations().size());
		boolean changed = false;
		for (Location location : site.locations()) {
			String name = Upstreams.upstreamOf(location);
			if (name == null || !upstreams.containsKey(name)) {
				locations.add(location);
				continue;
			}
			locations.add(Upstreams.resolve(location, upstreams));
			changed = true;
		}
		if (!changed) {
			return site;
		}
		return site.withLocations(locations);
	}

	/**
	 * A location that names a stored upstream.
	 *
	 * @param site the site's name
	 * @param location the location's position in the site
	 * @param upstream the upstream's name
	 * @param match the location's path or expression, such as {@code path /app/}
	 */
	public record Reference(String site, int location, String upstream, String match) {

		/**
		 * Where the reference is, for messages.
		 * @return such as {@code site shop locations[1] (path /app/)}
		 */
		public String where() {
			return "site " + this.site + " locations[" + this.location + "] (" + this.match + ")";
		}

	}

}
