package dev.capuchin.app.sites;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
	 * The message for a form opened on an older configuration.
	 */
	static String stale(long opened, long current) {
		return "The configuration changed meanwhile (version " + opened + " is now " + current + ").";
	}

}
