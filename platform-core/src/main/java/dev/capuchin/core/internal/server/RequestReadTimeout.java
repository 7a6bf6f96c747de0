package dev.capuchin.core.internal.server;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.NettyPipeline;

/**
 * The two clocks of an HTTP/1.x connection, on one timer. A client that starts a request
 * and does not finish its headers within the request-read timeout gets 408 and is closed
 * (a slowloris defence); a connection that waits for its next request longer than the
 * keep-alive timeout is closed.
 * <p>
 * The handler sits where it sees the connection's plain bytes (first, or right after TLS)
 * and notes the first byte of a request; the {@link Dispatcher} tells it when a request's
 * headers were decoded and when its response is done. One scheduled task per connection
 * checks the clocks and re-arms itself, so requests cost no timer of their own.
 * <p>
 * The HTTP/1.1 codec of TLS (ALPN) and h2c listeners only appears once the connection has
 * negotiated; the handler installs the {@link Http1RequestGuard} behind it then, and
 * leaves an HTTP/2 connection, which has streams and flow control of its own, to itself.
 */
final class RequestReadTimeout extends ChannelInboundHandlerAdapter {

	static final String NAME = "capuchin.readTimeout";

	private static final Logger logger = LoggerFactory.getLogger(RequestReadTimeout.class);

	private static final String TIMEOUT_BODY = "408 Request Timeout";

	private static final byte[] TIMEOUT = ("HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain\r\n"
			+ "Content-Length: " + TIMEOUT_BODY.length() + "\r\nConnection: close\r\n\r\n" + TIMEOUT_BODY)
		.getBytes(StandardCharsets.US_ASCII);

	private final long readTimeoutNanos;

	private final long idleTimeoutNanos;

	private ChannelHandlerContext context;

	private boolean awaitingRequest = true;

	/** When the first byte of the awaited request arrived, or 0. */
	private long requestStartNanos;

	/** Since when the connection has been waiting for a request. */
	private long idleSinceNanos;

	private boolean versionHandlerInstalled;

	/** Whether the connection may turn to HTTP/2 (h2 by ALPN, h2c). */
	private final boolean mayTurnHttp2;

	private ScheduledFuture<?> timer;

	private long timerDeadlineNanos;

	private final RefusedRequests refusals;

	RequestReadTimeout(Duration readTimeout, Duration idleTimeout, boolean mayTurnHttp2, RefusedRequests refusals) {
		this.refusals = refusals;
		this.readTimeoutNanos = readTimeout.toNanos();
		this.idleTimeoutNanos = idleTimeout.toNanos();
		this.mayTurnHttp2 = mayTurnHttp2;
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.context = ctx;
		this.idleSinceNanos = System.nanoTime();
		if (ctx.channel().isRegistered()) {
			arm(this.idleSinceNanos + this.idleTimeoutNanos);
		}
	}

	@Override
	public void channelRegistered(ChannelHandlerContext ctx) throws Exception {
		if (this.timer == null) {
			arm(this.idleSinceNanos + this.idleTimeoutNanos);
		}
		super.channelRegistered(ctx);
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
		if (this.awaitingRequest && this.requestStartNanos == 0 && msg instanceof ByteBuf buffer
				&& buffer.isReadable()) {
			long now = System.nanoTime();
			this.requestStartNanos = now;
			long deadline = now + this.readTimeoutNanos;
			if (this.timer == null || this.timerDeadlineNanos - deadline > 0) {
				rearm(deadline);
			}
		}
		ChannelPipeline pipeline = ctx.pipeline();
		if (!this.versionHandlerInstalled) {
			installVersionHandler(pipeline);
		}
		super.channelRead(ctx, msg);
		if (this.mayTurnHttp2 && pipeline.get(NettyPipeline.H2MultiplexHandler) != null) {
			cancel();
			pipeline.remove(this);
		}
		else if (!this.versionHandlerInstalled) {
			installVersionHandler(pipeline);
		}
	}

	private void installVersionHandler(ChannelPipeline pipeline) {
		// Reactor Netty's HTTP/1.1 codec, or ours in its place
		ChannelHandlerContext codec = pipeline.context(HttpServerCodec.class);
		if (codec == null) {
			codec = pipeline.context(Http1ServerCodec.class);
		}
		if (codec != null) {
			pipeline.addAfter(codec.name(), Http1RequestGuard.NAME, new Http1RequestGuard(this.refusals));
			this.versionHandlerInstalled = true;
		}
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		cancel();
		super.channelInactive(ctx);
	}

	/**
	 * A request's headers were decoded: no clock runs until its response is done. Called
	 * on the connection's event loop.
	 */
	void requestStarted() {
		this.awaitingRequest = false;
		this.requestStartNanos = 0;
	}

	/**
	 * The response is complete: the connection waits for its next request.
	 */
	void requestFinished() {
		if (this.context == null) {
			return;
		}
		if (this.context.executor().inEventLoop()) {
			idle();
		}
		else {
			this.context.executor().execute(this::idle);
		}
	}

	private void idle() {
		this.awaitingRequest = true;
		this.idleSinceNanos = System.nanoTime();
	}

	private void check() {
		this.timer = null;
		ChannelHandlerContext ctx = this.context;
		if (ctx == null || !ctx.channel().isActive()) {
			return;
		}
		long now = System.nanoTime();
		if (!this.awaitingRequest) {
			// a request is being served: look again one read timeout later
			arm(now + this.readTimeoutNanos);
		}
		else if (this.requestStartNanos != 0) {
			long deadline = this.requestStartNanos + this.readTimeoutNanos;
			if (now - deadline >= 0) {
				timeOut(ctx);
			}
			else {
				arm(deadline);
			}
		}
		else {
			long deadline = this.idleSinceNanos + this.idleTimeoutNanos;
			if (now - deadline >= 0) {
				logger.debug("connection {}: idle for {} ms, closing", connectionId(ctx),
						TimeUnit.NANOSECONDS.toMillis(this.idleTimeoutNanos));
				ctx.close();
			}
			else {
				arm(deadline);
			}
		}
	}

	private void timeOut(ChannelHandlerContext ctx) {
		this.refusals.refused(connectionId(ctx), Refusal.READ_TIMEOUT,
				"not received within " + TimeUnit.NANOSECONDS.toMillis(this.readTimeoutNanos) + " ms");
		ctx.writeAndFlush(Unpooled.wrappedBuffer(TIMEOUT)).addListener(ChannelFutureListener.CLOSE);
	}

	private static Object connectionId(ChannelHandlerContext ctx) {
		ConnectionState state = ConnectionState.of(ctx.channel());
		return (state != null) ? state.id() : ctx.channel().id();
	}

	private void rearm(long deadlineNanos) {
		cancel();
		arm(deadlineNanos);
	}

	private void arm(long deadlineNanos) {
		this.timerDeadlineNanos = deadlineNanos;
		long delay = Math.max(0, deadlineNanos - System.nanoTime());
		this.timer = this.context.executor().schedule(this::check, delay, TimeUnit.NANOSECONDS);
	}

	private void cancel() {
		if (this.timer != null) {
			this.timer.cancel(false);
			this.timer = null;
		}
	}

}
