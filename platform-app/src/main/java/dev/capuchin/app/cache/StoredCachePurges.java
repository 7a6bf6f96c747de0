package dev.capuchin.app.cache;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

import dev.capuchin.app.shared.config.StoreChannel;
import dev.capuchin.app.shared.config.StoreNotifications;
import dev.capuchin.app.shared.config.StorePoll;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;

/**
 * Cache purges shared by every node through the store: a purge made on one node is
 * applied there at once by the caller, written to {@code cache_purge}, and applied by
 * every other node at once on PostgreSQL (a {@code NOTIFY} on {@link #CHANNEL}), and at
 * its next poll otherwise (every {@code capuchin.store.poll-interval}, as the
 * configuration's poll). The first poll, at start, applies the purges still kept, so a
 * node that was down catches up (its disk tier included). Rows are deleted after
 * {@link #RETENTION}.
 * <p>
 * A node remembers the ids it stored and applied, so it applies each purge once; the set
 * is bounded by the rows the table keeps.
 */
public final class StoredCachePurges implements SmartLifecycle {

	/** The store channel a stored purge is announced on. */
	public static final String CHANNEL = "capuchin_cache_purge";

	/** How long a purge stays in the store: far longer than any poll interval. */
	static final Duration RETENTION = Duration.ofHours(1);

	private static final Logger logger = LoggerFactory.getLogger(StoredCachePurges.class);

	private final JdbcTemplate jdbc;

	private final Target target;

	private final Clock clock;

	private final Set<Long> applied = new HashSet<>();

	private final StorePoll poll;

	private final StoreNotifications notifications;

	/**
	 * Share purges through a store.
	 * @param jdbc the store
	 * @param notifications where a stored purge is announced to the other nodes
	 * @param target this node's cache
	 * @param interval how often the store is read for other nodes' purges; zero reads it
	 * at start only
	 * @param clock the clock of expiry
	 */
	public StoredCachePurges(JdbcTemplate jdbc, StoreNotifications notifications, Target target, Duration interval,
			Clock clock) {
		this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
		this.notifications = Objects.requireNonNull(notifications, "notifications");
		this.target = Objects.requireNonNull(target, "target");
		this.poll = new StorePoll("capuchin-cache-purges-poll", Objects.requireNonNull(interval, "interval"),
				this::load, logger, "Could not read cache purges");
		this.clock = Objects.requireNonNull(clock, "clock");
	}

	/** What purges are applied to: this node's cache. */
	@FunctionalInterface
	public interface Target {

		/**
		 * Remove a zone's entries whose URL matches.
		 * @param zone the zone
		 * @param matches which URLs ({@code scheme://host/target}) go
		 * @return the entries removed, or -1 when the zone is not on this node
		 */
		int purge(String zone, Predicate<String> matches);

	}

	/**
	 * One purge: a URL, a prefix, or neither for the whole zone.
	 *
	 * @param zone the zone
	 * @param url the one URL, or {@code null}
	 * @param prefix the prefix of the URLs, or {@code null}
	 */
	public record Purge(String zone, @Nullable String url, @Nullable String prefix) {

		/**
		 * The URLs the purge removes.
		 * @return the test of a URL
		 */
		public Predicate<String> matches() {
			String exact = this.url;
			String start = this.prefix;
			return (exact != null) ? exact::equals
					: (start != null) ? (each) -> each.startsWith(start) : (each) -> true;
		}

	}

	/**
	 * Keep a purge, applied here already, for the other nodes. A store that fails leaves
	 * the purge on this node only, and says so in the log.
	 * @param purge the purge
	 * @return whether it was stored
	 */
	public boolean store(Purge purge) {
		Instant now = this.clock.instant();
		KeyHolder key = new GeneratedKeyHolder();
		try {
			this.jdbc.update((connection) -> {
				PreparedStatement insert = connection.prepareStatement(
						"insert into cache_purge (zone, url, prefix, purged_at, expires_at) values (?, ?, ?, ?, ?)",
						new String[] { "id" });
				insert.setString(1, purge.zone());
				insert.setString(2, purge.url());
				insert.setString(3, purge.prefix());
				insert.setTimestamp(4, Timestamp.from(now));
				insert.setTimestamp(5, Timestamp.from(now.plus(RETENTION)));
				return insert;
			}, key);
		}
		catch (RuntimeException ex) {
			logger.warn("Cache purge of zone {} applied on this node only: not stored: {}", purge.zone(),
					ex.getMessage());
			return false;
		}
		Number id = key.getKey();
		if (id != null) {
			synchronized (this.applied) {
				this.applied.add(id.longValue());
			}
		}
		announce(purge);
		return true;
	}

	private void announce(Purge purge) {
		try {
			this.notifications.send(CHANNEL, purge.zone());
		}
		catch (RuntimeException ex) {
			logger.warn("Cache purge of zone {} stored; the other nodes apply it at their next poll: {}", purge.zone(),
					ex.getMessage());
		}
	}

	/**
	 * The channel other nodes announce their purges on: this node reads them at once.
	 * @return the channel
	 */
	public StoreChannel channel() {
		return new StoreChannel(CHANNEL, this.poll::readNow);
	}

	/**
	 * Apply the purges kept in the store that this node has not applied yet, and delete
	 * the expired ones.
	 * @return the purges applied
	 */
	public int load() {
		Timestamp now = Timestamp.from(this.clock.instant());
		record Row(long id, Purge purge) {
		}
		List<Row> rows = this.jdbc
			.query("select id, zone, url, prefix from cache_purge where expires_at > ? order by id", (row,
					index) -> new Row(row.getLong(1), new Purge(row.getString(2), row.getString(3), row.getString(4))),
					now);
		int count = 0;
		Set<Long> kept = new HashSet<>();
		for (Row row : rows) {
			kept.add(row.id());
			boolean fresh;
			synchronized (this.applied) {
				fresh = this.applied.add(row.id());
			}
			if (fresh) {
				int removed = this.target.purge(row.purge().zone(), row.purge().matches());
				logger.debug("Cache purge {} from the store: {} entries removed", row.id(), removed);
				count++;
			}
		}
		synchronized (this.applied) {
			// an id stored here since the query is newer than every row read: kept
			long newest = rows.isEmpty() ? Long.MIN_VALUE : rows.get(rows.size() - 1).id();
			this.applied.removeIf((id) -> !kept.contains(id) && id <= newest);
		}
		this.jdbc.update("delete from cache_purge where expires_at <= ?", now);
		return count;
	}

	@Override
	public void start() {
		this.poll.start();
	}

	@Override
	public void stop() {
		this.poll.stop();
	}

	@Override
	public boolean isRunning() {
		return this.poll.isRunning();
	}

}
