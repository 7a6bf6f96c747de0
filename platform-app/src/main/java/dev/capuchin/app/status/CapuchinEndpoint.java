package dev.capuchin.app.status;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/capuchin}: what Monkey's Cheetah shell showed — the transport, each
 * worker with its connections and open-file table, the sites and the plugins — as the
 * same {@link NodeStatus} that {@code /api/status} and the dashboard show.
 */
@Endpoint(id = "capuchin")
public class CapuchinEndpoint {

	private final StatusReader status;

	/**
	 * Create the endpoint.
	 * @param status the node's status
	 */
	public CapuchinEndpoint(StatusReader status) {
		this.status = status;
	}

	/**
	 * The node's status.
	 * @return the status
	 */
	@ReadOperation
	public NodeStatus report() {
		return this.status.read();
	}

}
