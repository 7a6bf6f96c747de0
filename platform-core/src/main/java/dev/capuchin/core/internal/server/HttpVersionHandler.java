package dev.capuchin.core.internal.server;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code 505 HTTP Version Not Supported} to a request line whose major version is
 * not 1 on an HTTP/1.x connection, then closes it. Sits right after the HTTP codec,
 * before Reactor Netty sees the request: it would answer 400 to {@code HTTP/2.0} and echo
 * any other version in its status line. The response is always {@code HTTP/1.1}, the
 * highest version this connection speaks (RFC 9112 §2.3).
 */
final class HttpVersionHandler extends ChannelInboundHandlerAdapter {

	static final String NAME = "capuchin.httpVersion";

	private static final Logger logger = LoggerFactory.getLogger(HttpVersionHandler.class);

	private static final byte[] BODY = "505 HTTP Version Not Supported".getBytes(StandardCharsets.US_ASCII);

	private boolean refused;

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
		if (msg instanceof HttpRequest request && request.protocolVersion().majorVersion() != 1) {
			ReferenceCountUtil.release(msg);
			if (!this.refused) {
				this.refused = true;
				refuse(ctx, request);
			}
			return;
		}
		if (this.refused && msg instanceof HttpContent) {
			// the rest of the refused request, decoded before the connection closed
			ReferenceCountUtil.release(msg);
			return;
		}
		super.channelRead(ctx, msg);
	}

	private void refuse(ChannelHandlerContext ctx, HttpRequest request) {
		ConnectionState state = ConnectionState.of(ctx.channel());
		logger.info("connection {}: 505 for {} version {}", (state != null) ? state.id() : ctx.channel().id(),
				request.method(), request.protocolVersion());
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
				HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, Unpooled.wrappedBuffer(BODY));
		response.headers()
			.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
			.setInt(HttpHeaderNames.CONTENT_LENGTH, BODY.length)
			.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
		ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
	}

}
