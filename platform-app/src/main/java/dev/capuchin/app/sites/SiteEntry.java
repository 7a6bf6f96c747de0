package dev.capuchin.app.sites;

import java.util.Objects;

import dev.capuchin.core.spi.Site;

/**
 * A site as the store keeps it: the site itself and whether it is switched on. Disabled
 * sites stay in the store and in exports but are not served.
 *
 * @param site the site
 * @param enabled whether the data plane serves it
 */
public record SiteEntry(Site site, boolean enabled) {

	public SiteEntry {
		Objects.requireNonNull(site, "site");
	}

	/**
	 * The site's name.
	 * @return the name
	 */
	public String name() {
		return this.site.name();
	}

}
