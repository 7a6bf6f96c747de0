package dev.capuchin.plugin.proxy;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The live state of an upstream on this node, for the console, the API and monitoring.
 * Inline servers of a location appear as an upstream named {@code <site> <location>},
 * such as {@code shop path /app/}.
 *
 * @param name the upstream's name
 * @param balancer the balancer's name, such as {@code round-robin}
 * @param servers the servers, in list order
 */
public record UpstreamState(String name, String balancer, List<ServerState> servers) {

	public UpstreamState {
		servers = List.copyOf(servers);
	}

	/**
	 * The live state of one server.
	 *
	 * @param url the server's URL
	 * @param state up, down or draining
	 * @param offlineUntil when a server put offline by failures comes back, or
	 * {@code null}
	 * @param backup whether the server is a backup
	 * @param weight the server's weight
	 * @param inFlight requests in flight to it now
	 * @param requests requests sent to it since the node started
	 * @param failures failed tries since the node started
	 * @param requestsPerMinute requests in the last minute
	 * @param failuresPerMinute failed tries in the last minute
	 * @param lastHealthCheck the last active health check, or {@code null}
	 * @param lastError the last failure, or {@code null}
	 */
	public record ServerState(String url, ServerCondition state, @Nullable Instant offlineUntil, boolean backup,
			int weight, int inFlight, long requests, long failures, long requestsPerMinute, long failuresPerMinute,
			@Nullable HealthResult lastHealthCheck, @Nullable ServerError lastError) {

	}

	/**
	 * The outcome of an active health check.
	 *
	 * @param time when it ended
	 * @param healthy whether it counted as healthy
	 * @param outcome the status received, or why none was
	 */
	public record HealthResult(Instant time, boolean healthy, String outcome) {

	}

	/**
	 * A failure of a server.
	 *
	 * @param time when it happened
	 * @param message what happened, such as {@code connect refused}
	 */
	public record ServerError(Instant time, String message) {

	}

}
