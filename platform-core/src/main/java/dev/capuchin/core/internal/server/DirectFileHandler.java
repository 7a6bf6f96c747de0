package dev.capuchin.core.internal.server;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import dev.capuchin.core.internal.http.DirectFiles;
import dev.capuchin.core.internal.http.DirectFiles.DirectConnection;
import dev.capuchin.core.internal.http.DirectFiles.DirectRequest;
import dev.capuchin.core.internal.http.RequestPath;
import dev.capuchin.core.internal.http.StaticFileHandler;
import dev.capuchin.core.spi.CertificateProvider;
import dev.capuchin.core.spi.LogEvent;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.SiteTable;
import dev.capuchin.core.spi.Stage;
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
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits between the HTTP/1.1 codec and Reactor Netty on a connection and answers plain
 * file requests itself through {@link DirectFiles}, when the plugin chain allows it
 * ({@link PluginChain#allowsDirectAnswers()}), and tells the LOG plugins of each answer
 * with a {@link LogEvent} built from the decoded request. Every other request goes on to
 * the {@link Dispatcher} unchanged.
 * <p>
 * Order is kept on a pipelined connection: while a request handed on is unanswered, the
 * ones behind it are handed on too. The handler counts the requests of the connection for
 * {@code max-requests-per-connection}, whichever path answers them: the last one allowed
 * is answered with {@code Connection: close}, or handed on marked so.
 */
final class DirectFileHandler extends ChannelDuplexHandler {

	static final String NAME = "capuchin.directFiles";

	private static final Logger logger = LoggerFactory.getLogger(DirectFileHandler.class);

	/** Headers whose presence needs the whole path: conditions, ranges and bodies. */
	private static final List<AsciiString> DECLINED_HEADERS = List.of(HttpHeaderNames.RANGE, HttpHeaderNames.IF_RANGE,
			HttpHeaderNames.IF_MATCH, HttpHeaderNames.IF_NONE_MATCH, HttpHeaderNames.IF_MODIFIED_SINCE,
			HttpHeaderNames.IF_UNMODIFIED_SINCE, HttpHeaderNames.CONTENT_LENGTH, HttpHeaderNames.TRANSFER_ENCODING,
			HttpHeaderNames.EXPECT, HttpHeaderNames.UPGRADE);

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

	private SiteTable resolvedIn;

	private String resolvedHost;

	private Site resolvedSite;

	/** The second's header lines {@link #commonLines} was last encoded from. */
	private byte[] commonFrom;

	/** The site {@link #commonLines} was last encoded for. */
	private Site commonFor;

	/** The second's header lines with {@link #commonFor}'s {@code headers} applied. */
	private byte[] commonLines;

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
		DirectRequest direct = directRequest(request, last);
		if (direct == null) {
			return false;
		}
		ConnectionState connection = this.connection;
		boolean logs = this.plugins.has(Stage.LOG);
		long start = logs ? System.nanoTime() : 0;
		long bytes;
		try {
			bytes = DirectFiles.answer(ctx, output(), direct, commonLines(direct.site()), connection.workerRef().fdt());
		}
		catch (RuntimeException ex) {
			logger.error("connection {}: direct answer to {} failed; handing it on", connection.id(), direct.path(),
					ex);
			return false;
		}
		if (bytes < 0) {
			return false;
		}
		RequestReadTimeout timeout = connection.readTimeout();
		timeout.requestStarted();
		timeout.requestFinished();
		if (logs) {
			// the request's decoded head is all the access log needs: one event, no
			// exchange
			this.plugins.log(LogEvent.direct(this.resolvedIn, direct.site(), direct.path(), connection, request, 200,
					bytes, System.nanoTime() - start));
		}
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

	/**
	 * The request as the direct path sees it, or {@code null} when it needs the whole
	 * path: anything but an HTTP/1.1 {@code GET} or {@code HEAD} of an origin-form target
	 * that passes the {@link RequestCheck}, with no body, no conditions and no range.
	 * Requests declined here are refused, if need be, by the {@link Dispatcher}, with the
	 * same check.
	 */
	private DirectRequest directRequest(HttpRequest request, boolean last) {
		HttpMethod method = request.method();
		boolean head = HttpMethod.HEAD.equals(method);
		HttpVersion version = request.protocolVersion();
		if ((!head && !HttpMethod.GET.equals(method)) || !HttpVersion.HTTP_1_1.equals(version)
				|| !request.decoderResult().isSuccess()) {
			return null;
		}
		HttpHeaders headers = request.headers();
		String target = request.uri();
		if (!target.startsWith("/") || target.indexOf('#') >= 0) {
			return null;
		}
		for (AsciiString name : DECLINED_HEADERS) {
			if (headers.contains(name)) {
				return null;
			}
		}
		boolean close = last;
		String connection = headers.get(HttpHeaderNames.CONNECTION);
		if (connection != null) {
			if (HttpHeaderValues.CLOSE.contentEqualsIgnoreCase(connection)) {
				close = true;
			}
			else if (!HttpHeaderValues.KEEP_ALIVE.contentEqualsIgnoreCase(connection)) {
				return null;
			}
		}
		// after the cheap declines: a conditional or ranged request goes on to the
		// Dispatcher, which checks it, and is not checked twice
		if (RequestCheck.check(method, version, headers, target, false, this.limits,
				this.limits.maxBodySize()) != null) {
			return null;
		}
		int mark = target.indexOf('?');
		String path = RequestPath.normalize((mark >= 0) ? target.substring(0, mark) : target);
		if (path == null) {
			return null;
		}
		if (path.startsWith(CertificateProvider.CHALLENGE_PATH)) {
			// the Dispatcher answers ACME challenges
			return null;
		}
		Site site = site(headers.get(HttpHeaderNames.HOST));
		if (this.resolvedIn.unavailableReason(site) != null) {
			// the Dispatcher answers 503 for a site that cannot be served
			return null;
		}
		if (((site.redirectHttps() || (site.tls() != null && site.tls().acme())) && !this.connection.isSecure())
				|| (site.hsts() != null && this.connection.isSecure())) {
			// the Dispatcher redirects to HTTPS and adds Strict-Transport-Security
			return null;
		}
		return new DirectRequest(site, path, head, headers.contains(HttpHeaderNames.ACCEPT_ENCODING), close);
	}

	/**
	 * The header lines every answer of a site starts with: the second's, with the site's
	 * {@code headers} block applied. Encoded at most once a second per connection and
	 * site, never per request.
	 */
	private byte[] commonLines(Site site) {
		byte[] second = ServerHeaders.linesNow();
		if (site.headers().isEmpty()) {
			return second;
		}
		if (second != this.commonFrom || site != this.commonFor) {
			this.commonLines = ServerHeaders.linesNow(site.headers());
			this.commonFrom = second;
			this.commonFor = site;
		}
		return this.commonLines;
	}

	/**
	 * The site a {@code Host} resolves to on this connection. A client sends the same
	 * {@code Host} on every request of a connection, so the last answer is kept until the
	 * host or the site table changes.
	 */
	private Site site(String host) {
		SiteTable table = this.sites.get();
		if (table != this.resolvedIn || !host.equals(this.resolvedHost)) {
			this.resolvedSite = table.resolve(host, this.connection.localAddress(), this.connection.listenerAddress());
			this.resolvedIn = table;
			this.resolvedHost = host;
		}
		return this.resolvedSite;
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
