package dev.capuchin.app.sites;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import dev.capuchin.app.audit.LineDiff;
import dev.capuchin.app.shared.config.InvalidConfigurationException;
import dev.capuchin.app.transfer.ConfigDocument;

import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.app.shared.console.NotFoundException;
import dev.capuchin.core.spi.Location;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.internal.site.SiteLoader;
import dev.capuchin.core.internal.site.SiteWriter;

import org.springframework.stereotype.Component;

/**
 * What the site and location pages share: reading the stored sites, building a changed
 * site with the site loader, and applying the whole configuration through
 * {@link ConfigService}, the only way configuration changes.
 */
@Component
class SiteChanges {

	/** The kinds of items a console form does not show as fields. */
	private static final Set<SiteItems.Category> CONFIRMED = EnumSet.of(SiteItems.Category.LOCATION,
			SiteItems.Category.ACCESS_RULE, SiteItems.Category.REALM_REFERENCE, SiteItems.Category.PLUGIN_BLOCK);

	private final ConfigService config;

	SiteChanges(ConfigService config) {
		this.config = config;
	}

	ConfigService.Snapshot current() {
		return this.config.current();
	}

	/**
	 * The position of a site in a snapshot.
	 * @throws NotFoundException when there is no such site
	 */
	int indexOf(ConfigService.Snapshot snapshot, String name) {
		List<SiteEntry> entries = snapshot.entries();
		for (int i = 0; i < entries.size(); i++) {
			if (entries.get(i).name().equals(name)) {
				return i;
			}
		}
		throw new NotFoundException("Site '" + name + "'");
	}

	/**
	 * Build a site from site-file keys, as the site loader checks them.
	 * @throws IllegalArgumentException naming the field
	 */
	Site parse(Map<String, Object> keys) {
		return new SiteLoader(this.config.base()).parse(keys, null);
	}

	/**
	 * A site's locations in site-file form.
	 */
	static List<Map<String, Object>> locations(Site site) {
		List<Map<String, Object>> locations = new ArrayList<>();
		for (Location location : site.locations()) {
			locations.add(SiteWriter.toMap(location));
		}
		return locations;
	}

	/**
	 * The site with other locations.
	 * @throws IllegalArgumentException naming the location at fault
	 */
	Site withLocations(Site site, List<Map<String, Object>> locations) {
		Map<String, Object> keys = SiteWriter.toMap(site);
		keys.remove("locations");
		if (!locations.isEmpty()) {
			keys.put("locations", locations);
		}
		return parse(keys);
	}

	/**
	 * Replace, add (at {@code index == size}) or remove (with {@code null}) one entry and
	 * apply the result.
	 * @throws dev.capuchin.app.shared.config.InvalidConfigurationException naming the
	 * field
	 */
	ConfigService.Outcome apply(ConfigService.Snapshot snapshot, int index, SiteEntry entry, String actor) {
		List<SiteEntry> entries = new ArrayList<>(snapshot.entries());
		if (entry == null) {
			entries.remove(index);
		}
		else if (index == entries.size()) {
			entries.add(entry);
		}
		else {
			entries.set(index, entry);
		}
		return this.config.apply(entries, actor, false);
	}

	/**
	 * Check a changed site without applying it, and say whether it takes away or alters
	 * items that the form it came from does not show as fields.
	 * @param snapshot the configuration the change was computed from
	 * @param index the site's position
	 * @param entry the changed site
	 * @param shown the changes the form showed as fields, which need no confirmation
	 * @param actor who asks
	 * @return the confirmation to ask for, or {@code null} when the change may be applied
	 * at once
	 * @throws dev.capuchin.app.shared.config.InvalidConfigurationException naming the
	 * field
	 */
	Confirmation confirmation(ConfigService.Snapshot snapshot, int index, SiteEntry entry,
			Predicate<SiteItems.Change> shown, String actor) {
		List<SiteItems.Change> items = SiteItems.between(snapshot.entries().get(index), entry)
			.stream()
			.filter(SiteItems.Change::removesOrChanges)
			.filter((change) -> CONFIRMED.contains(change.category()))
			.filter(shown.negate())
			.toList();
		if (items.isEmpty()) {
			return null;
		}
		List<SiteEntry> entries = new ArrayList<>(snapshot.entries());
		entries.set(index, entry);
		ConfigService.Outcome outcome = this.config.apply(entries, actor, true);
		List<LineDiff.Row> diff = outcome.diff()
			.changes()
			.stream()
			.flatMap((change) -> LineDiff.between(change.before(), change.after()).stream())
			.toList();
		return new Confirmation(entry.name(), items, diff, ConfigDocument.siteYaml(entry), snapshot.version());
	}

	/**
	 * Read a change that waited for confirmation.
	 * @param name the site's name, as the page's address says
	 * @param proposed the site as YAML, as the confirmation page carried it
	 * @return the site
	 * @throws dev.capuchin.app.shared.config.InvalidConfigurationException when it cannot
	 * be read or names another site
	 */
	SiteEntry proposed(String name, String proposed) {
		if (proposed == null || proposed.isBlank() || proposed.length() > ConfigDocument.MAX_LENGTH) {
			throw new InvalidConfigurationException("proposed: missing or too long (expected: the site as YAML)");
		}
		Object parsed;
		try {
			parsed = ConfigDocument.yaml().load(proposed);
		}
		catch (RuntimeException ex) {
			throw new InvalidConfigurationException("proposed: not valid YAML: " + ex.getMessage());
		}
		if (!(parsed instanceof Map<?, ?> raw)) {
			throw new InvalidConfigurationException("proposed: expected a mapping (the site)");
		}
		Map<String, Object> keys = new LinkedHashMap<>();
		raw.forEach((key, value) -> keys.put(String.valueOf(key), value));
		if (!name.equals(String.valueOf(keys.get("name")))) {
			throw new InvalidConfigurationException(
					"proposed: site '" + keys.get("name") + "' (expected: '" + name + "')");
		}
		return SiteJson.read(keys, this.config.base(), true);
	}

	/**
	 * The message for a form opened on an older configuration.
	 */
	static String stale(long opened, long current) {
		return "The configuration changed meanwhile (version " + opened + " is now " + current + ").";
	}

	/**
	 * A change that waits for the user's confirmation because it removes or changes items
	 * the form did not show.
	 *
	 * @param site the site's name
	 * @param items the items removed or changed, by name
	 * @param diff the line difference of the site, as the import dry run shows it
	 * @param proposed the changed site as YAML, carried by the confirmation form
	 * @param version the configuration version the change was computed from
	 */
	record Confirmation(String site, List<SiteItems.Change> items, List<LineDiff.Row> diff, String proposed,
			long version) {
	}

}
