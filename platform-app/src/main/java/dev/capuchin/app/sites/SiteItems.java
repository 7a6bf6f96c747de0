package dev.capuchin.app.sites;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.capuchin.app.audit.AuditAction;
import dev.capuchin.app.realms.RealmReferences;
import dev.capuchin.app.transfer.ConfigDiff;
import dev.capuchin.app.transfer.ConfigDocument;
import dev.capuchin.core.internal.site.SiteWriter;
import dev.capuchin.core.spi.Location;
import dev.capuchin.core.spi.Site;
import dev.capuchin.plugin.auth.AuthPlugin;
import dev.capuchin.plugin.mandril.MandrilBlocks;

/**
 * A site taken apart into the items people change one at a time — its fields, its
 * locations, their access rules, realm references and plugin blocks — and the difference
 * of two versions of a site item by item. The audit log writes one entry per changed
 * item, the API names the removed ones, and the console asks before a save removes or
 * changes one its form does not show as a field.
 */
public final class SiteItems {

	private static final Set<String> NOT_FIELDS = Set.of("name", "locations");

	private static final String REALM = "realm";

	private SiteItems() {
	}

	/**
	 * The changes from one version of a site to another, item by item, in the order of
	 * the new version with removals first.
	 * @param before the site before, or {@code null} when it is new
	 * @param after the site after, or {@code null} when it is removed
	 * @return the changes; a new or removed site is one change naming the site
	 */
	public static List<Change> between(SiteEntry before, SiteEntry after) {
		List<Change> changes = new ArrayList<>();
		if (before == null && after == null) {
			return changes;
		}
		if (before == null) {
			changes.add(new Change(Category.SITE, AuditAction.ADDED, "site " + after.name(), null,
					ConfigDocument.siteYaml(after)));
			return changes;
		}
		if (after == null) {
			changes.add(new Change(Category.SITE, AuditAction.REMOVED, "site " + before.name(),
					ConfigDocument.siteYaml(before), null));
			return changes;
		}
		if (before.enabled() != after.enabled()) {
			changes.add(new Change(Category.SITE, after.enabled() ? AuditAction.ENABLED : AuditAction.DISABLED,
					"site " + after.name(), null, null));
		}
		Map<String, Item> old = items(before.site());
		Map<String, Item> now = items(after.site());
		old.forEach((target, item) -> {
			if (!now.containsKey(target)) {
				changes.add(new Change(item.category(), AuditAction.REMOVED, target, item.value(), null));
			}
		});
		now.forEach((target, item) -> {
			Item was = old.get(target);
			if (was == null) {
				changes.add(new Change(item.category(), AuditAction.ADDED, target, null, item.value()));
			}
			else if (!Objects.equals(was.value(), item.value())) {
				changes.add(new Change(item.category(), AuditAction.CHANGED, target, was.value(), item.value()));
			}
		});
		List<String> oldOrder = commonOrder(before.site(), after.site());
		List<String> newOrder = commonOrder(after.site(), before.site());
		if (!oldOrder.equals(newOrder)) {
			changes.add(new Change(Category.LOCATION, AuditAction.CHANGED, "location order on " + after.name(),
					String.join("\n", oldOrder) + "\n", String.join("\n", newOrder) + "\n"));
		}
		return changes;
	}

	/**
	 * The item changes of a configuration change, for the audit log: for each changed
	 * site its items' changes, or one change naming the site when only its place among
	 * the sites moved.
	 * @param sites the changed sites, as the configuration difference lists them
	 * @param before the sites before
	 * @param after the sites after
	 * @return the changes, one audit entry each
	 */
	public static List<Change> of(List<ConfigDiff.Change> sites, List<SiteEntry> before, List<SiteEntry> after) {
		Map<String, SiteEntry> old = new LinkedHashMap<>();
		before.forEach((entry) -> old.put(entry.name(), entry));
		Map<String, SiteEntry> now = new LinkedHashMap<>();
		after.forEach((entry) -> now.put(entry.name(), entry));
		List<Change> changes = new ArrayList<>();
		for (ConfigDiff.Change site : sites) {
			List<Change> items = between(old.get(site.site()), now.get(site.site()));
			if (items.isEmpty()) {
				changes.add(new Change(Category.SITE, AuditAction.CHANGED, "site " + site.site(), site.before(),
						site.after()));
			}
			changes.addAll(items);
		}
		return changes;
	}

