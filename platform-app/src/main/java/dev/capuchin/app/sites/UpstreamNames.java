package dev.capuchin.app.sites;

import java.util.List;

/**
 * The names of the stored upstreams, which the location form offers as what a proxy
 * passes to. The feature that stores upstreams provides the bean; without it the form
 * offers addresses only.
 */
@FunctionalInterface
public interface UpstreamNames {

	/**
	 * The stored upstreams' names, in the order the form lists them.
	 * @return the names
	 */
	List<String> names();

}
