package dev.capuchin.core.internal.http;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.ReferenceCounted;
import io.netty.util.concurrent.PromiseCombiner;

/**
 * A whole HTTP/1.1 response whose status line and header block are encoded already: the
 * direct path's answer, copied from byte blocks formatted once per second and once per
 * file instead of being encoded header by header. Only a codec that knows it takes it
 * ({@code Http1ServerCodec}): that codec still counts it as the answer to the oldest
 * request.
 * <p>
 * Releasing it releases its parts; {@link #writeTo} hands them on instead.
 */
public final class EncodedResponse extends AbstractReferenceCounted {

	private final ByteBuf head;

	private final Object body;

	/**
	 * A response.
	 * @param head the status line and the header block, up to and with the empty line
	 * @param body the body as a {@link ByteBuf} or a {@link FileRegion}, or {@code null}
	 * for none (an answer to {@code HEAD}, or an empty file)
	 */
	public EncodedResponse(ByteBuf head, Object body) {
		this.head = head;
		this.body = body;
	}

	/**
	 * Encode header lines as an HTTP/1.1 response carries them.
	 * @param all the headers, validated when they were set
	 * @return each header as {@code Name: value} and CRLF, in order, in US-ASCII, the
	 * name in its registered case
	 */
	public static byte[] lines(HttpHeaders... all) {
		StringBuilder lines = new StringBuilder(256);
		for (HttpHeaders headers : all) {
			Iterator<Map.Entry<CharSequence, CharSequence>> entries = headers.iteratorCharSequence();
			while (entries.hasNext()) {
				Map.Entry<CharSequence, CharSequence> header = entries.next();
				lines.append(HeaderNames.registered(header.getKey()))
					.append(": ")
					.append(header.getValue())
					.append("\r\n");
			}
		}
		return lines.toString().getBytes(StandardCharsets.US_ASCII);
	}

	/**
	 * Write the parts to the next handler towards the socket, and release this message.
	 * @param ctx the context of the handler that took it
	 * @param promise completed when the last part is written
	 */
	public void writeTo(ChannelHandlerContext ctx, ChannelPromise promise) {
		try {
			if (this.body == null) {
				ctx.write(this.head.retain(), promise);
			}
			else if (promise.isVoid()) {
				ctx.write(this.head.retain(), promise);
				ctx.write(ReferenceCountUtil.retain(this.body), promise);
			}
			else {
				PromiseCombiner both = new PromiseCombiner(ctx.executor());
				both.add(ctx.write(this.head.retain()));
				both.add(ctx.write(ReferenceCountUtil.retain(this.body)));
				both.finish(promise);
			}
		}
		finally {
			release();
		}
	}

	@Override
	public ReferenceCounted touch(Object hint) {
		this.head.touch(hint);
		ReferenceCountUtil.touch(this.body, hint);
		return this;
	}

	@Override
	protected void deallocate() {
		this.head.release();
		ReferenceCountUtil.release(this.body);
	}

}
