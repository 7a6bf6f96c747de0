package dev.capuchin.plugin.auth.internal;

import java.util.IdentityHashMap;
import java.util.Map;

import dev.capuchin.core.spi.Location;
import dev.capuchin.plugin.auth.LocationAuth;

/**
 * The auth plugin's state for one site table: the compiled {@code auth:} block of each
 * protected location, looked up by the location instance the request matched.
 */
public final class PreparedAuth {

	private final Map<Location, LocationAuth> locations;

	/**
	 * Hold the compiled blocks.
	 * @param locations the protected locations of the table
	 */
	public PreparedAuth(Map<Location, LocationAuth> locations) {
		this.locations = new IdentityHashMap<>(locations);
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
