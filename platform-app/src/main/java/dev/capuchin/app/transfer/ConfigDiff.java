package dev.capuchin.app.transfer;

import dev.capuchin.app.identity.OAuthClientDocument;
import dev.capuchin.app.identity.OAuthClients;
import dev.capuchin.app.openidlogins.OpenIdLogin;
import dev.capuchin.app.openidlogins.OpenIdLoginDocument;
import dev.capuchin.app.realms.Realm;
import dev.capuchin.app.realms.RealmUser;
import dev.capuchin.app.sites.SiteEntry;
import dev.capuchin.app.upstreams.UpstreamDocument;
import dev.capuchin.plugin.proxy.Upstream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * The difference between two configurations, site by site and realm by realm: what an
 * import would add, change and remove, shown before it is applied. Realms are shown with
 * their users' names and which passwords changed, never a hash.
 *
 * @param changes the changed sites, in the order of the new configuration, removals last
 * @param realms the changed realms, by name
 * @param upstreams the changed upstreams, by name
 * @param clients the changed OAuth clients, in document order, removals last
 * @param openidLogins the changed OpenID logins, in document order, removals last
 */
public record ConfigDiff(List<Change> changes, List<RealmChange> realms, List<UpstreamChange> upstreams,
		List<ClientChange> clients, List<OpenIdLoginChange> openidLogins) {

	public ConfigDiff {
		changes = List.copyOf(changes);
		realms = List.copyOf(realms);
		upstreams = List.copyOf(upstreams);
		clients = List.copyOf(clients);
		openidLogins = List.copyOf(openidLogins);
	}

	/**
	 * A difference without OpenID logins.
	 * @param changes the changed sites
	 * @param realms the changed realms
	 * @param upstreams the changed upstreams
	 * @param clients the changed OAuth clients
	 */
	public ConfigDiff(List<Change> changes, List<RealmChange> realms, List<UpstreamChange> upstreams,
			List<ClientChange> clients) {
		this(changes, realms, upstreams, clients, List.of());
	}

	/**
	 * This difference with the OpenID logins' changes; the secrets are never shown, only
	 * whether one changed.
	 * @param before the stored logins
	 * @param after the proposed logins, checked
	 * @return the difference, logins included
	 */
	public ConfigDiff withOpenIdLogins(List<OpenIdLogin> before, List<OpenIdLogin> after) {
		List<OpenIdLoginChange> logins = keyed(before, after, OpenIdLogin::name, Object::equals, false,
				OpenIdLoginDocument::describe, OpenIdLoginChange::new);
		return new ConfigDiff(this.changes, this.realms, this.upstreams, this.clients, logins);
	}

	/**
	 * A difference of sites, realms and upstreams.
	 * @param changes the changed sites
	 * @param realms the changed realms
	 * @param upstreams the changed upstreams
	 */
	public ConfigDiff(List<Change> changes, List<RealmChange> realms, List<UpstreamChange> upstreams) {
		this(changes, realms, upstreams, List.of());
	}

	/**
	 * This difference with the OAuth clients' changes.
	 * @param before the stored clients
	 * @param after the proposed clients, checked
	 * @return the difference, clients included
	 */
	public ConfigDiff withClients(List<OAuthClientDocument.Entry> before, List<OAuthClientDocument.Entry> after) {
		List<ClientChange> clients = keyed(before, after, OAuthClientDocument.Entry::clientId, Object::equals, false,
				OAuthClients::describe, ClientChange::new);
		return new ConfigDiff(this.changes, this.realms, this.upstreams, clients, this.openidLogins);
	}

	/**
	 * A difference of sites and realms.
	 * @param changes the changed sites
	 * @param realms the changed realms
	 */
	public ConfigDiff(List<Change> changes, List<RealmChange> realms) {
		this(changes, realms, List.of());
	}

	/**
	 * A difference of sites only.
	 * @param changes the changed sites
	 */
	public ConfigDiff(List<Change> changes) {
		this(changes, List.of());
	}

	/**
	 * Compare two configurations, sites and realms.
	 * @param before the current entries
	 * @param realmsBefore the current realms
	 * @param after the proposed entries
	 * @param realmsAfter the proposed realms
	 * @return the difference
	 */
	public static ConfigDiff between(List<SiteEntry> before, List<Realm> realmsBefore, List<SiteEntry> after,
			List<Realm> realmsAfter) {
		// realms are listed by name, removals among the others
		List<RealmChange> realms = keyed(realmsBefore, realmsAfter, Realm::name, ConfigDiff::sameRealm, false,
				ConfigDiff::realmYaml, RealmChange::new)
			.stream()
			.sorted(Comparator.comparing(RealmChange::realm))
			.toList();
		return new ConfigDiff(between(before, after).changes(), realms);
	}

	/**
	 * Compare two configurations, sites, realms and upstreams.
	 * @param before the current entries
	 * @param realmsBefore the current realms
	 * @param upstreamsBefore the current upstreams
	 * @param after the proposed entries
	 * @param realmsAfter the proposed realms
	 * @param upstreamsAfter the proposed upstreams
	 * @return the difference
	 */
	public static ConfigDiff between(List<SiteEntry> before, List<Realm> realmsBefore, List<Upstream> upstreamsBefore,
			List<SiteEntry> after, List<Realm> realmsAfter, List<Upstream> upstreamsAfter) {
		ConfigDiff sitesAndRealms = between(before, realmsBefore, after, realmsAfter);
		List<UpstreamChange> upstreams = keyed(upstreamsBefore, upstreamsAfter, Upstream::name,
				(was, is) -> UpstreamDocument.yaml(was).equals(UpstreamDocument.yaml(is)), false,
				(upstream, previous) -> UpstreamDocument.yaml(upstream), UpstreamChange::new);
		return new ConfigDiff(sitesAndRealms.changes(), sitesAndRealms.realms(), upstreams);
	}

	private static boolean sameRealm(Realm a, Realm b) {
		return a.description().equals(b.description()) && hashes(a).equals(hashes(b))
				&& profiles(a).equals(profiles(b));
	}

	private static Map<String, List<Object>> profiles(Realm realm) {
		Map<String, List<Object>> profiles = new TreeMap<>();
		realm.users()
			.forEach((user) -> profiles.put(user.name(),
					java.util.Arrays.asList(user.email(), user.displayName(), user.groups())));
		return profiles;
	}

	private static Map<String, String> hashes(Realm realm) {
		Map<String, String> hashes = new TreeMap<>();
		realm.users().forEach((user) -> hashes.put(user.name(), user.passwordHash()));
		return hashes;
	}

	/**
	 * A realm as YAML for diffs and the audit log: its users by name, each marked when
	 * its password differs from the realm it is compared with; never a hash.
	 * @param realm the realm
	 * @param before the realm before the change, or {@code null}
	 * @return the YAML text
	 */
	public static String realmYaml(Realm realm, Realm before) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("name", realm.name());
		map.put("description", realm.description());
		List<String> users = new ArrayList<>();
		for (RealmUser user : realm.users()) {
			boolean changed = before != null && before.user(user.name())
				.map((old) -> !old.passwordHash().equals(user.passwordHash()))
				.orElse(false);
			boolean profile = before != null
					&& before.user(user.name()).map((old) -> !old.sameProfile(user)).orElse(false);
			users.add(user.name() + (changed ? " (password changed)" : "") + (profile ? " (profile changed)" : ""));
		}
		map.put("users", users);
		return ConfigDocument.yaml().dump(map);
	}

	/**
	 * Compare two configurations.
	 * @param before the current entries
	 * @param after the proposed entries
	 * @return the difference
	 */
	public static ConfigDiff between(List<SiteEntry> before, List<SiteEntry> after) {
		// sites match first to last, so a site that moved has changed
		return new ConfigDiff(keyed(before, after, SiteEntry::name,
				(was, is) -> Objects.equals(ConfigDocument.siteYaml(was), ConfigDocument.siteYaml(is)), true,
				(entry, previous) -> ConfigDocument.siteYaml(entry), Change::new));
	}

	/**
	 * The difference of one section of the document whose items are known by a key: the
	 * added and changed items in the order of {@code after}, the removed ones last.
	 * @param before the items now
	 * @param after the items proposed
	 * @param key an item's key (a site's name, a client's id)
	 * @param same whether an item and its earlier self are alike (a stored hash differs
	 * even for the same password, so equality is the section's to say)
	 * @param moves whether an item at another position than before is changed
	 * @param text an item as the difference shows it, given its earlier self when it is
	 * changed (to mark what changed), or {@code null}
	 * @param change the section's change of an item: key, kind, text before and after
	 * @return the section's changes
	 */
	private static <T, C> List<C> keyed(List<T> before, List<T> after, Function<T, String> key, BiPredicate<T, T> same,
			boolean moves, BiFunction<T, T, String> text, ChangeOf<C> change) {
		Map<String, T> old = new LinkedHashMap<>();
		before.forEach((item) -> old.put(key.apply(item), item));
		List<C> changes = new ArrayList<>();
		int position = 0;
		for (T item : after) {
			String name = key.apply(item);
			T was = old.remove(name);
			if (was == null) {
				changes.add(change.of(name, Kind.ADDED, null, text.apply(item, null)));
			}
			else if (!same.test(was, item) || (moves && before.indexOf(was) != position)) {
				changes.add(change.of(name, Kind.CHANGED, text.apply(was, null), text.apply(item, was)));
			}
			position++;
		}
		old.forEach((name, was) -> changes.add(change.of(name, Kind.REMOVED, text.apply(was, null), null)));
		return changes;
	}

	/**
	 * Makes a section's change: every section's change record has this constructor.
	 */
	@FunctionalInterface
	private interface ChangeOf<C> {

		C of(String key, Kind kind, String before, String after);

	}

	/**
	 * Whether nothing would change.
	 * @return {@code true} for no change
	 */
	public boolean isEmpty() {
		return this.changes.isEmpty() && this.realms.isEmpty() && this.upstreams.isEmpty() && this.clients.isEmpty()
				&& this.openidLogins.isEmpty();
	}

	/**
	 * The difference as a YAML document.
	 * @param version the version the difference applies to
	 * @param applied whether it was applied or only shown
	 * @return the YAML text
	 */
	public String toYaml(long version, boolean applied) {
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("version", version);
		document.put("applied", applied);
		List<Map<String, Object>> list = new ArrayList<>();
		this.changes
			.forEach((change) -> list.add(item("site", change.site(), change.kind(), change.before(), change.after())));
		this.realms.forEach(
				(change) -> list.add(item("realm", change.realm(), change.kind(), change.before(), change.after())));
		this.upstreams.forEach((change) -> list
			.add(item("upstream", change.upstream(), change.kind(), change.before(), change.after())));
		this.clients.forEach((change) -> list
			.add(item("oauth-client", change.clientId(), change.kind(), change.before(), change.after())));
		this.openidLogins.forEach((change) -> list
			.add(item("openid-login", change.login(), change.kind(), change.before(), change.after())));
		document.put("changes", list);
		return ConfigDocument.yaml().dump(document);
	}

	/**
	 * One change of the YAML document: the section's key naming the item, then what
	 * happened and the texts there are.
	 */
	private static Map<String, Object> item(String section, String name, Kind kind, String before, String after) {
		Map<String, Object> item = new LinkedHashMap<>();
		item.put(section, name);
		item.put("change", kind.name().toLowerCase(Locale.ROOT));
		if (before != null) {
			item.put("before", before);
		}
		if (after != null) {
			item.put("after", after);
		}
		return item;
	}

	/** What happened to a site or realm. */
	public enum Kind {

		/** The site is new. */
		ADDED,

		/** The site exists and some of its keys, or its position, differ. */
		CHANGED,

		/** The site is gone. */
		REMOVED

	}

	/**
	 * One site's change.
	 *
	 * @param site the site's name
	 * @param kind what happened
	 * @param before its YAML before, or {@code null}
	 * @param after its YAML after, or {@code null}
	 */
	public record Change(String site, Kind kind, String before, String after) {
	}

	/**
	 * One realm's change.
	 *
	 * @param realm the realm's name
	 * @param kind what happened
	 * @param before its YAML before (user names, no hashes), or {@code null}
	 * @param after its YAML after, or {@code null}
	 */
	public record RealmChange(String realm, Kind kind, String before, String after) {
	}

	/**
	 * One upstream's change.
	 *
	 * @param upstream the upstream's name
	 * @param kind what happened
	 * @param before its YAML before, or {@code null}
	 * @param after its YAML after, or {@code null}
	 */
	public record UpstreamChange(String upstream, Kind kind, String before, String after) {
	}

	/**
	 * One OAuth client's change.
	 *
	 * @param clientId the client's id
	 * @param kind what happened
	 * @param before its settings before (never a secret or hash), or {@code null}
	 * @param after its settings after, or {@code null}
	 */
	public record ClientChange(String clientId, Kind kind, String before, String after) {
	}

	/**
	 * An added, changed or removed OpenID login.
	 *
	 * @param login its name
	 * @param kind added, changed or removed
	 * @param before its settings before, or {@code null}
	 * @param after its settings after, or {@code null}
	 */
	public record OpenIdLoginChange(String login, Kind kind, String before, String after) {
	}

}
