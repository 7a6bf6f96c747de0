package dev.capuchin.app.shared.config;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Listens on PostgreSQL for the store's change notifications and acts at once: the
 * configuration version's {@code NOTIFY} (sent by {@link ConfigVersionStore} when a
 * change commits) reloads the configuration, and each other {@link StoreChannel} (cache
 * purges, back-channel logouts) starts its own read. A change made on one node so reaches
 * every node within a fraction of a second; the polls ({@link ConfigRefresher},
 * {@link StorePoll}) stay as the safety net.
 * <p>
 * The listener has a connection of its own, outside the pool, and a thread of its own: it
 * waits on the socket, which must never happen on the data plane's event loops nor hold a
 * pooled connection forever. When the connection is lost (the database restarted, the
 * backend was terminated, the network failed) it connects again with a growing backoff,
 * and reloads once listening again, for the notifications sent while it was away.
 */
public final class ConfigListener implements SmartLifecycle {

	/**
	 * The channel configuration changes are announced on; the payload is the new version.
	 */
	public static final String CHANNEL = "capuchin_config";

	/**
	 * The listener's connection shows this {@code application_name} in
	 * {@code pg_stat_activity}.
	 */
	public static final String APPLICATION_NAME = "capuchin-config-listener";

	/**
	 * How long one wait for notifications lasts: also the longest a stop waits for the
	 * thread.
	 */
	static final Duration WAIT = Duration.ofMillis(500);

	/**
	 * A connection silent for this long is checked with a query, so a dead one is
	 * noticed.
	 */
	static final Duration CHECK_AFTER = Duration.ofSeconds(30);

	/** The first pause before connecting again; it doubles after each failure. */
	static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

	/** The longest pause before connecting again. */
	static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

	private static final Logger logger = LoggerFactory.getLogger(ConfigListener.class);

	private final DataSource connections;

	private final List<StoreChannel> channels;

	private volatile boolean running;

	private Thread thread;

	/**
	 * Create the listener.
	 * @param connections where the listener's own connection comes from (not a pool)
	 * @param channels the channels listened on, each with what a change on it starts
	 */
	public ConfigListener(DataSource connections, List<StoreChannel> channels) {
		this.connections = Objects.requireNonNull(connections, "connections");
		this.channels = List.copyOf(channels);
		if (this.channels.stream().map(StoreChannel::name).distinct().count() != this.channels.size()) {
			throw new IllegalArgumentException("store channels: a name is given twice: " + this.channels);
		}
	}

	@Override
	public synchronized void start() {
		if (this.thread != null) {
			return;
		}
		this.running = true;
		this.thread = new Thread(this::run, "capuchin-config-listen");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	private void run() {
		Duration backoff = FIRST_BACKOFF;
		boolean lost = false;
		while (this.running) {
			try (Connection connection = this.connections.getConnection()) {
				listen(connection);
				if (lost) {
					logger.info("Listening for configuration changes again");
				}
				lost = false;
				backoff = FIRST_BACKOFF;
				// whatever was committed before LISTEN took effect (at start, or while
				// the connection was down) was announced to no one here
				this.channels.forEach(this::changed);
				receive(connection);
			}
			catch (SQLException | RuntimeException ex) {
				if (!this.running) {
					break;
				}
				if (!lost) {
					logger.warn("Lost the store's change notifications ({}); connecting again, changes reach this "
							+ "node by the poll meanwhile", ex.getMessage());
				}
				lost = true;
				if (!pause(backoff)) {
					break;
				}
				backoff = (backoff.compareTo(MAX_BACKOFF.dividedBy(2)) > 0) ? MAX_BACKOFF : backoff.multipliedBy(2);
			}
		}
	}

	private void listen(Connection connection) throws SQLException {
		connection.setAutoCommit(true);
		connection.setClientInfo("ApplicationName", APPLICATION_NAME);
		try (Statement statement = connection.createStatement()) {
			for (StoreChannel channel : this.channels) {
				// a checked identifier (StoreChannel), so no quoting is needed
				statement.execute("LISTEN " + channel.name());
			}
		}
	}

	private void receive(Connection connection) throws SQLException {
		PGConnection postgres = connection.unwrap(PGConnection.class);
		long silentSince = System.nanoTime();
		while (this.running) {
			PGNotification[] notifications = postgres.getNotifications((int) WAIT.toMillis());
			if (notifications != null && notifications.length > 0) {
				// several changes announced together are read once per channel: each
				// read takes whatever is newest
				Set<String> names = new LinkedHashSet<>();
				for (PGNotification notification : notifications) {
					names.add(notification.getName());
				}
				this.channels.stream().filter((channel) -> names.contains(channel.name())).forEach(this::changed);
				silentSince = System.nanoTime();
			}
			else if (System.nanoTime() - silentSince > CHECK_AFTER.toNanos()) {
				try (Statement statement = connection.createStatement()) {
					statement.execute("select 1");
				}
				silentSince = System.nanoTime();
			}
		}
	}

	private void changed(StoreChannel channel) {
		try {
			channel.changed().run();
		}
		catch (RuntimeException ex) {
			logger.warn("Could not act on a change announced on {}: {}", channel.name(), ex.getMessage());
		}
	}

	private boolean pause(Duration backoff) {
		try {
			Thread.sleep(backoff.toMillis());
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	@Override
	public void stop() {
		Thread stopping;
		synchronized (this) {
			stopping = this.thread;
			this.thread = null;
			this.running = false;
		}
		if (stopping == null) {
			return;
		}
		stopping.interrupt();
		try {
			// the thread notices within one wait and closes its connection itself
			stopping.join(WAIT.multipliedBy(4).toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.thread != null;
	}

}
