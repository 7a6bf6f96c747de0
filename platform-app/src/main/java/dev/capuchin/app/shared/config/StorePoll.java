package dev.capuchin.app.shared.config;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * Reads a table of the store on a thread of its own: once at start, then every poll
 * interval, so that what other nodes wrote there (purges, logouts) reaches this one. A
 * read that fails is logged and tried again at the next interval; the node goes on with
 * what it read last.
 */
public final class StorePoll {

	private final String name;

	private final Duration interval;

	private final Runnable read;

	private final Logger logger;

	private final String failure;

	private @Nullable ScheduledExecutorService poller;

	/**
	 * A poll, not yet started.
	 * @param name the name of its thread
	 * @param interval the time between two reads; zero or less: read at start only
	 * @param read the read
	 * @param logger where a failed read is logged
	 * @param failure what a failed read could not do, e.g. "Could not read cache purges"
	 */
	public StorePoll(String name, Duration interval, Runnable read, Logger logger, String failure) {
		this.name = name;
		this.interval = interval;
		this.read = read;
		this.logger = logger;
		this.failure = failure;
	}

	/** Starts reading, at once and then every interval; does nothing when it runs. */
	public synchronized void start() {
		if (this.poller != null) {
			return;
		}
		this.poller = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, this.name);
			thread.setDaemon(true);
			return thread;
		});
		this.poller.execute(this::poll);
		if (!this.interval.isZero() && !this.interval.isNegative()) {
			long millis = this.interval.toMillis();
			this.poller.scheduleWithFixedDelay(this::poll, millis, millis, TimeUnit.MILLISECONDS);
		}
	}

	/**
	 * Reads once more as soon as the poll's thread is free, e.g. when another node
	 * announced a change ({@link StoreChannel}); does nothing when it does not run.
	 */
	public synchronized void readNow() {
		if (this.poller != null) {
			this.poller.execute(this::poll);
		}
	}

	/** Stops reading. */
	public synchronized void stop() {
		if (this.poller != null) {
			this.poller.shutdownNow();
			this.poller = null;
		}
	}

	/**
	 * Whether it reads.
	 * @return {@code true} between start and stop
	 */
	public synchronized boolean isRunning() {
		return this.poller != null;
	}

	private void poll() {
		try {
			this.read.run();
		}
		catch (RuntimeException ex) {
			this.logger.warn("{} from the store: {}", this.failure, ex.getMessage());
		}
	}

}
