package dev.capuchin.core.internal.server;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;

import dev.capuchin.core.internal.http.EncodedResponse;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * The HTTP/1.1 codec of a connection on which the kernel answers files directly: Netty's
 * request decoder and response encoder, paired as {@link HttpServerCodec} pairs them, and
 * one more message the encoder takes, an {@link EncodedResponse}, whose header block the
 * direct path copied from blocks encoded once.
 * <p>
 * Like {@link HttpServerCodec}, it remembers the method of every decoded request, so that
 * the answer to a {@code HEAD} carries no body and a tunnel opened by {@code CONNECT} no
 * framing. An encoded response counts as an answer, so the methods stay in step with the
 * responses whichever path gives them. A request with both {@code Transfer-Encoding} and
 * {@code Content-Length} closes the connection after its answer.
 */
final class Http1ServerCodec extends CombinedChannelDuplexHandler<HttpRequestDecoder, HttpResponseEncoder> {

	/** Methods of the requests decoded and not answered yet, oldest first. */
	private final Queue<HttpMethod> methods = new ArrayDeque<>(4);

	private boolean mustCloseAfterResponse;

	/**
	 * A codec.
	 * @param config how requests are decoded: limits and header validation
	 */
	Http1ServerCodec(HttpDecoderConfig config) {
		init(new RequestDecoder(config), new ResponseEncoder());
	}

	/**
	 * How the connection's requests are decoded, from the kernel's limits: the same that
	 * Reactor Netty is given for its codec.
	 * @param limits the limits
	 * @return the decoder configuration
	 */
	static HttpDecoderConfig decoderConfig(Limits limits) {
		return new HttpDecoderConfig().setMaxInitialLineLength(limits.maxRequestLine())
			.setMaxHeaderSize(limits.maxHeaderSize())
			.setValidateHeaders(true);
	}

	private final class RequestDecoder extends HttpRequestDecoder {

		RequestDecoder(HttpDecoderConfig config) {
			super(config);
		}

		@Override
		protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
			int before = out.size();
			super.decode(ctx, buffer, out);
			for (int i = before; i < out.size(); i++) {
				if (out.get(i) instanceof HttpRequest request) {
					Http1ServerCodec.this.methods.add(request.method());
				}
			}
		}

		@Override
		protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
			super.handleTransferEncodingChunkedWithContentLength(message);
			Http1ServerCodec.this.mustCloseAfterResponse = true;
		}

	}

	private final class ResponseEncoder extends HttpResponseEncoder {

		/** The method of the request the response being encoded answers. */
		private HttpMethod method;

		@Override
		public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
			if (msg instanceof EncodedResponse encoded) {
				Http1ServerCodec.this.methods.poll();
				encoded.writeTo(ctx, closingIfAsked(promise));
				return;
			}
			super.write(ctx, msg, (msg instanceof LastHttpContent) ? closingIfAsked(promise) : promise);
		}

		/**
		 * The promise of a response's last part, closing the connection if a request
		 * asked.
		 */
		private ChannelPromise closingIfAsked(ChannelPromise promise) {
			if (!Http1ServerCodec.this.mustCloseAfterResponse) {
				return promise;
			}
			Http1ServerCodec.this.mustCloseAfterResponse = false;
			return promise.unvoid().addListener(ChannelFutureListener.CLOSE);
		}

		@Override
		protected void sanitizeHeadersBeforeEncode(HttpResponse msg, boolean isAlwaysEmpty) {
			if (!isAlwaysEmpty && HttpMethod.CONNECT.equals(this.method)
					&& msg.status().codeClass() == HttpStatusClass.SUCCESS) {
				// a tunnel has no framing (RFC 9110, 9.3.6)
				msg.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
				return;
			}
			super.sanitizeHeadersBeforeEncode(msg, isAlwaysEmpty);
		}

		@Override
		protected boolean isContentAlwaysEmpty(HttpResponse msg) {
			this.method = Http1ServerCodec.this.methods.poll();
			return HttpMethod.HEAD.equals(this.method) || super.isContentAlwaysEmpty(msg);
		}

	}

}
