package dev.capuchin.app.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The difference between two configurations, site by site: what an import would add,
 * change and remove, shown before it is applied.
 *
 * @param changes the changed sites, in the order of the new configuration, removals last
 */
public record ConfigDiff(List<Change> changes) {

	public ConfigDiff {
		changes = List.copyOf(changes);
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
		return this.changes.isEmpty();
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
		document.put("changes", list);
		return ConfigDocument.yaml().dump(document);
	}

	/** What happened to a site. */
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

}
