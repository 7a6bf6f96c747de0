package dev.capuchin.plugin.fastcgi.internal;

import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import dev.capuchin.plugin.fastcgi.FastCgiAddress;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.Future;
import reactor.core.publisher.Mono;
import reactor.netty.tcp.TcpClient;

/**
 * The kept-alive connections to one application server: at most {@code max-connections}
 * open, idle ones reused most recently released first (so that the spare ones reach their
 * idle timeout and close), requests beyond the maximum waiting in turn up to the acquire
 * timeout. A new connection is opened by Reactor Netty's {@link TcpClient} on the event
 * loop of the request that needs it, over TCP or a unix socket, whichever the transport
 * (epoll, io_uring, NIO). Thread-safe: requests of every worker share the pool, under its
 * lock, held only to move a connection between lists.
 */
public final class ServerPool {

	private final FastCgiAddress address;

	private final ArrayDeque<FastCgiConnection> idle = new ArrayDeque<>();

	private final ArrayDeque<ConnectionHandover.Turn> waiters = new ArrayDeque<>();

	private final Set<FastCgiConnection> all = ConcurrentHashMap.newKeySet();

	private final LongAdder requests = new LongAdder();

	private final LongAdder errors = new LongAdder();

	private final LongAdder opened = new LongAdder();

	private volatile int maxConnections;

	private volatile Duration idleTimeout;

	private int open;

	private volatile boolean closed;

	/**
	 * Create a pool.
	 * @param address the server
	 * @param maxConnections the most connections open at once
	 * @param idleTimeout how long an idle connection stays open
	 */
	public ServerPool(FastCgiAddress address, int maxConnections, Duration idleTimeout) {
		this.address = address;
		this.maxConnections = maxConnections;
		this.idleTimeout = idleTimeout;
	}

	/**
	 * The server.
	 * @return the address
	 */
	public FastCgiAddress address() {
		return this.address;
	}

	/**
	 * Change the maximum (for a new site table); connections beyond it close as they are
	 * released.
	 * @param maxConnections the new maximum
	 */
	public void maxConnections(int maxConnections) {
		this.maxConnections = maxConnections;
	}

	/**
	 * Get a connection: an idle one, a new one, or the next one released.
	 * @param loop the event loop a new connection runs on
	 * @param connectTimeout how long opening a connection may take
	 * @param acquireTimeout how long to wait when all connections are in use
	 * @return the connection; fails with {@link FastCgiFailure} ({@code UNREACHABLE} or
	 * {@code BUSY})
	 */
	public Mono<FastCgiConnection> acquire(EventLoop loop, Duration connectTimeout, Duration acquireTimeout) {
		return new ConnectionHandover(this, loop, connectTimeout, acquireTimeout, false);
	}

	/**
	 * Get a new connection where the maximum allows one, else as {@link #acquire} does
	 * (for a request passed once more after a kept connection turned out closed).
	 * @param loop the event loop a new connection runs on
	 * @param connectTimeout how long opening a connection may take
	 * @param acquireTimeout how long to wait when all connections are in use
	 * @return the connection; fails with {@link FastCgiFailure}
	 */
	public Mono<FastCgiConnection> acquireNew(EventLoop loop, Duration connectTimeout, Duration acquireTimeout) {
		return new ConnectionHandover(this, loop, connectTimeout, acquireTimeout, true);
	}

	/** Find a connection for a request that just subscribed. */
	void start(ConnectionHandover.Turn turn) {
		FastCgiConnection reused = null;
		boolean waiting = false;
		synchronized (this) {
			if (!turn.pending()) {
				// gone already (its cancel found nothing to take back)
				return;
			}
			if (this.closed) {
				turn.fail(stopped());
				return;
			}
			boolean fresh = turn.acquire().fresh && this.open < this.maxConnections;
			while (!fresh && (reused = this.idle.pollFirst()) != null && !reused.isActive()) {
				// closing: its close listener does the accounting
			}
			if (reused == null) {
				if (this.open < this.maxConnections) {
					this.open++;
				}
				else {
					this.waiters.addLast(turn);
					waiting = true;
				}
			}
		}
		ConnectionHandover acquire = turn.acquire();
		if (reused != null) {
			reused.leaveIdle();
			if (!turn.offer(reused)) {
				giveBack(reused);
			}
		}
		else if (waiting) {
			turn.expireWith(acquire.loop.schedule(() -> {
				if (turn
					.fail(new FastCgiFailure(FastCgiFailure.Kind.BUSY, "all " + this.maxConnections + " connections to "
							+ this.address + " busy for " + acquire.acquireTimeout.toMillis() + " ms"))) {
					remove(turn);
				}
			}, acquire.acquireTimeout.toMillis(), TimeUnit.MILLISECONDS));
		}
		else {
			open(turn);
		}
	}

	/** A connection that never carried a request comes back. */
	void giveBack(FastCgiConnection connection) {
		release(connection, true);
	}

	private static FastCgiFailure stopped() {
		return new FastCgiFailure(FastCgiFailure.Kind.UNREACHABLE, "the plugin stopped");
	}

