package dev.capuchin.plugin.cgi.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Schedulers;

/**
 * A fixed number of places, taken without blocking: a request that finds none waits in
 * line, without a thread, for at most its queue timeout, and then fails with
 * {@link Full}. Places are handed to waiters in arrival order.
 */
public final class Limiter {

	private final int places;

	private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

	private int taken;

	/**
	 * Create a limiter.
	 * @param places the places
	 */
	public Limiter(int places) {
		this.places = places;
	}

	/**
	 * The places.
	 * @return the places
	 */
	public int places() {
		return this.places;
	}

	/**
	 * Places taken now.
	 * @return the count
	 */
	public synchronized int taken() {
		return this.taken;
	}

	/**
	 * Requests waiting now.
	 * @return the count
	 */
	public synchronized int waiting() {
		return this.waiters.size();
	}

	/**
	 * Take a place.
	 * @param wait how long to wait for one
	 * @return the place, to {@link Place#release() release} once done; fails with
	 * {@link Full} when none was free in time
	 */
	public Mono<Place> acquire(Duration wait) {
		return Mono.create((sink) -> {
			Waiter waiter = new Waiter(sink);
			boolean granted;
			synchronized (this) {
				granted = this.taken < this.places && this.waiters.isEmpty();
				if (granted) {
					this.taken++;
					waiter.claimed.set(true);
				}
				else {
					this.waiters.add(waiter);
				}
			}
			if (granted) {
				sink.success(new Place(this));
				return;
			}
			// whoever claims the waiter first decides: a release hands it a place, the
			// timer refuses it, a cancel withdraws it
			Disposable timer = Schedulers.parallel().schedule(() -> {
				if (waiter.claimed.compareAndSet(false, true)) {
					withdraw(waiter);
					sink.error(new Full());
				}
			}, wait.toMillis(), TimeUnit.MILLISECONDS);
			sink.onDispose(timer);
			sink.onCancel(() -> {
				waiter.cancelled = true;
				if (waiter.claimed.compareAndSet(false, true)) {
					withdraw(waiter);
				}
			});
		});
	}

	private synchronized void withdraw(Waiter waiter) {
		this.waiters.remove(waiter);
	}

	private void release() {
		while (true) {
			Waiter next;
			synchronized (this) {
				next = this.waiters.poll();
				if (next == null) {
					this.taken--;
					return;
				}
			}
			// the place goes to the next waiter unless it was cancelled meanwhile
			if (next.claimed.compareAndSet(false, true)) {
				Place place = new Place(this);
				next.sink.success(place);
				if (next.cancelled) {
					// cancelled between the claim and the hand-over: the place comes back
					place.release();
				}
				return;
			}
		}
	}

	/** One taken place. */
	public static final class Place {

		private final Limiter limiter;

		private final AtomicBoolean released = new AtomicBoolean();

		Place(Limiter limiter) {
			this.limiter = limiter;
		}

		/** Give the place back; later calls do nothing. */
		public void release() {
			if (this.released.compareAndSet(false, true)) {
				this.limiter.release();
			}
		}

	}

	/** No place was free in time. */
	public static final class Full extends TimeoutException {

		public Full() {
			super("no place free");
		}

	}

	private static final class Waiter {

		final MonoSink<Place> sink;

		final AtomicBoolean claimed = new AtomicBoolean();

		volatile boolean cancelled;

		Waiter(MonoSink<Place> sink) {
			this.sink = sink;
		}

	}

}
