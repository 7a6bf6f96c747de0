package dev.capuchin.core.internal.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.capuchin.core.internal.fdt.FdtSettings;
import dev.capuchin.core.internal.fdt.OpenFileTable;
import dev.capuchin.core.internal.transport.Transport;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;

/**
 * The kernel's event loops: one acceptor and N workers in {@link Balancing#LEAST_LOADED}
 * mode, or N workers that each accept for themselves in {@link Balancing#REUSEPORT} mode.
 * Each worker gets its open-file table, built on its own thread.
 */
public final class WorkerGroup {

	private static final Duration FDT_SWEEP = Duration.ofSeconds(1);

	private final Transport transport;

	private final Balancing balancing;

	private final List<EventLoopGroup> groups;

	private final EventLoopGroup acceptor;

	private final List<Worker> workers;

	private final Map<EventExecutor, Worker> byExecutor;

	private WorkerGroup(Transport transport, Balancing balancing, List<EventLoopGroup> groups, EventLoopGroup acceptor,
			List<Worker> workers) {
		this.transport = transport;
		this.balancing = balancing;
		this.groups = groups;
		this.acceptor = acceptor;
		this.workers = List.copyOf(workers);
		Map<EventExecutor, Worker> index = new IdentityHashMap<>();
		workers.forEach((worker) -> index.put(worker.executor(), worker));
		this.byExecutor = index;
	}

	/**
	 * Start the event loops and build each worker's open-file table on its thread.
	 * @param transport the I/O transport
	 * @param count the number of workers
	 * @param balancing how connections are spread
	 * @param fdt the open-file table settings
	 * @return the running group
	 */
	public static WorkerGroup start(Transport transport, int count, Balancing balancing, FdtSettings fdt) {
		Objects.requireNonNull(transport, "transport");
		Objects.requireNonNull(balancing, "balancing");
		Objects.requireNonNull(fdt, "fdt");
		if (count < 1) {
			throw new IllegalArgumentException("capuchin.server.workers: " + count + " (expected: > 0)");
		}
		WorkerGroup group = (balancing == Balancing.LEAST_LOADED) ? leastLoaded(transport, count)
				: reusePort(transport, count);
		group.workers.forEach((worker) -> group.installFdt(worker, fdt));
		return group;
	}

	private static WorkerGroup leastLoaded(Transport transport, int count) {
		LeastLoadedChooserFactory chooser = new LeastLoadedChooserFactory(WorkerGroup::workerName);
		ThreadFactory threads = new DefaultThreadFactory("capuchin-worker", true);
		MultiThreadIoEventLoopGroup workers = new MultiThreadIoEventLoopGroup(count,
				(Runnable task) -> threads.newThread(task).start(), chooser, transport.ioHandlerFactory());
		EventLoopGroup acceptor = new MultiThreadIoEventLoopGroup(1,
				new DefaultThreadFactory("capuchin-acceptor", true), transport.ioHandlerFactory());
		return new WorkerGroup(transport, Balancing.LEAST_LOADED, List.of(workers), acceptor, chooser.workers());
	}

