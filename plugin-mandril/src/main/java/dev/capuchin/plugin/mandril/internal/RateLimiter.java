package dev.capuchin.plugin.mandril.internal;

import java.net.InetAddress;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import dev.capuchin.plugin.mandril.RateLimit;

/**
 * A token bucket per client address, kept as one number per client: the time at which its
 * bucket is full again (the generic cell rate algorithm). A request is admitted when that
 * time, pushed on by one request's worth, lies no more than a full bucket ahead of now.
 * Admission is one compare-and-set and allocates nothing for a known client.
 * <p>
 * Memory is bounded: a client whose bucket is full again is the same as an unknown one
 * and is forgotten by {@link #sweep()}; at {@code maxClients} a new client first sweeps
 * (at most once a second) and otherwise makes an arbitrary entry forgotten.
 */
public final class RateLimiter {

	private static final long NANOS_PER_SECOND = 1_000_000_000L;

	private final RateLimit limit;

	private final long interval;

	private final long tolerance;

	private final int maxClients;

	private final LongSupplier clock;

	private final ConcurrentHashMap<InetAddress, AtomicLong> clients = new ConcurrentHashMap<>();

	private final AtomicLong lastSweep = new AtomicLong(Long.MIN_VALUE);

	/**
	 * A limiter on the system clock.
	 * @param limit the rate and burst
	 * @param maxClients the most clients kept
	 */
	public RateLimiter(RateLimit limit, int maxClients) {
		this(limit, maxClients, System::nanoTime);
	}

	/**
	 * A limiter on a given clock.
	 * @param limit the rate and burst
	 * @param maxClients the most clients kept
	 * @param clock nanoseconds, as {@link System#nanoTime()}
	 */
	public RateLimiter(RateLimit limit, int maxClients, LongSupplier clock) {
		if (!limit.isOn()) {
			throw new IllegalArgumentException("rate: a limiter needs requests-per-second > 0");
		}
		this.limit = limit;
		this.interval = Math.max(1, (long) (NANOS_PER_SECOND / limit.requestsPerSecond()));
		this.tolerance = this.interval * limit.effectiveBurst();
		this.maxClients = maxClients;
		this.clock = clock;
	}

	/**
	 * The limit this limiter enforces.
	 * @return the limit
	 */
	public RateLimit limit() {
		return this.limit;
	}

	/**
	 * Take one request from a client's bucket.
	 * @param client the client address
	 * @return 0 when the request is admitted, else the nanoseconds until it would be
	 */
	public long acquire(InetAddress client) {
		long now = this.clock.getAsLong();
		AtomicLong full = this.clients.get(client);
		if (full == null) {
			full = admitNewClient(client, now);
		}
		while (true) {
			long current = full.get();
			long next = Math.max(current, now) + this.interval;
			long wait = next - now - this.tolerance;
			if (wait > 0) {
				return wait;
			}
			if (full.compareAndSet(current, next)) {
				return 0;
			}
		}
	}

	private AtomicLong admitNewClient(InetAddress client, long now) {
		if (this.clients.size() >= this.maxClients) {
			long last = this.lastSweep.get();
			if ((last == Long.MIN_VALUE || now - last >= NANOS_PER_SECOND) && this.lastSweep.compareAndSet(last, now)) {
				sweep(now);
			}
			Iterator<InetAddress> any = this.clients.keySet().iterator();
			while (this.clients.size() >= this.maxClients && any.hasNext()) {
				this.clients.remove(any.next());
			}
		}
		AtomicLong fresh = new AtomicLong(now);
		AtomicLong raced = this.clients.putIfAbsent(client, fresh);
		return (raced != null) ? raced : fresh;
	}

	/**
	 * Forget the clients whose buckets are full again.
	 */
	public void sweep() {
		sweep(this.clock.getAsLong());
	}

	private void sweep(long now) {
		this.clients.values().removeIf((full) -> full.get() - now <= 0);
	}

	/**
	 * The number of clients whose state is kept.
	 * @return the count
	 */
	public int size() {
		return this.clients.size();
	}

	/**
	 * Whole seconds for a {@code Retry-After} header.
	 * @param waitNanos the wait from {@link #acquire}
	 * @return the seconds, rounded up, at least 1
	 */
	public static long retryAfterSeconds(long waitNanos) {
		return Math.max(1, (waitNanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND);
	}

}
