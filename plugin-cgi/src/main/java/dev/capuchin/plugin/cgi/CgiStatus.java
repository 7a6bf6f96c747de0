package dev.capuchin.plugin.cgi;

import java.util.Map;

/**
 * The plugin's live state, as {@link CgiPlugin#status()} shows it under the plugin in
 * {@code /actuator/capuchin} and the console.
 *
 * @param running scripts running now
 * @param waiting requests waiting for a place now
 * @param requests CGI requests since the start, whatever their outcome
 * @param outcomes the requests by outcome tag ({@code ok}, {@code timeout},
 * {@code overloaded}, {@code malformed}, {@code failed}, {@code client-gone},
 * {@code refused})
 * @param timeouts scripts killed by their timeout
 * @param errors requests answered 5xx by the plugin (timeouts, malformed output, start
 * failures; not 503s of a full site)
 * @param runningBySite scripts running now, by site
 */
public record CgiStatus(int running, int waiting, long requests, Map<String, Long> outcomes, long timeouts, long errors,
		Map<String, Integer> runningBySite) {

	public CgiStatus {
		outcomes = Map.copyOf(outcomes);
		runningBySite = Map.copyOf(runningBySite);
	}

}
