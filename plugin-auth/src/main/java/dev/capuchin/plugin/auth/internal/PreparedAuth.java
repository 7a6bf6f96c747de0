package dev.capuchin.plugin.auth.internal;

import java.util.IdentityHashMap;
import java.util.Map;

import dev.capuchin.core.spi.Location;
import dev.capuchin.core.spi.Site;
import dev.capuchin.plugin.auth.LocationAuth;

/**
 * The auth plugin's state for one site table: the compiled {@code auth:} block of each
 * protected location, looked up by the location instance the request matched.
 */
public final class PreparedAuth {

	private final Map<Location, LocationAuth> locations;

	private final Map<Site, Map<String, OpenIdLocation>> openIdSites;

	/**
	 * Hold the compiled blocks.
	 * @param locations the protected locations of the table
	 */
	public PreparedAuth(Map<Location, LocationAuth> locations) {
		this(locations, Map.of());
	}

	/**
	 * Hold the compiled blocks and the sites with {@code openid} locations.
	 * @param locations the protected locations of the table
	 * @param openIdSites the logins of each site with {@code openid} locations, by name
	 */
	public PreparedAuth(Map<Location, LocationAuth> locations, Map<Site, Map<String, OpenIdLocation>> openIdSites) {
		this.locations = new IdentityHashMap<>(locations);
		this.openIdSites = new IdentityHashMap<>(openIdSites);
	}

	/**
	 * The OpenID logins of a site.
	 * @param site the site a request matched, or {@code null}
	 * @return the logins by name, or {@code null} when the site has no {@code openid}
	 * location
	 */
	public Map<String, OpenIdLocation> openIdLogins(Site site) {
		return (site != null && !this.openIdSites.isEmpty()) ? this.openIdSites.get(site) : null;
	}

	/**
	 * The compiled block of a location.
	 * @param location the location a request matched, or {@code null}
	 * @return the block, or {@code null} when the location is not protected
	 */
	public LocationAuth get(Location location) {
		return (location != null) ? this.locations.get(location) : null;
	}

	/**
	 * The number of protected locations.
	 * @return the count
	 */
	public int size() {
		return this.locations.size();
	}

}
