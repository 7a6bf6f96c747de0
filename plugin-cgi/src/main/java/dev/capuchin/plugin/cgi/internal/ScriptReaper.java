package dev.capuchin.plugin.cgi.internal;

import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.capuchin.plugin.cgi.CgiOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure a script is gone once its request ended, then reports the outcome: a script
 * whose response completed may still run to its end within its timeout; any other is
 * killed with its process group at once. Its pipes are closed and it leaves the runner's
 * live set. The waiting runs on the executor, unless there is none to do: a script that
 * answered and already exited (the common case: a script that wrote its response and
 * ended) is done with on the calling thread, as nothing of it blocks (the JDK's own
 * reaper has collected its exit), which saves a task on the executor per request.
 */
final class ScriptReaper {

	private static final Logger logger = LoggerFactory.getLogger(CgiRunner.class);

	private ScriptReaper() {
	}

	/**
	 * Reap a script.
	 * @param running the script
	 * @param result the request's outcome
	 * @param graceMillis how long a script whose response completed may still run
	 * @param executor where the waiting runs
	 * @param live the runner's live set
	 * @param finished told the outcome once the script is gone
	 * @param what the site and script, for the log
	 */
	static void reap(ScriptProcess running, CgiOutcome result, long graceMillis, Executor executor,
			Set<ScriptProcess> live, Consumer<CgiOutcome> finished, String what) {
		if (result == CgiOutcome.OK && !running.process().isAlive()) {
			running.closeQuietly();
			live.remove(running);
			finished.accept(result);
			return;
		}
		try {
			executor.execute(() -> {
				try {
					// a script that closed stdout may still be running: it keeps its
					// place
					// until it exits, within its timeout
					if (result == CgiOutcome.OK && !running.process().waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
						logger.warn("{}: still running after its output ended; killed", what);
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				if (result != CgiOutcome.OK || running.process().isAlive()) {
					running.killGroup();
				}
				running.closeQuietly();
				live.remove(running);
				finished.accept(result);
			});
		}
		catch (RuntimeException ex) {
			running.killGroup();
			live.remove(running);
			finished.accept(result);
		}
	}

}
