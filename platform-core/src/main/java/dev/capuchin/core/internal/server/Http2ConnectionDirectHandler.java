package dev.capuchin.core.internal.server;

import java.util.ArrayDeque;

import javax.net.ssl.SSLException;

import dev.capuchin.core.internal.http.DirectFiles.DirectRequest;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2FrameStreamEvent;
import io.netty.handler.codec.http2.Http2FrameStreamException;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexActiveStreamsException;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;

/**
 * Sits in an HTTP/2 connection's own pipeline, between Netty's frame codec and Reactor
 * Netty's multiplexer, and answers a plain file request there, before a channel, a
 * pipeline and an exchange are made for its stream: the answer the stream's
 * {@link Http2DirectFileHandler} would give, by the same rules ({@link DirectAnswers}),
 * at a fraction of the cost. Every other stream goes on to the multiplexer as it came.
 * <p>
 * The codec announces a new stream (a state event) just before its {@code HEADERS}, in
 * the same read, and the multiplexer makes the stream's channel on that announcement. So
 * the announcement of a stream whose request has no body is held until its
 * {@code HEADERS} are read: if the request is answered here, neither goes further; if
 * not, both go on in their order. Anything else that arrives meanwhile lets the held
 * announcement go first. Later frames of a stream answered here (a reset sent while its
 * answer waits for flow control) stop here too, since the multiplexer has no channel for
 * them, until the stream closes.
 * <p>
 * The multiplexer takes every open stream to have a channel: it hands the connection's
 * writability, its shutdown and TLS-close events and its connection-wide errors to the
 * channels of all open streams. So while a stream answered here is open (until its answer
 * has left), those wait here, in their order, and go on once the last such stream has
 * closed; a connection-wide error also closes the connection, which closes the streams. A
 * stream error of a stream answered here stops here: the codec resets the stream itself.
 * <p>
 * Installed by the first stream of the connection, which its own handler answers; one
 * instance per connection, used on its event loop only.
 */
final class Http2ConnectionDirectHandler extends ChannelInboundHandlerAdapter {

	static final String NAME = "capuchin.h2ConnectionDirectFiles";

	private final DirectAnswers answers;

	/** The streams answered here that are not closed yet. */
	private final IntObjectMap<Boolean> answered = new IntObjectHashMap<>(8);

	/** The announcement of a new stream whose {@code HEADERS} come next. */
	private Http2FrameStreamEvent held;

	/** The highest stream seen announced: streams are opened in increasing order. */
	private int lastStream;

	/** What waits for the streams answered here to close. */
	private final ArrayDeque<Runnable> deferred = new ArrayDeque<>(4);

	/** Whether a writability change is among {@link #deferred}. */
	private boolean writabilityDeferred;

	Http2ConnectionDirectHandler(DirectAnswers answers) {
		this.answers = answers;
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
		if (evt instanceof Http2FrameStreamEvent event && event.type() == Http2FrameStreamEvent.Type.State) {
			Http2FrameStream stream = event.stream();
			if (stream.state() == Http2Stream.State.CLOSED && this.answered.remove(stream.id()) != null) {
				if (this.answered.isEmpty()) {
					runDeferred();
				}
				return;
			}
			if (stream.id() > this.lastStream) {
				this.lastStream = stream.id();
				// a request without a body: the only kind answered here
				if (stream.state() == Http2Stream.State.HALF_CLOSED_REMOTE) {
					releaseHeld(ctx);
					this.held = event;
					return;
				}
			}
		}
		releaseHeld(ctx);
		if (!(evt instanceof Http2FrameStreamEvent) && !this.answered.isEmpty()) {
			// the multiplexer hands shutdown and TLS-close events to every open stream
			this.deferred.add(() -> ctx.fireUserEventTriggered(evt));
			return;
		}
		ctx.fireUserEventTriggered(evt);
	}

	@Override
	public void channelWritabilityChanged(ChannelHandlerContext ctx) {
		if (this.answered.isEmpty()) {
			ctx.fireChannelWritabilityChanged();
		}
		else if (!this.writabilityDeferred) {
			// the multiplexer looks at the writability of the moment when it gets this
			this.writabilityDeferred = true;
			this.deferred.add(() -> {
				this.writabilityDeferred = false;
				ctx.fireChannelWritabilityChanged();
			});
		}
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		if (cause instanceof Http2FrameStreamException error && error.stream() != null
				&& this.answered.containsKey(error.stream().id())) {
			return;
		}
		if (!this.answered.isEmpty() && (cause instanceof Http2MultiplexActiveStreamsException
				|| cause.getCause() instanceof SSLException)) {
			this.deferred.add(() -> ctx.fireExceptionCaught(cause));
			ctx.close();
			return;
		}
		ctx.fireExceptionCaught(cause);
	}

	private void runDeferred() {
		Runnable next;
		while (this.answered.isEmpty() && (next = this.deferred.poll()) != null) {
			next.run();
		}
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
		if (msg instanceof Http2StreamFrame frame) {
			Http2FrameStream stream = frame.stream();
			if (this.held != null && stream != null && this.held.stream().id() == stream.id()
					&& msg instanceof Http2HeadersFrame headers && answer(ctx, stream, headers)) {
				this.held = null;
				this.answered.put(stream.id(), Boolean.TRUE);
				return;
			}
			if (stream != null && this.answered.containsKey(stream.id())) {
				ReferenceCountUtil.release(msg);
				return;
			}
		}
		releaseHeld(ctx);
		ctx.fireChannelRead(msg);
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) {
		releaseHeld(ctx);
		ctx.fireChannelReadComplete();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		releaseHeld(ctx);
		// the codec has closed every stream by now
		this.answered.clear();
		runDeferred();
		ctx.fireChannelInactive();
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		releaseHeld(ctx);
	}

	private void releaseHeld(ChannelHandlerContext ctx) {
		Http2FrameStreamEvent event = this.held;
		if (event != null) {
			this.held = null;
			ctx.fireUserEventTriggered(event);
		}
	}

	/** Whether the request was answered here; nothing is written when it was not. */
	private boolean answer(ChannelHandlerContext ctx, Http2FrameStream stream, Http2HeadersFrame headers) {
		HttpRequest request;
		try {
			// what the stream's codec would make of it: :authority as Host
			request = HttpConversionUtil.toHttpRequest(stream.id(), headers.headers(), true);
		}
		catch (Http2Exception | RuntimeException ex) {
			// malformed: the stream's own path refuses it
			return false;
		}
		DirectRequest direct = this.answers.request(request, false, true);
		if (direct == null || this.answers.answer(ctx, request, direct, null, stream) < 0) {
			return false;
		}
		// the connection's flush consolidation holds this until the end of the read,
		// where every stream's answer leaves together
		ctx.flush();
		return true;
	}

}
