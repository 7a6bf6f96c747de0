package dev.capuchin.core.internal.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;

import dev.capuchin.core.internal.http.EncodedResponse;
import dev.capuchin.core.internal.http.HeaderNames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;

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
 * <p>
 * Unlike Netty's, it reads the request line strictly and writes header names in their
 * registered case ({@link HeaderNames}).
 */
final class Http1ServerCodec extends CombinedChannelDuplexHandler<HttpRequestDecoder, HttpResponseEncoder> {

	private static final short COLON_SPACE = (':' << 8) | ' ';

	private static final short CRLF = ('\r' << 8) | '\n';

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

	/**
	 * Netty's request decoder, stricter about the request line: it is
	 * {@code method SP target SP HTTP/x.y} (RFC 9112 §3), with single spaces, nothing
	 * before the method but empty lines, and the protocol name in upper case. Netty takes
	 * runs of spaces, tabs and a lower-case {@code http} as a recipient may; a server
	 * that reads a request line another hop reads differently can be sent requests that
	 * hop never saw.
	 */
	private final class RequestDecoder extends HttpRequestDecoder {

		/** Whether the next byte that is not part of an empty line starts a request. */
		private boolean atRequestStart = true;

		/** Whether the request line being read began with whitespace. */
		private boolean leadingWhitespace;

		private int methodEnd;

		private int targetEnd;

		RequestDecoder(HttpDecoderConfig config) {
			super(config);
		}

		@Override
		protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
			if (this.atRequestStart) {
				noteLeadingWhitespace(buffer);
			}
			int before = out.size();
			super.decode(ctx, buffer, out);
			for (int i = before; i < out.size(); i++) {
				Object decoded = out.get(i);
				if (decoded instanceof HttpRequest request) {
					Http1ServerCodec.this.methods.add(request.method());
				}
				if (decoded instanceof LastHttpContent) {
					this.atRequestStart = true;
				}
			}
		}

		private void noteLeadingWhitespace(ByteBuf buffer) {
			for (int i = buffer.readerIndex(); i < buffer.writerIndex(); i++) {
				byte b = buffer.getByte(i);
				if (b != '\r' && b != '\n') {
					// RFC 9112 §2.2 lets empty lines precede a request line, nothing else
					this.leadingWhitespace = b <= ' ';
					this.atRequestStart = false;
					return;
				}
			}
		}

		@Override
		protected String splitFirstWordInitialLine(byte[] line, int start, int length) {
			if (this.leadingWhitespace) {
				this.leadingWhitespace = false;
				throw new IllegalArgumentException("whitespace before the request line");
			}
			this.methodEnd = start + length;
			return super.splitFirstWordInitialLine(line, start, length);
		}

		@Override
		protected String splitSecondWordInitialLine(byte[] line, int start, int length) {
			if (start != this.methodEnd + 1 || line[this.methodEnd] != ' ') {
				throw new IllegalArgumentException("request line not separated by single spaces");
			}
			this.targetEnd = start + length;
			return super.splitSecondWordInitialLine(line, start, length);
		}

		@Override
		protected String splitThirdWordInitialLine(byte[] line, int start, int length) {
			if (start != this.targetEnd + 1 || line[this.targetEnd] != ' ') {
				throw new IllegalArgumentException("request line not separated by single spaces");
			}
			// HTTP-version = "HTTP" "/" DIGIT "." DIGIT, case-sensitive (RFC 9112 §2.3)
			if (length != 8 || line[start] != 'H' || line[start + 1] != 'T' || line[start + 2] != 'T'
					|| line[start + 3] != 'P' || line[start + 4] != '/' || !isDigit(line[start + 5])
					|| line[start + 6] != '.' || !isDigit(line[start + 7])) {
				throw new IllegalArgumentException("invalid HTTP version");
			}
			return super.splitThirdWordInitialLine(line, start, length);
		}

		private static boolean isDigit(byte b) {
			return b >= '0' && b <= '9';
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

		/**
		 * Header lines with each name in its registered case, as
		 * {@code HttpObjectEncoder} writes them otherwise.
		 */
		@Override
		protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
			Iterator<Map.Entry<CharSequence, CharSequence>> entries = headers.iteratorCharSequence();
			while (entries.hasNext()) {
				Map.Entry<CharSequence, CharSequence> header = entries.next();
				CharSequence name = HeaderNames.registered(header.getKey());
				CharSequence value = header.getValue();
				buf.ensureWritable(name.length() + value.length() + 4);
				writeAscii(buf, name);
				buf.writeShort(COLON_SPACE);
				writeAscii(buf, value);
				buf.writeShort(CRLF);
			}
		}

		private static void writeAscii(ByteBuf buf, CharSequence text) {
			if (text instanceof AsciiString ascii) {
				ByteBufUtil.copy(ascii, buf);
			}
			else {
				buf.writeCharSequence(text, StandardCharsets.US_ASCII);
			}
		}

		@Override
		protected boolean isContentAlwaysEmpty(HttpResponse msg) {
			this.method = Http1ServerCodec.this.methods.poll();
			return HttpMethod.HEAD.equals(this.method) || super.isContentAlwaysEmpty(msg);
		}

	}

}
