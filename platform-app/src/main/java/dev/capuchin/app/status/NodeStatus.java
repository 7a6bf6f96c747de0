package dev.capuchin.app.status;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A node's status as the dashboard, {@code /api/status} and {@code /actuator/capuchin}
 * show it: one tree, built by {@link StatusReader}, so the three never disagree. Keys are
 * kebab-case in JSON, as everything Capuchin serves.
 *
 * @param running whether the data plane runs
 * @param uptimeSeconds seconds since the process started
 * @param startedAt when it started
 * @param transport the transport ({@code epoll}, {@code io-uring}, {@code nio}), or
 * {@code null} when the data plane does not run
 * @param transportFallback why a native transport is not used, or {@code null}
 * @param balancing how connections are spread over the workers, or {@code null}
 * @param listeners the data plane's bound addresses, such as {@code 127.0.0.1:8080}
 * @param configurationVersion the configuration version served
 * @param workers each worker
 * @param totals the workers' sums
 * @param sites the sites served
 * @param plugins every plugin module on the class path, switched on or not, then any
 * running plugin that no module describes
 * @param requestsPerSecond per site, the rate over the last sampling interval
 * @param recentErrors the last responses with status 500 and above or a plugin failure
 */
public record NodeStatus(boolean running, long uptimeSeconds, Instant startedAt, String transport,
		String transportFallback, String balancing, List<String> listeners, long configurationVersion,
		List<WorkerStatus> workers, Totals totals, List<SiteStatus> sites, List<PluginStatus> plugins,
		Map<String, Double> requestsPerSecond, List<RequestCounter.RecentError> recentErrors) {

	/**
	 * One worker.
	 *
	 * @param name its name
	 * @param connections open connections now
	 * @param accepted connections accepted since start
	 * @param fdt its open-file table
	 */
	public record WorkerStatus(String name, long connections, long accepted, FdtStatus fdt) {
	}

	/**
	 * A worker's open-file table.
	 *
	 * @param open files open in it
	 * @param hits lookups that found an open file
	 * @param misses lookups that opened one
	 * @param hitRate hits over lookups, 0 to 1, or {@code null} before the first lookup
	 */
	public record FdtStatus(long open, long hits, long misses, Double hitRate) {
	}

	/**
	 * The workers' sums.
	 *
	 * @param connections open connections
	 * @param accepted connections accepted since start
	 * @param fdtHits open-file table hits
	 * @param fdtMisses open-file table misses
	 * @param fdtHitRate hits over lookups, or {@code null} before the first lookup
	 */
	public record Totals(long connections, long accepted, long fdtHits, long fdtMisses, Double fdtHitRate) {
	}

	/**
	 * One site served.
	 *
	 * @param name its name
	 * @param serverNames the host names it answers
	 * @param isDefault whether it answers requests no other site names
	 * @param listen its own listener, or {@code null}
	 * @param documentRoot its document root
	 * @param fdt whether its files go through the open-file tables
	 * @param locations how many locations it has
	 * @param unavailable why the site cannot be served (its requests get 503), or
	 * {@code null} when it is served
	 */
	public record SiteStatus(String name, List<String> serverNames, boolean isDefault, String listen,
			String documentRoot, boolean fdt, int locations, String unavailable) {
	}

	/**
	 * One plugin.
	 *
	 * @param name its name
	 * @param enabled whether it runs
	 * @param profile the profile that switches it on, or {@code null}
	 * @param stages its stages
	 * @param state what the running plugin reports of itself
	 * ({@link dev.capuchin.core.spi.Plugin#status()}), or {@code null}
	 */
	public record PluginStatus(String name, boolean enabled, String profile, List<String> stages, Object state) {
	}

}
