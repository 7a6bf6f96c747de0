package dev.capuchin.app.status;

import dev.capuchin.core.internal.fdt.OpenFileTable;
import dev.capuchin.core.internal.server.CapuchinServer;
import dev.capuchin.core.internal.worker.Worker;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationListener;

/**
 * The kernel's per-worker numbers as Micrometer meters, tagged by worker:
 * {@code capuchin.connections} (open now), {@code capuchin.connections.accepted},
 * {@code capuchin.fdt.open}, {@code capuchin.fdt.hits} and {@code capuchin.fdt.misses};
 * and for the whole node {@code capuchin.loops.blocked}, the stalls the loop watchdog
 * saw. Read lazily from the workers, so the hot path pays nothing. Registered once the
 * application has started, when the workers exist.
 */
public class KernelMetrics implements ApplicationListener<ApplicationStartedEvent> {

	private final CapuchinServer server;

	private final MeterRegistry registry;

	public KernelMetrics(CapuchinServer server, MeterRegistry registry) {
		this.server = server;
		this.registry = registry;
	}

	@Override
	public void onApplicationEvent(ApplicationStartedEvent event) {
		bindTo(this.registry);
	}

	void bindTo(MeterRegistry registry) {
		FunctionCounter.builder("capuchin.loops.blocked", this.server, CapuchinServer::blockedLoopStalls)
			.description("Times a worker loop was found blocked longer than "
					+ "capuchin.server.limits.blocked-loop-warning")
			.register(registry);
		for (Worker worker : this.server.workers()) {
			Gauge.builder("capuchin.connections", worker, Worker::connections)
				.tag("worker", worker.name())
				.description("Open connections of the worker")
				.register(registry);
			FunctionCounter.builder("capuchin.connections.accepted", worker, Worker::accepted)
				.tag("worker", worker.name())
				.description("Connections the worker has been given")
				.register(registry);
			Gauge.builder("capuchin.fdt.open", worker, (w) -> table(w).openCount())
				.tag("worker", worker.name())
				.description("Descriptors open in the worker's open-file table")
				.register(registry);
			FunctionCounter.builder("capuchin.fdt.hits", worker, (w) -> table(w).hits())
				.tag("worker", worker.name())
				.description("Requests served from an already open descriptor")
				.register(registry);
			FunctionCounter.builder("capuchin.fdt.misses", worker, (w) -> table(w).misses())
				.tag("worker", worker.name())
				.description("Requests that had to open their file")
				.register(registry);
		}
	}

	private static OpenFileTable table(Worker worker) {
		return worker.fdt();
	}

}
