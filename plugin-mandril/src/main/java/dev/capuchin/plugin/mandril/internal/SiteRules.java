package dev.capuchin.plugin.mandril.internal;

import dev.capuchin.core.spi.Location;

/**
 * What the plugin checks for requests of one site: the site's rules (with the global path
 * rules first), its rate limiter, its host names for hotlink rules and the rules of its
 * locations that have a {@code mandril:} block.
 */
public final class SiteRules {

	/** The site-wide rules. */
	public final CompiledRules site;

	/** The site's own rate limiter, or {@code null}. */
	public final RateLimiter rate;

	/** The site's names, for hotlink rules. */
	public final HostNames names;

	private final Location[] locations;

	private final CompiledRules[] locationRules;

	SiteRules(CompiledRules site, RateLimiter rate, HostNames names, Location[] locations,
			CompiledRules[] locationRules) {
		this.site = site;
		this.rate = rate;
		this.names = names;
		this.locations = locations;
		this.locationRules = locationRules;
	}

	/**
	 * The rules of a location.
	 * @param location the request's location, or {@code null}
	 * @return its rules, or {@code null} when it has none
	 */
	public CompiledRules location(Location location) {
		if (location == null) {
			return null;
		}
		for (int i = 0; i < this.locations.length; i++) {
			if (this.locations[i] == location) {
				return this.locationRules[i];
			}
		}
		return null;
	}

}