	/**
	 * The items of a site by their names, such as {@code access rule uri-deny /secret/ on
	 * shop} or {@code location /admin/ on shop}.
	 * @param site the site
	 * @return the items, in the site's order
	 */
	static Map<String, Item> items(Site site) {
		Map<String, Item> items = new LinkedHashMap<>();
		String on = " on " + site.name();
		Map<String, Object> keys = SiteWriter.toMap(site);
		keys.forEach((key, value) -> {
			if (NOT_FIELDS.contains(key)) {
				return;
			}
			if (SiteForm.KERNEL_KEYS.contains(key)) {
				items.put("field " + key + on, new Item(Category.FIELD, yaml(value)));
			}
		});
		blocks(items, site.settings(), on);
		for (Location location : site.locations()) {
			String label = label(location);
			String at = " at location " + label + on;
			items.put("location " + label + on, new Item(Category.LOCATION, null));
			String realm = RealmReferences.realmOf(location);
			if (realm != null) {
				items.put("realm " + realm + at, new Item(Category.REALM_REFERENCE, null));
			}
			blocks(items, location.settings(), at);
		}
		return items;
	}

	private static void blocks(Map<String, Item> items, Map<String, Object> settings, String where) {
		Map<String, Object> rest = withoutRules(settings);
		rest.forEach((key, value) -> {
			Object shown = value;
			if (AuthPlugin.NAME.equals(key) && value instanceof Map<?, ?> auth && auth.containsKey(REALM)) {
				Map<Object, Object> copy = new LinkedHashMap<>(auth);
				copy.remove(REALM);
				if (copy.isEmpty()) {
					return;
				}
				shown = copy;
			}
			items.put("plugin block " + key + where, new Item(Category.PLUGIN_BLOCK, yaml(shown)));
		});
		for (MandrilBlocks.Rule rule : MandrilBlocks.rules(settings)) {
			items.put("access rule " + rule.kind().id() + " " + rule.value() + where,
					new Item(Category.ACCESS_RULE, null));
		}
	}

	/**
	 * Plugin blocks without their access-rule lists, leaving out a {@code mandril} block
	 * (or section) that held nothing else: what the console's YAML boxes show.
	 * @param settings the plugin blocks of a site or location
	 * @return a copy without the rule lists
	 */
	@SuppressWarnings("unchecked")
	static Map<String, Object> withoutRules(Map<String, Object> settings) {
		Map<String, Object> copy = MandrilBlocks.extract(settings).settings();
		if (copy.get(MandrilBlocks.KEY) instanceof Map<?, ?> block) {
			Map<Object, Object> kept = new LinkedHashMap<>((Map<Object, Object>) block);
			kept.entrySet().removeIf((entry) -> {
				if (entry.getValue() instanceof Map<?, ?> section) {
					Map<Object, Object> rest = new LinkedHashMap<>((Map<Object, Object>) section);
					rest.values().removeIf((list) -> list instanceof List<?> values && values.isEmpty());
					entry.setValue(rest);
					return rest.isEmpty();
				}
				return false;
			});
			if (kept.isEmpty()) {
				copy.remove(MandrilBlocks.KEY);
			}
			else {
				copy.put(MandrilBlocks.KEY, kept);
			}
		}
		return copy;
	}

	/** The labels of one site's locations that the other site has too, in order. */
	private static List<String> commonOrder(Site site, Site other) {
		List<String> others = other.locations().stream().map(SiteItems::label).toList();
		return site.locations().stream().map(SiteItems::label).filter(others::contains).toList();
	}

	static String label(Location location) {
		return (location.path() != null) ? location.path() : location.match().pattern();
	}

	private static String yaml(Object value) {
		if (value instanceof Map<?, ?> || value instanceof List<?>) {
			return ConfigDocument.yaml().dump(value);
		}
		return String.valueOf(value) + "\n";
	}

	/** What kind of item changed. */
	public enum Category {

		/** The site itself: added, removed, enabled or disabled. */
		SITE,

		/** One of the site's own fields, such as {@code document-root}. */
		FIELD,

		/** A location (or the order of the locations). */
		LOCATION,

		/** A value in a {@code mandril} rule list of the site or a location. */
		ACCESS_RULE,

		/** The stored realm a location's {@code auth} block names. */
		REALM_REFERENCE,

		/** A plugin block of the site or a location, access rules left out. */
		PLUGIN_BLOCK

	}

	/**
	 * One item of a site.
	 *
	 * @param category what kind of item
	 * @param value its value as YAML, compared to find changes; {@code null} for items
	 * whose name says everything
	 */
	record Item(Category category, String value) {
	}

	/**
	 * One item's change.
	 *
	 * @param category what kind of item
	 * @param action what happened to it
	 * @param target the item's name, such as {@code location /admin/ on shop}
	 * @param before its value before, or {@code null}
	 * @param after its value after, or {@code null}
	 */
	public record Change(Category category, AuditAction action, String target, String before, String after) {

		/**
		 * Whether the change takes away or alters something that was there.
		 * @return {@code true} for a removal or a change
		 */
		public boolean removesOrChanges() {
			return this.action == AuditAction.REMOVED || this.action == AuditAction.CHANGED;
		}

	}

}
