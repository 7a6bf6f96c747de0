package dev.capuchin.plugin.proxy.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.pool.ChannelHealthChecker;
import io.netty.channel.pool.ChannelPoolHandler;
import io.netty.channel.pool.FixedChannelPool;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.SingleThreadEventExecutor;

/**
 * The keep-alive connections of one worker loop to one server: Netty's
 * {@link FixedChannelPool} on that loop (at most {@code max-connections} open, a bounded
 * queue of waiting requests that fail after {@code pending-acquire-timeout}), most
 * recently used first, and a sweep that closes connections left unused for
 * {@code max-idle-time}, so that no connection stays open to a server nobody calls.
 */
final class UpstreamPool extends FixedChannelPool {

	// touched on the pool's loop only (Netty's FixedChannelPool acquires and releases on
	// its executor, the sweep and the shutdown hook run there too): a plain deque, no
	// node allocated per release
	private final Deque<Channel> idle = new ArrayDeque<>();

	private final long maxIdleNanos;

	private final ScheduledFuture<?> sweep;

	private final EventLoop loop;

	UpstreamPool(Bootstrap bootstrap, ChannelPoolHandler handler, EventLoop loop, int maxConnections,
			long acquireTimeoutMillis, long maxIdleNanos) {
		super(bootstrap, handler, ChannelHealthChecker.ACTIVE, AcquireTimeoutAction.FAIL, acquireTimeoutMillis,
				maxConnections, maxConnections * 4, true, true);
		this.loop = loop;
		this.maxIdleNanos = maxIdleNanos;
		long period = Math.max(TimeUnit.NANOSECONDS.toMillis(maxIdleNanos) / 2, 100);
		this.sweep = loop.scheduleWithFixedDelay(this::closeIdle, period, period, TimeUnit.MILLISECONDS);
		if (loop instanceof SingleThreadEventExecutor executor) {
			// the kernel stops its loops before its plugins: the unused connections are
			// closed while their loop still runs, instead of being left to its end
			executor.addShutdownHook(this::closeAllIdle);
		}
	}

	private void closeAllIdle() {
		this.sweep.cancel(false);
		Channel channel;
		while ((channel = this.idle.pollFirst()) != null) {
			channel.close();
		}
	}

	EventLoop loop() {
		return this.loop;
	}

	@Override
	protected Channel pollChannel() {
		// most recently used first: the warm connections stay busy, the cold ones age
		// out. Off the loop there is nothing to give: Netty's pool closes its channels
		// on Netty's one global thread and waits there for each close, which needs the
		// channel's loop; a loop that is busy or stopping would hold that thread, and
		// with it every notice that a loop group has terminated (every later stop of the
		// node then runs into its timeouts). The loop closes them itself (closeAllIdle).
		return this.loop.inEventLoop() ? this.idle.pollFirst() : null;
	}

	@Override
	protected boolean offerChannel(Channel channel) {
		UpstreamConnection.of(channel).idleSince(System.nanoTime());
		this.idle.offerFirst(channel);
		return true;
	}

	private void closeIdle() {
		long now = System.nanoTime();
		Channel channel;
		while ((channel = this.idle.peekLast()) != null
				&& now - UpstreamConnection.of(channel).idleSince() >= this.maxIdleNanos) {
			this.idle.pollLast();
			// counted as released already: closing it frees nothing in the pool's count
			channel.close();
		}
	}

	/**
	 * Close the unused connections on the pool's loop, without waiting for them, and the
	 * pool: the requests still waiting for a connection fail.
	 * @return done when the pool is closed
	 */
	@Override
	public Future<Void> closeAsync() {
		try {
			this.loop.execute(this::closeAllIdle);
		}
		catch (RejectedExecutionException ex) {
			// the loop has stopped, and closed its connections with it
		}
		return super.closeAsync();
	}

}
