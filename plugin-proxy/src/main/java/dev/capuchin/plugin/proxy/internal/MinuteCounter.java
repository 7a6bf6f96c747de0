package dev.capuchin.plugin.proxy.internal;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Events in the last minute, in six buckets of ten seconds: the current bucket is cleared
 * when time moves into it, so the count covers 50 to 60 seconds. Lock-free; a race at a
 * bucket's turn may lose an event, which a monitoring figure can afford.
 */
public final class MinuteCounter {

	private static final long BUCKET_MILLIS = 10_000;

	private static final int BUCKETS = 6;

	private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

	private final AtomicLongArray epochs = new AtomicLongArray(BUCKETS);

	public void add(long nowMillis) {
		long epoch = nowMillis / BUCKET_MILLIS;
		int slot = (int) (epoch % BUCKETS);
		long seen = this.epochs.get(slot);
		if (seen != epoch && this.epochs.compareAndSet(slot, seen, epoch)) {
			this.counts.set(slot, 0);
		}
		this.counts.incrementAndGet(slot);
	}

	public long sum(long nowMillis) {
		long epoch = nowMillis / BUCKET_MILLIS;
		long sum = 0;
		for (int slot = 0; slot < BUCKETS; slot++) {
			if (epoch - this.epochs.get(slot) < BUCKETS) {
				sum += this.counts.get(slot);
			}
		}
		return sum;
	}

}
