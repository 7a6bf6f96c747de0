package dev.capuchin.core.internal.server;

import java.util.concurrent.atomic.AtomicReference;

import dev.capuchin.core.internal.http.DirectFiles;
import dev.capuchin.core.internal.http.DirectFiles.DirectConnection;
import dev.capuchin.core.internal.http.DirectFiles.DirectRequest;
import dev.capuchin.core.internal.http.StaticFileHandler;
import dev.capuchin.core.spi.LogEvent;
import dev.capuchin.core.spi.SiteTable;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.VoidChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * Sits between the HTTP/1.1 codec and Reactor Netty on a connection and answers plain
 * file requests itself through {@link DirectFiles}, when the plugin chain allows it
 * ({@link PluginChain#allowsDirectAnswers()}), and tells the LOG plugins of each answer
 * with a {@link LogEvent} built from the decoded request; which requests it takes, and
 * how, is {@link DirectAnswers}', shared with the HTTP/2 streams'
 * {@link Http2DirectFileHandler}. Every other request goes on to the {@link Dispatcher}
 * unchanged.
 * <p>
 * Order is kept on a pipelined connection: while a request handed on is unanswered, the
 * ones behind it are handed on too. The handler counts the requests of the connection for
 * {@code max-requests-per-connection}, whichever path answers them: the last one allowed
 * is answered with {@code Connection: close}, or handed on marked so.
 */
final class DirectFileHandler extends ChannelDuplexHandler {

	static final String NAME = "capuchin.directFiles";

	private final AtomicReference<SiteTable> sites;

	private final PluginChain plugins;

	private final Limits limits;

	/** Requests handed on whose response has not been written completely. */
	private int handedOn;

	private int requests;

	private boolean skippingBody;

	private boolean unflushed;

	private boolean closing;

	/**
	 * Corks the connection before the headers of a file region, where the transport can:
	 * they then leave with the file's first bytes instead of in a segment of their own
	 * (nginx's {@code tcp_nopush}). Cleared once the read's answers are flushed.
	 */
	private final Runnable corkBeforeRegion;

	private final ChannelOption<Boolean> cork;

	private Channel channel;

	private ConnectionState connection;

	/** Settled on the first request, once the connection's pipeline is complete. */
	private DirectConnection output;

	private boolean corked;

	/** What the direct path knows of this connection, settled once it is added. */
	private DirectAnswers answers;

	DirectFileHandler(AtomicReference<SiteTable> sites, PluginChain plugins, Limits limits,
			ChannelOption<Boolean> cork) {
		this.sites = sites;
		this.plugins = plugins;
		this.limits = limits;
		this.cork = cork;
		this.corkBeforeRegion = (cork != null) ? this::cork : null;
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.channel = ctx.channel();
		// registered by the connection gate before the handlers are added
		this.connection = ConnectionState.of(this.channel);
		this.answers = new DirectAnswers(this.sites, this.plugins, this.limits, this.connection);
	}

	private void cork() {
		if (!this.corked) {
			this.channel.config().setOption(this.cork, true);
			this.corked = true;
		}
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (this.closing) {
			ReferenceCountUtil.release(msg);
			return;
		}
		if (msg instanceof HttpRequest request) {
			this.requests++;
			boolean last = this.requests >= this.limits.maxRequestsPerConnection();
			if (this.handedOn == 0 && answer(ctx, request, last)) {
				this.skippingBody = !(msg instanceof LastHttpContent);
				ReferenceCountUtil.release(msg);
				return;
			}
			if (last) {
				request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
			}
			this.handedOn++;
		}
		else if (this.skippingBody && msg instanceof HttpContent) {
			this.skippingBody = !(msg instanceof LastHttpContent);
			ReferenceCountUtil.release(msg);
			return;
		}
		ctx.fireChannelRead(msg);
	}

	private boolean answer(ChannelHandlerContext ctx, HttpRequest request, boolean last) {
		DirectRequest direct = this.answers.request(request, last, false);
		if (direct == null || this.answers.answer(ctx, request, direct, output(), null) < 0) {
			return false;
		}
		RequestReadTimeout timeout = this.connection.readTimeout();
		timeout.requestStarted();
		timeout.requestFinished();
		if (direct.close()) {
			this.closing = true;
			ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
		}
		else {
			this.unflushed = true;
		}
		return true;
	}

	/**
	 * How answers leave this connection: a void promise for every write, since nothing
	 * waits for them (a failed write closes the connection, and is not reported again
	 * through the pipeline), whether file regions can be sent, and the cork.
	 */
	private DirectConnection output() {
		if (this.output == null) {
			this.output = new DirectConnection(new VoidChannelPromise(this.channel, false),
					StaticFileHandler.canSendFileRegion(this.channel), this.corkBeforeRegion);
		}
		return this.output;
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) {
		if (this.unflushed) {
			this.unflushed = false;
			ctx.flush();
			if (this.corked) {
				this.corked = false;
				// a client that hung up has had its connection closed by the flush
				if (this.channel.isOpen()) {
					this.channel.config().setOption(this.cork, false);
				}
			}
			// Reactor Netty reads a connection's next request when it has answered one;
			// a request answered here must ask for it
			if (this.handedOn == 0 && !ctx.channel().config().isAutoRead()) {
				ctx.read();
			}
		}
		ctx.fireChannelReadComplete();
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
		// an interim response (100 Continue) is not the answer
		if (msg instanceof LastHttpContent && this.handedOn > 0 && !(msg instanceof HttpResponse response
				&& response.status().codeClass() == HttpStatusClass.INFORMATIONAL)) {
			this.handedOn--;
		}
		ctx.write(msg, promise);
	}

}