	/**
	 * Open a connection for a slot already counted in {@code open}; one its request no
	 * longer takes never carried a request, and goes back.
	 */
	private void open(ConnectionHandover.Turn turn) {
		ConnectionHandover acquire = turn.acquire();
		EventLoop loop = acquire.loop;
		boolean nio = loop instanceof IoEventLoopGroup group && group.isIoType(NioIoHandler.class);
		TcpClient.newConnection()
			.runOn(loop)
			.remoteAddress(() -> this.address.socketAddress(nio))
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
					(int) Math.min(Integer.MAX_VALUE, acquire.connectTimeout.toMillis()))
			.connect()
			.subscribe((connection) -> {
				this.opened.increment();
				FastCgiConnection fastcgi = new FastCgiConnection(connection, this);
				this.all.add(fastcgi);
				// watched only once known to the pool: a connection the server closed at
				// once is then forgotten too, not kept in the list of open ones
				fastcgi.watchClose();
				if (this.closed) {
					// stopped while connecting
					fastcgi.close();
					turn.fail(stopped());
				}
				else if (!turn.offer(fastcgi)) {
					giveBack(fastcgi);
				}
			}, (ex) -> {
				slotFreed();
				turn.fail(new FastCgiFailure(FastCgiFailure.Kind.UNREACHABLE, "cannot connect to " + this.address + ": "
						+ ((ex instanceof ConnectException) ? ex.getMessage() : ex.toString())));
			});
	}

	/**
	 * Give a connection back after a request.
	 * @param connection the connection
	 * @param reusable whether it may serve another request (the request completed and the
	 * server keeps the connection)
	 */
	public void release(FastCgiConnection connection, boolean reusable) {
		if (!reusable || !connection.isActive()) {
			connection.close();
			return;
		}
		while (true) {
			ConnectionHandover.Turn waiter;
			synchronized (this) {
				if (this.closed || this.open > this.maxConnections) {
					waiter = null;
				}
				else {
					waiter = this.waiters.pollFirst();
					if (waiter == null) {
						this.idle.addFirst(connection);
						connection.enterIdle(this.idleTimeout);
						return;
					}
				}
			}
			if (waiter == null) {
				connection.close();
				return;
			}
			if (waiter.offer(connection)) {
				return;
			}
		}
	}

	/**
	 * Close every connection, idle or busy (when the server stops): a request still on
	 * one ends as the server closing would end it.
	 * @return the connections' closes, done once each is closed
	 */
	public List<Future<?>> close() {
		synchronized (this) {
			this.closed = true;
			this.idle.clear();
		}
		List<Future<?>> closes = new ArrayList<>();
		for (FastCgiConnection connection : new ArrayList<>(this.all)) {
			closes.add(connection.close());
		}
		return closes;
	}

	/**
	 * Close an idle connection whose idle time is over, unless a request took it first.
	 * @param connection the connection
	 */
	void expire(FastCgiConnection connection) {
		boolean wasIdle;
		synchronized (this) {
			wasIdle = this.idle.remove(connection);
		}
		if (wasIdle) {
			connection.close();
		}
	}

	/**
	 * A connection closed: its slot is free for a waiting request.
	 * @param connection the connection
	 */
	void closed(FastCgiConnection connection) {
		this.all.remove(connection);
		synchronized (this) {
			this.idle.remove(connection);
		}
		slotFreed();
	}

	private void slotFreed() {
		ConnectionHandover.Turn waiter = null;
		synchronized (this) {
			this.open--;
			ConnectionHandover.Turn next;
			while (this.open < this.maxConnections && (next = this.waiters.pollFirst()) != null) {
				if (next.pending()) {
					this.open++;
					waiter = next;
					break;
				}
			}
		}
		if (waiter != null) {
			// a waiter that leaves meanwhile does not take the new connection: it goes
			// back to the pool
			open(waiter);
		}
	}

	synchronized void remove(ConnectionHandover.Turn waiter) {
		this.waiters.remove(waiter);
	}

	/**
	 * Count a request passed to this server.
	 * @param failed whether it failed on the server's side (502, 503 or 504)
	 */
	public void count(boolean failed) {
		this.requests.increment();
		if (failed) {
			this.errors.increment();
		}
	}

	/**
	 * The pool's state for monitoring.
	 * @return the state
	 */
	public synchronized ServerStatus status() {
		int idleCount = this.idle.size();
		return new ServerStatus(this.address.toString(), this.open, idleCount, this.open - idleCount,
				this.waiters.size(), this.maxConnections, this.opened.sum(), this.requests.sum(), this.errors.sum());
	}

	/**
	 * One application server's pool and counters, as monitoring shows them.
	 *
	 * @param server the server's address
	 * @param open connections open (or opening)
	 * @param idle connections open and waiting for a request
	 * @param inUse connections serving a request (or opening)
	 * @param waiting requests waiting for a connection
	 * @param maxConnections the maximum of open connections
	 * @param opened connections opened since the start
	 * @param requests requests passed to the server
	 * @param errors requests that failed on the server's side (502, 503, 504)
	 */
	public record ServerStatus(String server, int open, int idle, int inUse, int waiting, int maxConnections,
			long opened, long requests, long errors) {
	}

}
