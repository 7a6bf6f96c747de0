package dev.capuchin.app.shared.config;

import java.util.Objects;

/**
 * A channel of the store's change notifications and what this node does when another node
 * announces a change on it (see {@link StoreNotifications}); received by the
 * {@link ConfigListener}. The action runs on the listener's thread and should hand the
 * work on ({@link StorePoll#readNow()}) rather than read the store there.
 *
 * @param name the PostgreSQL channel, a lower-case identifier
 * @param changed what a change announced on it starts
 */
public record StoreChannel(String name, Runnable changed) {

	/**
	 * A channel.
	 * @param name the PostgreSQL channel, a lower-case identifier
	 * @param changed what a change announced on it starts
	 */
	public StoreChannel {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(changed, "changed");
		if (!name.matches("[a-z_][a-z0-9_]*")) {
			throw new IllegalArgumentException("store channel: '" + name + "' (expected a lower-case identifier)");
		}
	}

}
