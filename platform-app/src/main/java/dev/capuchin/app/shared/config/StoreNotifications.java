package dev.capuchin.app.shared.config;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Tells the other nodes at once that a table of the store changed: a PostgreSQL
 * {@code NOTIFY} on the table's channel, which each node's {@link ConfigListener}
 * receives. Inside a transaction PostgreSQL delivers it at commit, and not at all when
 * the transaction rolls back. H2 has no {@code NOTIFY}: there the notifications are
 * {@link #none()} and the other nodes learn of a change at their next poll.
 */
public final class StoreNotifications {

	private static final StoreNotifications NONE = new StoreNotifications(null);

	private final @Nullable JdbcTemplate jdbc;

	private StoreNotifications(@Nullable JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Notifications through a PostgreSQL store.
	 * @param jdbc the store
	 * @return the notifications
	 */
	public static StoreNotifications through(JdbcTemplate jdbc) {
		return new StoreNotifications(Objects.requireNonNull(jdbc, "jdbc"));
	}

	/**
	 * No notifications: a store without {@code NOTIFY}, or notifications switched off
	 * ({@code capuchin.store.notify: false}).
	 * @return notifications that send nothing
	 */
	public static StoreNotifications none() {
		return NONE;
	}

	/**
	 * Announce a change on a channel.
	 * @param channel the channel, e.g. {@link ConfigListener#CHANNEL}
	 * @param payload what the listeners receive with it
	 */
	public void send(String channel, String payload) {
		if (this.jdbc != null) {
			this.jdbc.query("select pg_notify(?, ?)", (rs) -> null, channel, payload);
		}
	}

}
