package dev.capuchin.app.openidlogins;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ArrayBlockingQueue;

import dev.capuchin.plugin.auth.MemoryOpenIdRevocations;
import dev.capuchin.plugin.auth.OpenIdRevocations;
import dev.capuchin.app.shared.config.StoreChannel;
import dev.capuchin.app.shared.config.StoreNotifications;
import dev.capuchin.app.shared.config.StorePoll;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Back-channel logouts shared by every node through the store: a logout received by one
 * node is answered from memory at once there, written to
 * {@code openid_session_revocation} off the event loop, and loaded by the other nodes at
 * once on PostgreSQL (a {@code NOTIFY} on {@link #CHANNEL}), and at their next poll
 * otherwise (every {@code capuchin.store.poll-interval}, as the configuration's poll), so
 * a session the provider ended is refused on every node within that interval at most.
 * Entries are deleted once every session they name has ended.
 * <p>
 * Requests ask {@link #revoked} of the in-memory copy only, an immutable snapshot
 * ({@link MemoryOpenIdRevocations}) that each poll replaces when it brings a new logout:
 * no request waits for the store or for a lock.
 */
public final class StoredOpenIdRevocations implements OpenIdRevocations, SmartLifecycle {

	/** The store channel a stored logout is announced on. */
	public static final String CHANNEL = "capuchin_openid_logout";

	/**
	 * The most writes waiting for the store; past it a logout stays on this node only.
	 */
	static final int MAX_QUEUED = 1000;

	private static final Logger logger = LoggerFactory.getLogger(StoredOpenIdRevocations.class);

	private final JdbcTemplate jdbc;

	private final Clock clock;

	private final MemoryOpenIdRevocations memory;

	private final ThreadPoolExecutor writer;

	private final StorePoll poll;

	private final StoreNotifications notifications;

	/**
	 * Share logouts through a store.
	 * @param jdbc the store
	 * @param notifications where a stored logout is announced to the other nodes
	 * @param interval how often the store is read for other nodes' logouts; zero reads it
	 * at start only
	 * @param clock the clock of expiry
	 */
	public StoredOpenIdRevocations(JdbcTemplate jdbc, StoreNotifications notifications, Duration interval,
			Clock clock) {
		this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
		this.notifications = Objects.requireNonNull(notifications, "notifications");
		this.poll = new StorePoll("capuchin-openid-revocations-poll", Objects.requireNonNull(interval, "interval"),
				this::load, logger, "Could not read back-channel logouts");
		this.clock = Objects.requireNonNull(clock, "clock");
		this.memory = new MemoryOpenIdRevocations(clock);
		this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(MAX_QUEUED),
				(task) -> {
					Thread thread = new Thread(task, "capuchin-openid-revocations");
					thread.setDaemon(true);
					return thread;
				});
	}

	@Override
	public void revoke(Revocation revocation) {
		this.memory.revoke(revocation);
		try {
			this.writer.execute(() -> store(revocation));
		}
		catch (RejectedExecutionException ex) {
			logger.warn("Back-channel logout of {} kept on this node only: {} writes wait for the store",
					revocation.issuer(), MAX_QUEUED);
		}
	}

	@Override
	public boolean revoked(String issuer, String sid, String subject, Instant signedInAt) {
		return this.memory.revoked(issuer, sid, subject, signedInAt);
	}

	private void store(Revocation revocation) {
		try {
			this.jdbc.update(
					"insert into openid_session_revocation (issuer, sid, subject, revoked_at, expires_at)"
							+ " values (?, ?, ?, ?, ?)",
					revocation.issuer(), revocation.sid(), revocation.subject(), Timestamp.from(revocation.at()),
					Timestamp.from(revocation.until()));
		}
		catch (RuntimeException ex) {
			logger.warn("Back-channel logout of {} kept on this node only: not stored: {}", revocation.issuer(),
					ex.getMessage());
			return;
		}
		try {
			this.notifications.send(CHANNEL, "");
		}
		catch (RuntimeException ex) {
			logger.warn("Back-channel logout of {} stored; the other nodes load it at their next poll: {}",
					revocation.issuer(), ex.getMessage());
		}
	}

	/**
	 * The channel other nodes announce their logouts on: this node loads them at once.
	 * @return the channel
	 */
	public StoreChannel channel() {
		return new StoreChannel(CHANNEL, this.poll::readNow);
	}

	/**
	 * Load the logouts of every node that have not ended, and delete the ended ones.
	 */
	public void load() {
		Timestamp now = Timestamp.from(this.clock.instant());
		List<Revocation> stored = this.jdbc.query(
				"select issuer, sid, subject, revoked_at, expires_at from openid_session_revocation"
						+ " where expires_at > ?",
				(row, index) -> new Revocation(row.getString(1), row.getString(2), row.getString(3),
						row.getTimestamp(4).toInstant(), row.getTimestamp(5).toInstant()),
				now);
		this.memory.revokeAll(stored);
		this.memory.clean();
		this.jdbc.update("delete from openid_session_revocation where expires_at <= ?", now);
	}

	@Override
	public void start() {
		this.poll.start();
	}

	@Override
	public void stop() {
		this.poll.stop();
		this.writer.shutdown();
	}

	@Override
	public boolean isRunning() {
		return this.poll.isRunning();
	}

}
