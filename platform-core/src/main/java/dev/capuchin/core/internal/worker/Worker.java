package dev.capuchin.core.internal.worker;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.capuchin.core.internal.fdt.OpenFileTable;
import io.netty.util.concurrent.EventExecutor;

/**
 * One worker: an event loop with its open-connection count and its own open-file table.
 * The table is built on the worker's thread and only ever touched there; the counters may
 * be read from anywhere.
 */
public final class Worker {

	private final int index;

	private final String name;

	private final EventExecutor executor;

	private final AtomicInteger connections = new AtomicInteger();

	private final AtomicLong accepted = new AtomicLong();

	private volatile OpenFileTable fdt;

	Worker(int index, String name, EventExecutor executor) {
		this.index = index;
		this.name = Objects.requireNonNull(name, "name");
		this.executor = Objects.requireNonNull(executor, "executor");
	}

	/**
	 * The position of this worker in its group, from 0.
	 * @return the index
	 */
	public int index() {
		return this.index;
	}

	/**
	 * The worker's name, as shown in metrics and thread names.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * The event loop this worker runs on.
	 * @return the executor
	 */
	public EventExecutor executor() {
		return this.executor;
	}

	/**
	 * The connections currently open on this worker.
	 * @return the open-connection count
	 */
	public int connections() {
		return this.connections.get();
	}

	/**
	 * The connections this worker has been given since start.
	 * @return the accepted-connection count
	 */
	public long accepted() {
		return this.accepted.get();
	}

	/**
	 * This worker's open-file table. Use it only on this worker's thread.
	 * @return the table
	 */
	public OpenFileTable fdt() {
		return this.fdt;
	}

	void connectionOpened() {
		this.connections.incrementAndGet();
		this.accepted.incrementAndGet();
	}

	/**
	 * Record that a connection of this worker has closed.
	 */
	public void connectionClosed() {
		this.connections.decrementAndGet();
	}

	void installFdt(OpenFileTable table) {
		this.fdt = table;
	}

	@Override
	public String toString() {
		return this.name + "[connections=" + connections() + "]";
	}

}
