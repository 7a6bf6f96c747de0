package dev.capuchin.core.internal.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds worker loops that something blocks (a plugin sleeping, waiting on a lock or on
 * I/O on the loop) and names the code they are stuck in. Each worker loop runs a
 * heartbeat task a few times per warning period; a thread of its own wakes as often and
 * warns once per stall, with the loop thread's stack and the first frame that belongs to
 * a plugin, when a loop has not beaten for longer than the warning. A loop that is merely
 * busy still runs its scheduled tasks between requests and is never reported. The cost on
 * the loops is one scheduled task per loop per period, independent of the requests.
 */
public final class LoopWatchdog implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(LoopWatchdog.class);

	/** Frames of the stack written after the warning line. */
	private static final int MAX_FRAMES = 40;

	/**
	 * The kernel's own packages, never a plugin's even when a test plugin lives there.
	 */
	private static final String KERNEL_PACKAGE = "dev.capuchin.core.";

	private final List<Watched> watched = new ArrayList<>();

	private final Duration warning;

	private final long periodNanos;

	private final Map<String, String> pluginPackages;

	private final AtomicLong stalls = new AtomicLong();

	private final Thread thread;

	private volatile boolean running = true;

	/**
	 * Start watching the workers' loops.
	 * @param workers the workers
	 * @param warning how long a loop may go without its heartbeat
	 * @param pluginPackages the plugins' names by the package of their class
	 * @return the running watchdog
	 */
	public static LoopWatchdog start(List<Worker> workers, Duration warning, Map<String, String> pluginPackages) {
		LoopWatchdog watchdog = new LoopWatchdog(workers, warning, pluginPackages);
		watchdog.thread.start();
		return watchdog;
	}

	private LoopWatchdog(List<Worker> workers, Duration warning, Map<String, String> pluginPackages) {
		this.warning = Objects.requireNonNull(warning, "warning");
		this.pluginPackages = Map.copyOf(pluginPackages);
		// four beats per warning period: a stall is seen at most a quarter period late
		this.periodNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(5), warning.toNanos() / 4);
		for (Worker worker : workers) {
			this.watched.add(watch(worker));
		}
		this.thread = new Thread(this::run, "capuchin-loop-watchdog");
		this.thread.setDaemon(true);
	}

	private Watched watch(Worker worker) {
		Thread loopThread;
		try {
			loopThread = worker.executor().submit(Thread::currentThread).get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while watching " + worker.name(), ex);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Could not watch " + worker.name(), ex);
		}
		AtomicLong beat = new AtomicLong(System.nanoTime());
		ScheduledFuture<?> heartbeat = worker.executor()
			.scheduleAtFixedRate(() -> beat.lazySet(System.nanoTime()), this.periodNanos, this.periodNanos,
					TimeUnit.NANOSECONDS);
		return new Watched(worker.name(), loopThread, beat, heartbeat);
	}

	/**
	 * The stalls reported since the start, for the application's metrics.
	 * @return the number of stalls
	 */
	public long stalls() {
		return this.stalls.get();
	}

	private void run() {
		while (this.running) {
			try {
				TimeUnit.NANOSECONDS.sleep(this.periodNanos);
			}
			catch (InterruptedException ex) {
				return;
			}
			long now = System.nanoTime();
			for (Watched loop : this.watched) {
				check(loop, now);
			}
		}
	}

	private void check(Watched loop, long now) {
		long beat = loop.beat().get();
		long blocked = now - beat;
		if (blocked <= this.warning.toNanos() || loop.reportedBeat == beat) {
			return;
		}
		// once per stall: the next report needs a beat after this one
		loop.reportedBeat = beat;
		this.stalls.incrementAndGet();
		StackTraceElement[] stack = loop.thread().getStackTrace();
		String where = where(stack);
		StringBuilder frames = new StringBuilder();
		for (int i = 0; i < Math.min(stack.length, MAX_FRAMES); i++) {
			frames.append("\n\tat ").append(stack[i]);
		}
		logger.warn("worker {} blocked for {} s in {}{}", loop.name(),
				String.format(Locale.ROOT, "%.1f", blocked / 1e9), where, frames);
	}

	/**
	 * The first frame of a plugin's code and the plugin's name, or the top frame when no
	 * plugin's code is on the stack.
	 */
	String where(StackTraceElement[] stack) {
		for (StackTraceElement frame : stack) {
			String className = frame.getClassName();
			if (className.startsWith(KERNEL_PACKAGE)) {
				continue;
			}
			int dot = className.lastIndexOf('.');
			String pkg = (dot > 0) ? className.substring(0, dot) : "";
			for (Map.Entry<String, String> plugin : this.pluginPackages.entrySet()) {
				if (pkg.equals(plugin.getKey()) || pkg.startsWith(plugin.getKey() + ".")) {
					return className + "." + frame.getMethodName() + " (plugin " + plugin.getValue() + ")";
				}
			}
		}
		return (stack.length > 0) ? stack[0].getClassName() + "." + stack[0].getMethodName() + " (no plugin frame)"
				: "an unknown place (no stack)";
	}

	/**
	 * Stop the heartbeats and the watchdog's thread.
	 */
	@Override
	public void close() {
		this.running = false;
		this.thread.interrupt();
		for (Watched loop : this.watched) {
			loop.heartbeat().cancel(false);
		}
	}

	private static final class Watched {

		private final String name;

		private final Thread thread;

		private final AtomicLong beat;

		private final ScheduledFuture<?> heartbeat;

		/** The beat a stall was reported after; only the watchdog's thread uses it. */
		private long reportedBeat = Long.MIN_VALUE;

		Watched(String name, Thread thread, AtomicLong beat, ScheduledFuture<?> heartbeat) {
			this.name = name;
			this.thread = thread;
			this.beat = beat;
			this.heartbeat = heartbeat;
		}

		String name() {
			return this.name;
		}

		Thread thread() {
			return this.thread;
		}

		AtomicLong beat() {
			return this.beat;
		}

		ScheduledFuture<?> heartbeat() {
			return this.heartbeat;
		}

	}

}
