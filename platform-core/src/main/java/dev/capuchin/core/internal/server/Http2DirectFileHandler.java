package dev.capuchin.core.internal.server;

import dev.capuchin.core.internal.http.DirectFiles;
import dev.capuchin.core.internal.http.DirectFiles.DirectRequest;
import dev.capuchin.core.spi.LogEvent;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.util.AttributeKey;

/**
 * Sits in every stream of an HTTP/2 connection, just after Reactor Netty's codec that
 * turns the stream's frames into an HTTP/1.1 request, and answers a plain file request
 * itself through {@link DirectFiles}, as {@link DirectFileHandler} does on an HTTP/1.1
 * connection and by the same rules ({@link DirectAnswers}): the answer goes out as a
 * {@code HEADERS} frame and one {@code DATA} frame, without the stream's reactive
 * exchange, and the LOG plugins get a {@link LogEvent}. Every other request goes on to
 * Reactor Netty and the {@link Dispatcher} unchanged.
 * <p>
 * Only a request whose {@code HEADERS} end the stream is taken: one that sends a body, or
 * {@code CONTINUATION} of any kind, is not plain. It serves the first stream of a
 * connection; the later ones are answered before they get a channel, by the connection's
 * {@link Http2ConnectionDirectHandler}.
 */
@Sharable
final class Http2DirectFileHandler extends ChannelInboundHandlerAdapter {

	static final String NAME = "capuchin.http2DirectFiles";

	/** The connection's handler, on the connection's channel. */
	static final AttributeKey<Http2DirectFileHandler> KEY = AttributeKey.valueOf("capuchin.http2DirectFiles");

	private final DirectAnswers answers;

	Http2DirectFileHandler(DirectAnswers answers) {
		this.answers = answers;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		// the codec decodes HEADERS with END_STREAM as a request without a body
		if (msg instanceof FullHttpRequest request) {
			DirectRequest direct = this.answers.request(request, false, true);
			if (direct != null && this.answers.answer(ctx, request, direct, null, null) >= 0) {
				request.release();
				// the connection's flush consolidation holds this until the end of the
				// read, where every stream's answer leaves together
				ctx.flush();
				return;
			}
		}
		ctx.fireChannelRead(msg);
	}

}
