package dev.capuchin.plugin.fastcgi.internal;

import java.time.Duration;
import java.util.concurrent.Future;

import io.netty.channel.EventLoop;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

/**
 * One acquire of a {@link ServerPool}: the hand-over of a connection to the request that
 * asked for it. The pool offers a connection, or a failure, at most once; the offer says
 * whether the request took it. A connection is either delivered to the request (which
 * then owns it), or refused and given back by the pool, or (when it arrived before the
 * request asked for it) given back when the request goes away: never dropped on the way.
 * Reactor's {@code MonoSink} cannot promise that: a value offered while a cancel is in
 * progress is dropped without being discarded, and its connection's slot was lost for
 * good.
 */
final class ConnectionHandover extends Mono<FastCgiConnection> {

	private final ServerPool pool;

	final EventLoop loop;

	final Duration connectTimeout;

	final Duration acquireTimeout;

	/** Whether a new connection is wanted rather than an idle one, where one may open. */
	final boolean fresh;

	ConnectionHandover(ServerPool pool, EventLoop loop, Duration connectTimeout, Duration acquireTimeout,
			boolean fresh) {
		this.pool = pool;
		this.loop = loop;
		this.connectTimeout = connectTimeout;
		this.acquireTimeout = acquireTimeout;
		this.fresh = fresh;
	}

	@Override
	public void subscribe(CoreSubscriber<? super FastCgiConnection> actual) {
		Turn turn = new Turn(this, actual);
		actual.onSubscribe(turn);
		this.pool.start(turn);
	}

	/** The state of one subscription. */
	final class Turn implements Subscription {

		private final ConnectionHandover acquire;

		private final CoreSubscriber<? super FastCgiConnection> actual;

		private boolean requested;

		/** Set once: delivered, failed, or cancelled. */
		private boolean done;

		private @Nullable FastCgiConnection held;

		/**
		 * The acquire timeout's task, cancelled once the wait is over: a loop keeps a
		 * scheduled task, and the request this turn leads to, until the task's time.
		 */
		private @Nullable Future<?> expiry;

		Turn(ConnectionHandover acquire, CoreSubscriber<? super FastCgiConnection> actual) {
			this.acquire = acquire;
			this.actual = actual;
		}

		ConnectionHandover acquire() {
			return this.acquire;
		}

		/**
		 * Keeps the task that fails this turn at its acquire timeout, to cancel it when
		 * the wait ends otherwise (cancelled at once when it has ended already).
		 * @param task the scheduled task
		 */
		void expireWith(Future<?> task) {
			synchronized (this) {
				if (!this.done && this.held == null) {
					this.expiry = task;
					return;
				}
			}
			task.cancel(false);
		}

		/** The wait is over: the acquire timeout has nothing left to do. */
		private void endWait() {
			Future<?> task;
			synchronized (this) {
				task = this.expiry;
				this.expiry = null;
			}
			if (task != null) {
				task.cancel(false);
			}
		}

		/**
		 * Whether the request still waits for a connection.
		 * @return {@code true} until a connection or a failure was offered, or the
		 * request went away
		 */
		synchronized boolean pending() {
			return !this.done && this.held == null;
		}

		/**
		 * Offer a connection.
		 * @param connection the connection
		 * @return whether the request took it (or holds it until it asks); when
		 * {@code false} the caller still owns the connection
		 */
		boolean offer(FastCgiConnection connection) {
			boolean taken;
			synchronized (this) {
				if (this.done || this.held != null) {
					return false;
				}
				taken = this.requested;
				if (taken) {
					this.done = true;
				}
				else {
					this.held = connection;
				}
			}
			endWait();
			if (taken) {
				deliver(connection);
			}
			return true;
		}

		/**
		 * Offer a failure.
		 * @param failure why
		 * @return whether the request was still waiting
		 */
		boolean fail(Throwable failure) {
			synchronized (this) {
				if (this.done || this.held != null) {
					return false;
				}
				this.done = true;
			}
			endWait();
			this.actual.onError(failure);
			return true;
		}

		@Override
		public void request(long n) {
			if (!Operators.validate(n)) {
				return;
			}
			FastCgiConnection connection;
			synchronized (this) {
				if (this.requested) {
					return;
				}
				this.requested = true;
				connection = this.held;
				if (connection == null || this.done) {
					return;
				}
				this.held = null;
				this.done = true;
			}
			deliver(connection);
		}

		@Override
		public void cancel() {
			FastCgiConnection connection;
			synchronized (this) {
				if (this.done) {
					return;
				}
				this.done = true;
				connection = this.held;
				this.held = null;
			}
			endWait();
			if (connection != null) {
				// handed over, never asked for: it carried no request
				ConnectionHandover.this.pool.giveBack(connection);
			}
			else {
				ConnectionHandover.this.pool.remove(this);
			}
		}

		private void deliver(FastCgiConnection connection) {
			// from here the request owns the connection: its operators release or close
			// it whatever signal ends them (complete, error, or cancel)
			this.actual.onNext(connection);
			this.actual.onComplete();
		}

	}

}
