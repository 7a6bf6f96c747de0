package dev.capuchin.app.shared.config;

import dev.capuchin.core.spi.Site;

/**
 * What a node adds to every site it serves, beyond what the site's own settings say —
 * such as a certificate from the ACME CA for every site without a certificate file
 * ({@code capuchin.acme.every-site}). Applied each time a table is built, so the stored
 * sites and their documents stay as they were written.
 */
@FunctionalInterface
public interface SiteDefaults {

	/** Nothing added: each site as its settings say. */
	SiteDefaults NONE = (site) -> site;

	/**
	 * The site as this node serves it.
	 * @param site the site, as stored
	 * @return the same site, or a copy with the defaults applied
	 */
	Site apply(Site site);

}
