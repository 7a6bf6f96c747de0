package dev.capuchin.app.shared.config;

import java.sql.Timestamp;
import java.time.Instant;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The configuration version: bumped by every change in the same transaction as the
 * change, so each node can tell that its snapshot is stale by comparing one number. On
 * PostgreSQL the bump also sends a {@code NOTIFY} on {@link ConfigListener#CHANNEL} with
 * the new version; PostgreSQL delivers it when the transaction commits, and not at all
 * when it rolls back, so the other nodes reload at once and only what was stored.
 */
public class ConfigVersionStore {

	private final JdbcTemplate jdbc;

	private final StoreNotifications notifications;

	/**
	 * A version store that notifies no one (H2, tests).
	 * @param jdbc the store
	 */
	public ConfigVersionStore(JdbcTemplate jdbc) {
		this(jdbc, StoreNotifications.none());
	}

	/**
	 * A version store.
	 * @param jdbc the store
	 * @param notifications where each bump is announced
	 */
	public ConfigVersionStore(JdbcTemplate jdbc, StoreNotifications notifications) {
		this.jdbc = jdbc;
		this.notifications = notifications;
	}

	/**
	 * The current version, 0 before the first change.
	 * @return the version
	 */
	public long current() {
		Long version = this.jdbc.query("select version from config_version where id = 1",
				(rs) -> rs.next() ? rs.getLong(1) : 0L);
		return (version != null) ? version : 0L;
	}

	/**
	 * Who made the latest change, {@code null} before the first change.
	 * @return the actor of the current version
	 */
	public String changedBy() {
		return this.jdbc.query("select changed_by from config_version where id = 1",
				(rs) -> rs.next() ? rs.getString(1) : null);
	}

	/**
	 * Increment the version; the row is locked until the transaction ends, so concurrent
	 * changes are serialized.
	 * @param actor who made the change
	 * @return the new version
	 */
	public long bump(String actor) {
		Timestamp now = Timestamp.from(Instant.now());
		int updated = this.jdbc.update(
				"update config_version set version = version + 1, changed_at = ?, changed_by = ? where id = 1", now,
				actor);
		if (updated == 0) {
			this.jdbc.update("insert into config_version (id, version, changed_at, changed_by) values (1, 1, ?, ?)",
					now, actor);
		}
		long version = current();
		this.notifications.send(ConfigListener.CHANNEL, Long.toString(version));
		return version;
	}

}
