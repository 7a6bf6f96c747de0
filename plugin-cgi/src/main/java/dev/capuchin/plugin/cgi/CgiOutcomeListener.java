package dev.capuchin.plugin.cgi;

/**
 * Told of every CGI request's outcome, for metrics. Called on any thread, once per
 * request; it must be cheap and must not throw.
 */
@FunctionalInterface
public interface CgiOutcomeListener {

	/** A listener that does nothing. */
	CgiOutcomeListener NONE = (site, outcome) -> {
	};

	/**
	 * A CGI request ended.
	 * @param site the site's name
	 * @param outcome how it ended
	 */
	void ended(String site, CgiOutcome outcome);

}
