package dev.capuchin.app.shared.reload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import org.springframework.context.SmartLifecycle;

/**
 * Runs every {@link Action} when the process receives {@code SIGHUP}, as a service
 * manager's reload sends it. The JVM's own {@code SIGHUP} handler would shut the node
 * down; this one replaces it while the application runs and gives it back at stop. The
 * actions run one after the other on a thread of their own, off the signal's thread;
 * signals that arrive while a reload runs are folded into one more reload. One failing
 * action is logged and does not stop the others.
 */
public final class ReloadSignal implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(ReloadSignal.class);

	private static final Signal HUP = new Signal("HUP");

	private final Supplier<List<Action>> actions;

	private final AtomicBoolean pending = new AtomicBoolean();

	private ExecutorService executor;

	private SignalHandler previous;

	/**
	 * Create the handler; it is installed at {@link #start()}.
	 * @param actions the actions to run, asked for at each reload
	 */
	public ReloadSignal(Supplier<List<Action>> actions) {
		this.actions = Objects.requireNonNull(actions, "actions");
	}

	@Override
	public synchronized void start() {
		ExecutorService executor = Executors.newSingleThreadExecutor((task) -> {
			Thread thread = new Thread(task, "capuchin-reload");
			thread.setDaemon(true);
			return thread;
		});
		if (ignoredByProcess()) {
			// the JVM leaves a signal ignored at its start ignored (a start under nohup):
			// a handler would be accepted and never called
			executor.shutdown();
			logger.warn("SIGHUP is ignored by this process (started under nohup?): reload through the console "
					+ "and the API, or start Capuchin without ignoring SIGHUP");
			return;
		}
		try {
			this.previous = Signal.handle(HUP, (signal) -> trigger());
			this.executor = executor;
		}
		catch (IllegalArgumentException ex) {
			// no SIGHUP on this system (Windows), or the JVM runs with -Xrs
			executor.shutdown();
			logger.info("SIGHUP cannot be handled here ({}): reload through the console and the API only",
					ex.getMessage());
		}
	}

	/**
	 * Whether this process was started with {@code SIGHUP} ignored, as {@code nohup}
	 * does; read from {@code /proc/self/status} where it exists.
	 * @return {@code true} when SIGHUP is ignored
	 */
	public static boolean ignoredByProcess() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (line.startsWith("SigIgn:")) {
					// bit 0 is signal 1, SIGHUP
					return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 1L) != 0;
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// no /proc: nothing known, the handler is tried
		}
		return false;
	}

	private void trigger() {
		if (this.pending.compareAndSet(false, true)) {
			ExecutorService executor = this.executor;
			if (executor != null) {
				executor.execute(() -> {
					this.pending.set(false);
					reload();
				});
			}
		}
	}

	/**
	 * Run every action now, on the calling thread.
	 */
	public void reload() {
		List<Action> all = this.actions.get();
		logger.info("Reloading: {}", all.stream().map(Action::name).toList());
		for (Action action : all) {
			try {
				action.reload();
			}
			catch (RuntimeException ex) {
				logger.error("Reload of {} failed, the old state stays: {}", action.name(), ex.getMessage());
			}
		}
	}

	@Override
	public synchronized void stop() {
		if (this.executor != null) {
			Signal.handle(HUP, this.previous);
			this.executor.shutdownNow();
			this.executor = null;
			this.previous = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

	/**
	 * One thing a reload does: re-read, reopen, reload.
	 */
	public interface Action {

		/**
		 * What the action reloads, for the log.
		 * @return a short name, such as {@code "site files"}
		 */
		String name();

		/**
		 * Reload; log what changed.
		 * @throws RuntimeException when the reload failed, the old state staying in use
		 */
		void reload();

	}

}
