package dev.capuchin.app.shared.config;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Polls the store's configuration version and loads a newer configuration written by
 * another node or by the command line ({@code capuchin.store.poll-interval}, 0 to switch
 * off). A store that cannot be reached is logged once when the poll first fails and once
 * when it works again; the data plane keeps its configuration meanwhile.
 */
class ConfigRefresher implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(ConfigRefresher.class);

	private final ConfigService config;

	private final Duration interval;

	private ScheduledExecutorService scheduler;

	// the scheduler's one thread only
	private boolean unreachable;

	ConfigRefresher(ConfigService config, Duration interval) {
		this.config = config;
		this.interval = interval;
	}

	@Override
	public synchronized void start() {
		if (this.interval.isZero() || this.interval.isNegative()) {
			return;
		}
		this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "capuchin-config-refresh");
			thread.setDaemon(true);
			return thread;
		});
		long millis = this.interval.toMillis();
		this.scheduler.scheduleWithFixedDelay(this::refresh, millis, millis, TimeUnit.MILLISECONDS);
	}

	private void refresh() {
		try {
			this.config.refresh();
			if (this.unreachable) {
				this.unreachable = false;
				logger.info("The store is reachable again; serving configuration version {}",
						this.config.appliedVersion());
			}
		}
		catch (RuntimeException ex) {
			String reason = StoreUnreachable.reason(ex).orElse(null);
			if (reason == null) {
				logger.warn("Could not check the store for a new configuration: {}", ex.getMessage());
			}
			else if (!this.unreachable) {
				// once per outage, not once per poll
				this.unreachable = true;
				logger.warn("The store is unreachable ({}); the data plane keeps serving configuration version {} "
						+ "and changes are refused until it is back", reason, this.config.appliedVersion());
			}
		}
	}

	@Override
	public synchronized void stop() {
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
			this.scheduler = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.scheduler != null;
	}

}
