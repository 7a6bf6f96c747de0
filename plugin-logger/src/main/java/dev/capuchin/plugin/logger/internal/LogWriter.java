package dev.capuchin.plugin.logger.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes every log file: it wakes every flush interval, when a file's
 * buffer is half full, on a reopen request and at stop, and writes what each buffer
 * holds. When lines were dropped it logs a warning with their count at once, then at most
 * once per {@link #REPORT_INTERVAL} (and at stop): a full disk drops every line for as
 * long as it lasts, and one warning a second would fill the error log as well.
 */
public final class LogWriter {

	/** The shortest time between two warnings about dropped lines. */
	public static final Duration REPORT_INTERVAL = Duration.ofMinutes(1);

	private static final Logger logger = LoggerFactory.getLogger(LogWriter.class);

	private final Map<String, LogFile> files = new ConcurrentHashMap<>();

	private final long intervalNanos;

	private final AtomicReference<CompletableFuture<Void>> reopen = new AtomicReference<>();

	private volatile Thread thread;

	private volatile boolean stopping;

	private long reportedDropped;

	private long reportedAt;

	private boolean reported;

	/**
	 * Create a writer; no thread runs until {@link #start()}.
	 * @param flushInterval the longest a line waits in a buffer
	 */
	public LogWriter(Duration flushInterval) {
		this.intervalNanos = flushInterval.toNanos();
	}

	/**
	 * The file registered under a name, registered now when it is new: each path has one
	 * file and one buffer however many sites write to it.
	 * @param name the file's name
	 * @param factory creates the file
	 * @return the file
	 */
	public LogFile file(String name, Function<String, LogFile> factory) {
		return this.files.computeIfAbsent(name, factory);
	}

	/**
	 * Whether a file is registered already.
	 * @param name the file's name
	 * @return {@code true} when it is
	 */
	public boolean has(String name) {
		return this.files.containsKey(name);
	}

	public Collection<LogFile> files() {
		return this.files.values();
	}

	/**
	 * Wake the writer (a buffer is half full).
	 */
	public void wake() {
		Thread writer = this.thread;
		if (writer != null) {
			LockSupport.unpark(writer);
		}
	}

	/**
	 * Start the writer thread.
	 */
	public synchronized void start() {
		if (this.thread != null) {
			return;
		}
		this.stopping = false;
		// open the files now: what a request logs from here on goes to the file that
		// existed at start, even if it is moved before the first write
		drainAll();
		Thread writer = new Thread(this::run, "capuchin-logger");
		writer.setDaemon(true);
		this.thread = writer;
		writer.start();
	}

	/**
	 * Write what is buffered, close every file and end the thread.
	 * @param timeout how long to wait for the writer to finish
	 */
	public synchronized void stop(Duration timeout) {
		Thread writer = this.thread;
		if (writer == null) {
			drainAll();
			this.files.values().forEach(LogFile::close);
			return;
		}
		this.stopping = true;
		LockSupport.unpark(writer);
		try {
			writer.join(Math.max(1, timeout.toMillis()));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (writer.isAlive()) {
			logger.warn("the log writer did not finish within {}; lines still buffered are lost", timeout);
		}
		this.thread = null;
	}

	/**
	 * Ask the writer to write what is buffered, then close and reopen every file.
	 * @return completes once the files are reopened
	 */
	public CompletableFuture<Void> reopen() {
		synchronized (this) {
			if (this.thread == null) {
				drainAll();
				this.files.values().forEach(LogFile::close);
				return CompletableFuture.completedFuture(null);
			}
		}
		CompletableFuture<Void> request = this.reopen
			.updateAndGet((current) -> (current != null) ? current : new CompletableFuture<>());
		wake();
		return request;
	}

	/**
	 * Lines dropped over every file.
	 * @return the count
	 */
	public long dropped() {
		long dropped = 0;
		for (LogFile file : this.files.values()) {
			dropped += file.dropped();
		}
		return dropped;
	}

	private void run() {
		long deadline = System.nanoTime() + this.intervalNanos;
		while (true) {
			boolean stop = this.stopping;
			CompletableFuture<Void> reopenRequest = this.reopen.getAndSet(null);
			try {
				drainAll();
				if (reopenRequest != null) {
					this.files.values().forEach(LogFile::reopen);
					logger.info("reopened logs {}", List.copyOf(this.files.keySet()));
				}
			}
			catch (RuntimeException ex) {
				logger.error("log writer failed", ex);
			}
			finally {
				if (reopenRequest != null) {
					reopenRequest.complete(null);
				}
			}
			long now = System.nanoTime();
			if (stop || now - deadline >= 0) {
				reportDropped(stop, now);
				deadline = now + this.intervalNanos;
			}
			if (stop) {
				this.files.values().forEach(LogFile::close);
				return;
			}
			LockSupport.parkNanos(this, deadline - now);
		}
	}

	private void drainAll() {
		for (LogFile file : this.files.values()) {
			file.drain();
		}
	}

	private void reportDropped(boolean stop, long now) {
		long dropped = dropped();
		if (dropped <= this.reportedDropped) {
			return;
		}
		if (!stop && this.reported && now - this.reportedAt < REPORT_INTERVAL.toNanos()) {
			return;
		}
		logger.warn(
				"dropped {} log lines because a buffer was full or a file not writable ({} since start); "
						+ "the next count follows within {} s",
				dropped - this.reportedDropped, dropped, REPORT_INTERVAL.toSeconds());
		this.reportedDropped = dropped;
		this.reportedAt = now;
		this.reported = true;
	}

}
