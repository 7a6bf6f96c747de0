package dev.capuchin.plugin.mandril;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Address rules for the connections of one listener, applied at CONNECT in addition to
 * the global rules.
 *
 * @param address the listener's {@code host:port}; a wildcard host ({@code 0.0.0.0},
 * {@code ::}) stands for every local address on that port
 * @param ip the rules
 */
public record ListenerRules(InetSocketAddress address, IpRules ip) {

	public ListenerRules {
		Objects.requireNonNull(address, "address");
		Objects.requireNonNull(ip, "ip");
	}

	/**
	 * Whether a connection arrived on this listener: on its port, and on its address
	 * unless that is a wildcard.
	 * @param local the local address of the connection
	 * @param listener the configured address of the listener that accepted it
	 * @return {@code true} when the rules apply
	 */
	public boolean appliesTo(InetSocketAddress local, InetSocketAddress listener) {
		return sameSocket(local) || sameSocket(listener);
	}

	private boolean sameSocket(InetSocketAddress other) {
		if (other == null || other.getPort() != this.address.getPort()) {
			return false;
		}
		if (this.address.getAddress() == null || this.address.getAddress().isAnyLocalAddress()) {
			return true;
		}
		return this.address.getAddress().equals(other.getAddress());
	}

}
