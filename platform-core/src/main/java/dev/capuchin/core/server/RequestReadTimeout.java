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
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers 408 to a client that starts a request and does not finish its headers in time
 * (a slowloris defence). Two handlers share this state: {@link #bytes()} sits before the
 * HTTP codec and starts the clock at the first byte of a request; {@link #requests()}
 * sits after it and stops the clock when the request's headers are decoded. Idle
 * keep-alive connections are the keep-alive timeout's business, not this one's.
 */
final class RequestReadTimeout {

	static final String BYTES = "capuchin.readTimeout.bytes";

	static final String REQUESTS = "capuchin.readTimeout.requests";

	private static final Logger logger = LoggerFactory.getLogger(RequestReadTimeout.class);

	private static final String TIMEOUT_BODY = "408 Request Timeout";

	private static final byte[] TIMEOUT = ("HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain\r\n"
			+ "Content-Length: " + TIMEOUT_BODY.length() + "\r\nConnection: close\r\n\r\n" + TIMEOUT_BODY)
		.getBytes(StandardCharsets.US_ASCII);

	private final long timeoutNanos;

	private boolean awaitingRequest = true;

	private ScheduledFuture<?> timer;

	RequestReadTimeout(Duration timeout) {
		this.timeoutNanos = timeout.toNanos();
	}

	ChannelInboundHandlerAdapter bytes() {
		return new ChannelInboundHandlerAdapter() {

			@Override
			public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
				if (RequestReadTimeout.this.awaitingRequest && RequestReadTimeout.this.timer == null
						&& msg instanceof ByteBuf buffer && buffer.isReadable()) {
					RequestReadTimeout.this.timer = ctx.executor()
						.schedule(() -> expire(ctx), RequestReadTimeout.this.timeoutNanos, TimeUnit.NANOSECONDS);
				}
				super.channelRead(ctx, msg);
			}

			@Override
			public void channelInactive(ChannelHandlerContext ctx) throws Exception {
				cancel();
				super.channelInactive(ctx);
			}

		};
	}

	ChannelInboundHandlerAdapter requests() {
		return new ChannelInboundHandlerAdapter() {

			@Override
			public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
				if (msg instanceof HttpRequest) {
					cancel();
					RequestReadTimeout.this.awaitingRequest = false;
				}
				if (msg instanceof LastHttpContent) {
					RequestReadTimeout.this.awaitingRequest = true;
				}
				super.channelRead(ctx, msg);
			}

		};
	}

	private void expire(ChannelHandlerContext ctx) {
		this.timer = null;
		if (!this.awaitingRequest || !ctx.channel().isActive()) {
			return;
		}
		logger.info("request from {} not received within {} ms: 408", ctx.channel().remoteAddress(),
				TimeUnit.NANOSECONDS.toMillis(this.timeoutNanos));
		ctx.writeAndFlush(Unpooled.wrappedBuffer(TIMEOUT)).addListener(ChannelFutureListener.CLOSE);
	}

	private void cancel() {
		if (this.timer != null) {
			this.timer.cancel(false);
			this.timer = null;
		}
	}

}
