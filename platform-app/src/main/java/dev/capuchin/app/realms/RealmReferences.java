package dev.capuchin.app.realms;

import dev.capuchin.app.shared.config.ConfigurationConflictException;
import dev.capuchin.app.shared.config.InvalidConfigurationException;
import dev.capuchin.app.sites.SiteEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.capuchin.core.spi.Location;
import dev.capuchin.core.spi.Site;
import dev.capuchin.plugin.auth.AuthPlugin;
import dev.capuchin.plugin.auth.BasicAuthMode;

/**
 * The link between sites and stored realms. A location whose {@code auth:} block names a
 * {@code realm} and neither a {@code users-file} nor {@code users} uses the stored realm
 * of that name: the stored site keeps only the reference, and the site table the data
 * plane gets has the realm's users written into the block as {@code users}, so a changed
 * realm reaches the data plane with the next table, like any other change.
 */
public final class RealmReferences {

	private RealmReferences() {
	}

	/**
	 * The locations that name a stored realm, in site and location order.
	 * @param entries the sites, enabled or not
	 * @return the references
	 */
	public static List<Reference> of(List<SiteEntry> entries) {
		List<Reference> references = new ArrayList<>();
		for (SiteEntry entry : entries) {
			List<Location> locations = entry.site().locations();
			for (int i = 0; i < locations.size(); i++) {
				String realm = realmOf(locations.get(i));
				if (realm != null) {
					references.add(new Reference(entry.name(), i, realm, locations.get(i).toString()));
				}
			}
		}
		return references;
	}

	/**
	 * The stored realm a location names, if it names one.
	 * @param location the location
	 * @return the realm's name, or {@code null} when its users come from elsewhere or it
	 * has no auth block
	 */
	public static String realmOf(Location location) {
		if (!(location.setting(AuthPlugin.NAME) instanceof Map<?, ?> block)) {
			return null;
		}
		return BasicAuthMode.storedRealm(block);
	}

	/**
	 * Refuse sites that name a realm that is not stored.
	 * @param entries the sites, enabled or not (a disabled site is checked too, so that
	 * enabling it cannot fail on a realm deleted meanwhile)
	 * @param realms the names of the stored realms
	 * @throws InvalidConfigurationException naming the site and location
	 */
	public static void check(List<SiteEntry> entries, Set<String> realms) {
		for (Reference reference : of(entries)) {
			if (!realms.contains(reference.realm())) {
				throw new InvalidConfigurationException("site " + reference.site() + ": locations["
						+ reference.location() + "]." + AuthPlugin.NAME + ".realm: no realm '" + reference.realm()
						+ "' (create it under Realms, or give a users-file)");
			}
		}
	}

	/**
	 * Refuse removing (or renaming) a realm that locations still name.
	 * @param before the realms before the change
	 * @param after the names of the realms after it
	 * @param entries the sites after it
	 * @throws ConfigurationConflictException naming the realm and every site and location
	 * that names it
	 */
	public static void checkRemoved(List<Realm> before, Set<String> after, List<SiteEntry> entries) {
		List<Reference> references = of(entries);
		for (Realm realm : before) {
			if (after.contains(realm.name())) {
				continue;
			}
			List<String> where = references.stream()
				.filter((reference) -> reference.realm().equals(realm.name()))
				.map(Reference::where)
				.toList();
			if (!where.isEmpty()) {
				throw new ConfigurationConflictException("realm " + realm.name() + ": in use by "
						+ String.join(", ", where) + " (remove the realm from those locations first)");
			}
		}
	}

	/**
	 * The locations that name each realm.
	 * @param entries the sites
	 * @return realm name to its references, in site and location order
	 */
	public static Map<String, List<Reference>> usage(List<SiteEntry> entries) {
		Map<String, List<Reference>> usage = new LinkedHashMap<>();
		for (Reference reference : of(entries)) {
			usage.computeIfAbsent(reference.realm(), (name) -> new ArrayList<>()).add(reference);
		}
		return usage;
	}

	/**
	 * A site as the data plane gets it: the users of each realm it names written into the
	 * location's block.
	 * @param site the stored site
	 * @param realms the stored realms by name
	 * @return the site, the same instance when it names no realm
	 */
	public static Site resolve(Site site, Map<String, Realm> realms) {
		List<Location> locations = new ArrayList<>(site.locations().size());
		boolean changed = false;
		for (Location location : site.locations()) {
			String name = realmOf(location);
			Realm realm = (name != null) ? realms.get(name) : null;
			if (realm == null) {
				locations.add(location);
				continue;
			}
			Map<String, Object> users = new LinkedHashMap<>();
			realm.users().forEach((user) -> users.put(user.name(), user.passwordHash()));
			Map<String, Object> block = new LinkedHashMap<>();
			((Map<?, ?>) location.setting(AuthPlugin.NAME))
				.forEach((key, value) -> block.put(String.valueOf(key), value));
			block.put(BasicAuthMode.USERS, users);
			Map<String, Object> settings = new LinkedHashMap<>(location.settings());
			settings.put(AuthPlugin.NAME, block);
			locations.add(new Location(location.path(), location.match(), settings));
			changed = true;
		}
		if (!changed) {
			return site;
		}
		return site.withLocations(locations);
	}

	/**
	 * A location that names a stored realm.
	 *
	 * @param site the site's name
	 * @param location the location's position in the site
	 * @param realm the realm's name
	 * @param match the location's path or expression, such as {@code path /staff/}
	 */
	public record Reference(String site, int location, String realm, String match) {

		/**
		 * Where the reference is, for messages.
		 * @return such as {@code site shop locations[1] (path /staff/)}
		 */
		public String where() {
			return "site " + this.site + " locations[" + this.location + "] (" + this.match + ")";
		}

	}

}
