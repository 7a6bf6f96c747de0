package dev.capuchin.core.internal.worker;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorChooserFactory;

/**
 * Monkey's scheduler in Netty terms: the worker group consults the chooser once for every
 * accepted connection, and the chooser hands it to the worker with the fewest open
 * connections. Ties go round-robin, so an idle server still spreads its first
 * connections.
 * <p>
 * The connection is counted at the moment it is assigned, not when its channel registers,
 * so a burst of accepts sees its own assignments. The group must serve only accepted
 * connections: a client sharing these loops would call the chooser too and skew the
 * counts.
 */
final class LeastLoadedChooserFactory implements EventExecutorChooserFactory {

	private final IntFunction<String> names;

	private volatile List<Worker> workers = List.of();

	LeastLoadedChooserFactory(IntFunction<String> names) {
		this.names = names;
	}

	@Override
	public EventExecutorChooser newChooser(EventExecutor[] executors) {
		Worker[] created = new Worker[executors.length];
		for (int i = 0; i < executors.length; i++) {
			created[i] = new Worker(i, this.names.apply(i), executors[i]);
		}
		this.workers = List.of(created);
		return new LeastLoadedChooser(created);
	}

	List<Worker> workers() {
		return this.workers;
	}

	static final class LeastLoadedChooser implements EventExecutorChooser {

		private final Worker[] workers;

		private final AtomicInteger nextTie = new AtomicInteger();

		LeastLoadedChooser(Worker[] workers) {
			this.workers = workers;
		}

		@Override
		public EventExecutor next() {
			Worker chosen = choose(this.workers, Math.floorMod(this.nextTie.getAndIncrement(), this.workers.length));
			chosen.connectionOpened();
			return chosen.executor();
		}

		/**
		 * The worker with the fewest open connections, scanning from {@code start} so
		 * that equal counts rotate.
		 */
		static Worker choose(Worker[] workers, int start) {
			Worker best = workers[start];
			int bestLoad = best.connections();
			for (int i = 1; i < workers.length && bestLoad > 0; i++) {
				Worker candidate = workers[(start + i) % workers.length];
				int load = candidate.connections();
				if (load < bestLoad) {
					best = candidate;
					bestLoad = load;
				}
			}
			return best;
		}

	}

}
