package dev.capuchin.core.internal.server;

import java.nio.charset.StandardCharsets;

import dev.capuchin.core.internal.http.EncodedResponse;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * Keeps an HTTP/1.x connection in step with its requests. Sits right after the HTTP/1.1
 * codec, whichever codec that is (Capuchin's, or Reactor Netty's on listeners that offer
 * HTTP/2), and before anything acts on a request:
 * <ul>
 * <li>a request whose framing is in doubt ({@link RequestCheck#framing}), or whose major
 * version is not 1, is answered here and the connection closed; nothing decoded after it
 * goes further, so no byte of its body can become a request;</li>
 * <li>a body that fails to decode ends the connection after the answer to its request,
 * and never causes a second answer;</li>
 * <li>every response says {@code HTTP/1.1}, the highest version the connection speaks
 * (RFC 9110 §6.2), whatever version the request gave.</li>
 * </ul>
 */
final class Http1RequestGuard extends ChannelDuplexHandler {

	static final String NAME = "capuchin.requestGuard";

	private final RefusedRequests refusals;

	/** Requests handed on whose answer has not been written completely. */
	private int pending;

	/** Whether nothing more is read from this connection. */
	private boolean discarding;

	private boolean closeAfterAnswer;

	Http1RequestGuard(RefusedRequests refusals) {
		this.refusals = refusals;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
		if (this.discarding) {
			ReferenceCountUtil.release(msg);
			return;
		}
		if (msg instanceof HttpRequest request) {
			Refusal refusal = refusal(request);
			if (refusal != null) {
				ReferenceCountUtil.release(msg);
				this.discarding = true;
				refuse(ctx, request, refusal);
				return;
			}
			if (request.decoderResult().isFailure()) {
				// answered by what follows (400, 414 or 431); the decoder reads no more
				this.refusals.refused(connectionId(ctx), Refusal.MALFORMED, request.decoderResult().cause());
			}
			else if (request.protocolVersion().minorVersion() > 1) {
				// HTTP/1.2 and later are answered as HTTP/1.1 (RFC 9110 §2.5)
				request.setProtocolVersion(HttpVersion.HTTP_1_1);
			}
			this.pending++;
		}
		else if (msg instanceof HttpContent content && content.decoderResult().isFailure()) {
			bodyFailed(ctx, content);
			return;
		}
		ctx.fireChannelRead(msg);
	}

	private static Refusal refusal(HttpRequest request) {
		if (request.protocolVersion().majorVersion() != 1) {
			return Refusal.VERSION;
		}
		if (request.decoderResult().isFailure()) {
			return null;
		}
		return RequestCheck.framing(request.protocolVersion(), request.headers());
	}

	/**
	 * A chunk that does not decode: the decoder has stopped, and what the client sends
	 * next cannot be told apart from the body. The request it belongs to gets one answer,
	 * then the connection closes.
	 */
	private void bodyFailed(ChannelHandlerContext ctx, HttpContent content) {
		this.discarding = true;
		this.refusals.refused(connectionId(ctx), Refusal.BODY_UNDECODABLE, content.decoderResult().cause());
		if (this.pending == 0) {
			ReferenceCountUtil.release(content);
			ctx.close();
			return;
		}
		// the request is still being answered: whoever reads its body learns it failed
		this.closeAfterAnswer = true;
		ctx.fireChannelRead(content);
	}

	private void refuse(ChannelHandlerContext ctx, HttpRequest request, Refusal refusal) {
		this.refusals.refused(connectionId(ctx), refusal, request.method() + " " + request.protocolVersion());
		if (this.pending > 0) {
			// pipelined behind a request still being answered: that answer is the
			// connection's last, and this request gets none
			this.closeAfterAnswer = true;
			return;
		}
		HttpResponseStatus status = HttpResponseStatus.valueOf(refusal.status());
		byte[] body = (status.code() + " " + status.reasonPhrase()).getBytes(StandardCharsets.US_ASCII);
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
				Unpooled.wrappedBuffer(body));
		response.headers()
			.set(HttpHeaderNames.SERVER, ServerHeaders.SERVER)
			.set(ServerHeaders.X_CONTENT_TYPE_OPTIONS, ServerHeaders.NOSNIFF)
			.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
			.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
			.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
		ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
		if (msg instanceof HttpResponse response) {
			response.setProtocolVersion(HttpVersion.HTTP_1_1);
		}
		boolean answered = (msg instanceof EncodedResponse)
				|| (msg instanceof LastHttpContent && !(msg instanceof HttpResponse response
						&& response.status().codeClass() == HttpStatusClass.INFORMATIONAL));
		if (answered && this.pending > 0) {
			this.pending--;
			if (this.closeAfterAnswer && this.pending == 0) {
				ctx.write(msg, promise.unvoid()).addListener(ChannelFutureListener.CLOSE);
				ctx.flush();
				return;
			}
		}
		ctx.write(msg, promise);
	}

	private static Object connectionId(ChannelHandlerContext ctx) {
		ConnectionState state = ConnectionState.of(ctx.channel());
		return (state != null) ? state.id() : ctx.channel().id();
	}

}
