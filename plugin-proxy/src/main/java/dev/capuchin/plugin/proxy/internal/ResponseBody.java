package dev.capuchin.plugin.proxy.internal;

import java.util.ArrayDeque;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * A server's response body as a publisher for the client's response, with back-pressure:
 * what the server sends is passed on as the client's side asks for it; while the client's
 * side asks for nothing, a few buffers wait here and the server's connection stops
 * reading (its auto-read off), so that a slow client holds the server back instead of
 * filling the heap. Everything runs on the server connection's loop; demand and
 * cancellation from elsewhere are handed to it.
 */
final class ResponseBody implements Publisher<ByteBuf>, Subscription {

	/** Buffers held before the server's connection stops reading. */
	static final int HIGH_WATER = 4;

	private final EventLoop loop;

	private final UpstreamCall call;

	private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>(HIGH_WATER);

	private @Nullable Subscriber<? super ByteBuf> subscriber;

	private long demand;

	private long bytes;

	private boolean done;

	private @Nullable Throwable error;

	private boolean terminated;

	private boolean draining;

	ResponseBody(EventLoop loop, UpstreamCall call) {
		this.loop = loop;
		this.call = call;
	}

	long bytes() {
		return this.bytes;
	}

	@Override
	public void subscribe(Subscriber<? super ByteBuf> s) {
		if (!this.loop.inEventLoop()) {
			this.loop.execute(() -> subscribe(s));
			return;
		}
		if (this.subscriber != null) {
			s.onSubscribe(this);
			s.onError(new IllegalStateException("a response body can be read once"));
			return;
		}
		this.subscriber = s;
		s.onSubscribe(this);
		drain();
	}

	@Override
	public void request(long n) {
		if (!this.loop.inEventLoop()) {
			this.loop.execute(() -> request(n));
			return;
		}
		if (n <= 0 || this.terminated) {
			return;
		}
		this.demand = Math.max(0, Math.min(Long.MAX_VALUE - n, this.demand) + n);
		drain();
		if (this.queue.isEmpty() && !this.done) {
			this.call.resume();
		}
	}

	@Override
	public void cancel() {
		if (!this.loop.inEventLoop()) {
			this.loop.execute(this::cancel);
			return;
		}
		if (this.terminated) {
			return;
		}
		this.terminated = true;
		clear();
		this.call.cancel();
	}

	/** A piece of the body from the server; this takes its reference. */
	void offer(ByteBuf buffer) {
		if (this.terminated) {
			buffer.release();
			return;
		}
		this.queue.add(buffer);
		drain();
		if (this.queue.size() >= HIGH_WATER || (this.demand == 0 && !this.queue.isEmpty())) {
			this.call.pause();
		}
	}

	void complete() {
		this.done = true;
		drain();
	}

	void fail(Throwable failure) {
		if (this.done) {
			return;
		}
		this.done = true;
		this.error = failure;
		// the buffers before an error are of no use: the response cannot be finished
		clear();
		drain();
	}

	private void drain() {
		Subscriber<? super ByteBuf> s = this.subscriber;
		if (s == null || this.draining) {
			return;
		}
		this.draining = true;
		try {
			while (!this.terminated) {
				if (this.demand > 0 && !this.queue.isEmpty()) {
					this.demand--;
					ByteBuf buffer = this.queue.poll();
					this.bytes += buffer.readableBytes();
					s.onNext(buffer);
					continue;
				}
				if (this.queue.isEmpty() && this.done) {
					this.terminated = true;
					Throwable failure = this.error;
					if (failure != null) {
						s.onError(failure);
					}
					else {
						s.onComplete();
					}
				}
				break;
			}
		}
		finally {
			this.draining = false;
		}
	}

	private void clear() {
		ByteBuf buffer;
		while ((buffer = this.queue.poll()) != null) {
			buffer.release();
		}
	}

}
