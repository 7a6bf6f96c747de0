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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

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
		Map<String, OpenIdLogin> old = new LinkedHashMap<>();
		before.forEach((login) -> old.put(login.name(), login));
		List<OpenIdLoginChange> logins = new ArrayList<>();
		for (OpenIdLogin login : after) {
			OpenIdLogin was = old.remove(login.name());
			if (was == null) {
				logins.add(new OpenIdLoginChange(login.name(), Kind.ADDED, null,
						OpenIdLoginDocument.describe(login, null)));
			}
			else if (!was.equals(login)) {
				logins.add(new OpenIdLoginChange(login.name(), Kind.CHANGED, OpenIdLoginDocument.describe(was, null),
						OpenIdLoginDocument.describe(login, was)));
			}
		}
		old.forEach((name, was) -> logins
			.add(new OpenIdLoginChange(name, Kind.REMOVED, OpenIdLoginDocument.describe(was, null), null)));
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
		Map<String, OAuthClientDocument.Entry> old = new LinkedHashMap<>();
		before.forEach((entry) -> old.put(entry.clientId(), entry));
		List<ClientChange> clients = new ArrayList<>();
		for (OAuthClientDocument.Entry entry : after) {
			OAuthClientDocument.Entry was = old.remove(entry.clientId());
			if (was == null) {
				clients.add(new ClientChange(entry.clientId(), Kind.ADDED, null, OAuthClients.describe(entry, null)));
			}
			else if (!was.equals(entry)) {
				clients.add(new ClientChange(entry.clientId(), Kind.CHANGED, OAuthClients.describe(was, null),
						OAuthClients.describe(entry, was)));
			}
		}
		old.forEach(
				(id, was) -> clients.add(new ClientChange(id, Kind.REMOVED, OAuthClients.describe(was, null), null)));
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
		Map<String, Realm> old = new TreeMap<>();
		realmsBefore.forEach((realm) -> old.put(realm.name(), realm));
		Map<String, Realm> now = new TreeMap<>();
		realmsAfter.forEach((realm) -> now.put(realm.name(), realm));
		List<RealmChange> realms = new ArrayList<>();
		Set<String> names = new TreeSet<>(old.keySet());
		names.addAll(now.keySet());
		for (String name : names) {
			Realm was = old.get(name);
			Realm is = now.get(name);
			if (was == null) {
				realms.add(new RealmChange(name, Kind.ADDED, null, realmYaml(is, null)));
			}
			else if (is == null) {
				realms.add(new RealmChange(name, Kind.REMOVED, realmYaml(was, null), null));
			}
			else if (!sameRealm(was, is)) {
				realms.add(new RealmChange(name, Kind.CHANGED, realmYaml(was, null), realmYaml(is, was)));
			}
		}
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
		Map<String, String> old = new LinkedHashMap<>();
		upstreamsBefore.forEach((upstream) -> old.put(upstream.name(), UpstreamDocument.yaml(upstream)));
		List<UpstreamChange> upstreams = new ArrayList<>();
		for (Upstream upstream : upstreamsAfter) {
			String was = old.remove(upstream.name());
			String is = UpstreamDocument.yaml(upstream);
			if (was == null) {
				upstreams.add(new UpstreamChange(upstream.name(), Kind.ADDED, null, is));
			}
			else if (!was.equals(is)) {
				upstreams.add(new UpstreamChange(upstream.name(), Kind.CHANGED, was, is));
			}
		}
		old.forEach((name, was) -> upstreams.add(new UpstreamChange(name, Kind.REMOVED, was, null)));
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
		Map<String, SiteEntry> old = new LinkedHashMap<>();
		before.forEach((entry) -> old.put(entry.name(), entry));
		List<Change> changes = new ArrayList<>();
		int position = 0;
		for (SiteEntry entry : after) {
			SiteEntry previous = old.remove(entry.name());
			String was = ConfigDocument.siteYaml(previous);
			String now = ConfigDocument.siteYaml(entry);
			if (previous == null) {
				changes.add(new Change(entry.name(), Kind.ADDED, null, now));
			}
			else if (!Objects.equals(was, now) || before.indexOf(previous) != position) {
				changes.add(new Change(entry.name(), Kind.CHANGED, was, now));
			}
			position++;
		}
		old.values()
			.forEach((entry) -> changes
				.add(new Change(entry.name(), Kind.REMOVED, ConfigDocument.siteYaml(entry), null)));
		return new ConfigDiff(changes);
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
		for (Change change : this.changes) {
			Map<String, Object> item = new LinkedHashMap<>();
			item.put("site", change.site());
			item.put("change", change.kind().name().toLowerCase(Locale.ROOT));
			if (change.before() != null) {
				item.put("before", change.before());
			}
			if (change.after() != null) {
				item.put("after", change.after());
			}
			list.add(item);
		}
		for (RealmChange change : this.realms) {
			Map<String, Object> item = new LinkedHashMap<>();
			item.put("realm", change.realm());
			item.put("change", change.kind().name().toLowerCase(Locale.ROOT));
			if (change.before() != null) {
				item.put("before", change.before());
			}
			if (change.after() != null) {
				item.put("after", change.after());
			}
			list.add(item);
		}
		for (UpstreamChange change : this.upstreams) {
			Map<String, Object> item = new LinkedHashMap<>();
			item.put("upstream", change.upstream());
			item.put("change", change.kind().name().toLowerCase(Locale.ROOT));
			if (change.before() != null) {
				item.put("before", change.before());
			}
			if (change.after() != null) {
				item.put("after", change.after());
			}
			list.add(item);
		}
		for (ClientChange change : this.clients) {
			Map<String, Object> item = new LinkedHashMap<>();
			item.put("oauth-client", change.clientId());
			item.put("change", change.kind().name().toLowerCase(Locale.ROOT));
			if (change.before() != null) {
				item.put("before", change.before());
			}
			if (change.after() != null) {
				item.put("after", change.after());
			}
			list.add(item);
		}
		for (OpenIdLoginChange change : this.openidLogins) {
			Map<String, Object> item = new LinkedHashMap<>();
			item.put("openid-login", change.login());
			item.put("change", change.kind().name().toLowerCase(Locale.ROOT));
			if (change.before() != null) {
				item.put("before", change.before());
			}
			if (change.after() != null) {
				item.put("after", change.after());
			}
			list.add(item);
		}
		document.put("changes", list);
		return ConfigDocument.yaml().dump(document);
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
