package dev.capuchin.core.server;

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
 * Answers 408 to a client that starts a request and does not finish its headers in time
 * (a slowloris defence). It sits where it sees the connection's plain bytes (first, or
 * right after TLS) and starts the clock at the first byte of a request; the
 * {@link Dispatcher} stops it when the request's headers have been decoded and restarts
 * the wait when the response is done. Idle keep-alive connections are the keep-alive
 * timeout's business, not this one's.
 * <p>
 * The HTTP/1.1 codec of TLS (ALPN) and h2c listeners only appears once the connection has
 * negotiated; the handler installs the {@link HttpVersionHandler} behind it then, and
 * leaves an HTTP/2 connection, which has streams and flow control of its own, to itself.
 */
final class RequestReadTimeout extends ChannelInboundHandlerAdapter {

	static final String NAME = "capuchin.readTimeout";

	private static final Logger logger = LoggerFactory.getLogger(RequestReadTimeout.class);

	private static final String TIMEOUT_BODY = "408 Request Timeout";

	private static final byte[] TIMEOUT = ("HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain\r\n"
			+ "Content-Length: " + TIMEOUT_BODY.length() + "\r\nConnection: close\r\n\r\n" + TIMEOUT_BODY)
		.getBytes(StandardCharsets.US_ASCII);

	private final long timeoutNanos;

	private ChannelHandlerContext context;

	private boolean awaitingRequest = true;

	private boolean versionHandlerInstalled;

	private ScheduledFuture<?> timer;

	RequestReadTimeout(Duration timeout) {
		this.timeoutNanos = timeout.toNanos();
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.context = ctx;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
		if (this.awaitingRequest && this.timer == null && msg instanceof ByteBuf buffer && buffer.isReadable()) {
			this.timer = ctx.executor().schedule(this::expire, this.timeoutNanos, TimeUnit.NANOSECONDS);
		}
		ChannelPipeline pipeline = ctx.pipeline();
		if (!this.versionHandlerInstalled) {
			installVersionHandler(pipeline);
		}
		super.channelRead(ctx, msg);
		if (pipeline.get(NettyPipeline.H2MultiplexHandler) != null) {
			cancel();
			pipeline.remove(this);
		}
		else if (!this.versionHandlerInstalled) {
			installVersionHandler(pipeline);
		}
	}

	private void installVersionHandler(ChannelPipeline pipeline) {
		ChannelHandlerContext codec = pipeline.context(HttpServerCodec.class);
		if (codec != null) {
			pipeline.addAfter(codec.name(), HttpVersionHandler.NAME, new HttpVersionHandler());
			this.versionHandlerInstalled = true;
		}
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		cancel();
		super.channelInactive(ctx);
	}

	/**
	 * A request's headers were decoded: stop the clock until its response is done. Called
	 * on the connection's event loop.
	 */
	void requestStarted() {
		cancel();
		this.awaitingRequest = false;
	}

	/**
	 * The response is complete: the next bytes start the clock again.
	 */
	void requestFinished() {
		if (this.context == null) {
			return;
		}
		if (this.context.executor().inEventLoop()) {
			this.awaitingRequest = true;
		}
		else {
			this.context.executor().execute(() -> this.awaitingRequest = true);
		}
	}

	private void expire() {
		this.timer = null;
		ChannelHandlerContext ctx = this.context;
		if (!this.awaitingRequest || ctx == null || !ctx.channel().isActive()) {
			return;
		}
		ConnectionState state = ConnectionState.of(ctx.channel());
		logger.info("connection {}: request not received within {} ms: 408",
				(state != null) ? state.id() : ctx.channel().id(), TimeUnit.NANOSECONDS.toMillis(this.timeoutNanos));
		ctx.writeAndFlush(Unpooled.wrappedBuffer(TIMEOUT)).addListener(ChannelFutureListener.CLOSE);
	}

	private void cancel() {
		if (this.timer != null) {
			this.timer.cancel(false);
			this.timer = null;
		}
	}

}