	private static WorkerGroup reusePort(Transport transport, int count) {
		List<EventLoopGroup> groups = new ArrayList<>();
		List<Worker> workers = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
					new DefaultThreadFactory(workerName(i), true), transport.ioHandlerFactory());
			groups.add(group);
			workers.add(new Worker(i, workerName(i), group.next()));
		}
		return new WorkerGroup(transport, Balancing.REUSEPORT, groups, null, workers);
	}

	private static String workerName(int index) {
		return "capuchin-worker-" + index;
	}

	private void installFdt(Worker worker, FdtSettings settings) {
		Future<OpenFileTable> built = worker.executor().submit(() -> new OpenFileTable(worker.executor(), settings));
		try {
			worker.installFdt(built.get(10, TimeUnit.SECONDS));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while starting " + worker.name(), ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Could not start " + worker.name(), ex);
		}
		long period = FDT_SWEEP.toMillis();
		worker.executor().scheduleWithFixedDelay(() -> worker.fdt().closeIdle(), period, period, TimeUnit.MILLISECONDS);
	}

	/**
	 * The transport these loops run on.
	 * @return the transport
	 */
	public Transport transport() {
		return this.transport;
	}

	/**
	 * The balancing mode.
	 * @return the mode
	 */
	public Balancing balancing() {
		return this.balancing;
	}

	/**
	 * The workers, in index order.
	 * @return the workers
	 */
	public List<Worker> workers() {
		return this.workers;
	}

	/**
	 * The worker that runs on a channel's event loop.
	 * @param loop the event loop of a channel accepted by this group
	 * @return the worker, or {@code null} for a foreign loop
	 */
	public Worker workerOf(EventLoop loop) {
		return this.byExecutor.get(loop);
	}

	/**
	 * Count a connection that a worker accepted on its own socket. In least-loaded mode
	 * the chooser has counted it already, at the moment it chose the worker.
	 * @param worker the worker that owns the new connection
	 */
	public void accepted(Worker worker) {
		if (this.balancing == Balancing.REUSEPORT) {
			worker.connectionOpened();
		}
	}

	/**
	 * The loop resources for each listener binding: one for least-loaded mode (the
	 * acceptor and all workers), one per worker for reuseport mode (the worker accepts on
	 * its own socket).
	 * @return the loop resources, one per binding
	 */
	public List<LoopResources> bindings() {
		if (this.balancing == Balancing.LEAST_LOADED) {
			return List.of(new FixedLoops(this.acceptor, this.groups.get(0)));
		}
		return this.groups.stream().map((group) -> (LoopResources) new FixedLoops(group, group)).toList();
	}

	/**
	 * Loop resources for clients on the workers' loops: a worker's client connections
	 * stay on that worker, and the workers' connection counts see none of them.
	 * @return the loop resources
	 */
	public LoopResources clientLoops() {
		return new ColocatedWorkers.ClientLoops(
				new ColocatedWorkers(this.workers, this.groups.get(0).terminationFuture()));
	}

	/**
	 * Close every table and stop the loops, waiting up to {@code timeout}.
	 * @param timeout how long to wait for the loops to end
	 */
	public void shutdown(Duration timeout) {
		for (Worker worker : this.workers) {
			if (!worker.executor().isShuttingDown()) {
				worker.executor().execute(() -> worker.fdt().closeAll());
			}
		}
		List<Future<?>> terminations = new ArrayList<>();
		if (this.acceptor != null) {
			terminations.add(this.acceptor.shutdownGracefully(0, timeout.toMillis(), TimeUnit.MILLISECONDS));
		}
		for (EventLoopGroup group : this.groups) {
			terminations.add(group.shutdownGracefully(0, timeout.toMillis(), TimeUnit.MILLISECONDS));
		}
		for (Future<?> termination : terminations) {
			termination.awaitUninterruptibly(timeout.toMillis() + 1000);
		}
	}

	/**
	 * Loop resources over groups this class owns: Reactor Netty must neither create loops
	 * of its own for the server nor dispose of ours.
	 */
	private record FixedLoops(EventLoopGroup select, EventLoopGroup server) implements LoopResources {

		@Override
		public EventLoopGroup onServer(boolean useNative) {
			return this.server;
		}

		@Override
		public EventLoopGroup onServerSelect(boolean useNative) {
			return this.select;
		}

		@Override
		public EventLoopGroup onClient(boolean useNative) {
			throw new UnsupportedOperationException("the server's loops serve accepted connections only");
		}

		@Override
		public Mono<Void> disposeLater(Duration quietPeriod, Duration timeout) {
			return Mono.empty();
		}

		@Override
		public boolean daemon() {
			return true;
		}

	}

}
