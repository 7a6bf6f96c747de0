package dev.capuchin.plugin.fastcgi;

/**
 * Told of each request the plugin passed to an application server, for metrics (the
 * auto-configuration counts them with Micrometer). Called on event loops: it must be
 * cheap and must not block.
 */
@FunctionalInterface
public interface FastCgiObserver {

	/** An observer that does nothing. */
	FastCgiObserver NONE = (site, server, outcome) -> {
	};

	/**
	 * A request ended.
	 * @param site the site's name
	 * @param server the application server's address
	 * @param outcome how it ended
	 */
	void requestEnded(String site, String server, FastCgiOutcome outcome);

}
