package dev.capuchin.plugin.fastcgi.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import reactor.netty.Connection;

/**
 * One connection to an application server, carrying one request at a time (Capuchin does
 * not multiplex: php-fpm refuses it). Its pipeline is the {@link RecordDecoder} and a
 * handler that hands each record to the {@link FastCgiCall} in progress; records with no
 * call in progress end the connection. The channel reads only when asked (Reactor Netty
 * leaves auto-read off), so a slow client slows the reads from the server instead of
 * filling memory.
 */
public final class FastCgiConnection {

	private final Connection connection;

	private final ServerPool pool;

	private volatile FastCgiCall call;

	private ScheduledFuture<?> idleTimer;

	/** Calls carried so far; one at a time, each begun after the previous one ended. */
	private volatile int calls;

	FastCgiConnection(Connection connection, ServerPool pool) {
		this.connection = connection;
		this.pool = pool;
		connection.addHandlerLast("fastcgi.decoder", new RecordDecoder());
		connection.addHandlerLast("fastcgi.records", new RecordHandler());
		connection.channel().config().setAutoRead(false);
	}

	/**
	 * Tell the pool when the connection closes, however it closes (at once if it has).
	 */
	void watchClose() {
		this.connection.channel().closeFuture().addListener((future) -> this.pool.closed(this));
	}

	/**
	 * The channel.
	 * @return the channel
	 */
	public Channel channel() {
		return this.connection.channel();
	}

	/**
	 * The pool the connection belongs to.
	 * @return the pool
	 */
	public ServerPool pool() {
		return this.pool;
	}

	boolean isActive() {
		return this.connection.channel().isActive();
	}

	ChannelFuture close() {
		return this.connection.channel().close();
	}

	/**
	 * Start carrying a call: its records go to it until it ends.
	 * @param call the call
	 * @return whether the connection carried a call before (kept alive)
	 */
	boolean begin(FastCgiCall call) {
		this.call = call;
		return this.calls++ > 0;
	}

	/**
	 * The call ended: records are no longer expected.
	 * @param call the call
	 */
	void end(FastCgiCall call) {
		if (this.call == call) {
			this.call = null;
		}
	}

	void enterIdle(Duration timeout) {
		Channel channel = this.connection.channel();
		channel.eventLoop().execute(() -> {
			// a closed idle connection is noticed by reading: php-fpm closes the ones it
			// no longer wants (a restart, pm.max_requests)
			channel.read();
			this.idleTimer = channel.eventLoop()
				.schedule(() -> this.pool.expire(this), timeout.toMillis(), TimeUnit.MILLISECONDS);
		});
	}

	void leaveIdle() {
		Channel channel = this.connection.channel();
		channel.eventLoop().execute(() -> {
			ScheduledFuture<?> timer = this.idleTimer;
			if (timer != null) {
				timer.cancel(false);
				this.idleTimer = null;
			}
		});
	}

	@Override
	public String toString() {
		return this.pool.address() + " " + this.connection.channel().id().asShortText();
	}

	private final class RecordHandler extends ChannelInboundHandlerAdapter {

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			FastCgiCall current = FastCgiConnection.this.call;
			if (!(msg instanceof FastCgiRecord record)) {
				ReferenceCountUtil.release(msg);
				return;
			}
			if (current == null || record.requestId() != FastCgiCall.REQUEST_ID) {
				// nothing may arrive on an idle connection: it is out of step
				record.release();
				ctx.close();
				return;
			}
			current.onRecord(record);
		}

		@Override
		public void channelReadComplete(ChannelHandlerContext ctx) {
			FastCgiCall current = FastCgiConnection.this.call;
			if (current != null) {
				current.onReadComplete();
			}
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			FastCgiCall current = FastCgiConnection.this.call;
			if (current != null) {
				current.lost("connection closed before the end of the response");
			}
			ctx.fireChannelInactive();
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			FastCgiCall current = FastCgiConnection.this.call;
			if (current != null) {
				current.fail(new FastCgiFailure(FastCgiFailure.Kind.BAD_RESPONSE, String.valueOf(cause.getMessage())));
			}
			ctx.close();
		}

	}

}
