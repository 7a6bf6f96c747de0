package dev.capuchin.core.internal.server;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import dev.capuchin.core.internal.http.DirectFiles;
import dev.capuchin.core.internal.http.DirectFiles.DirectConnection;
import dev.capuchin.core.internal.http.DirectFiles.DirectRequest;
import dev.capuchin.core.internal.http.RequestPath;
import dev.capuchin.core.spi.CertificateProvider;
import dev.capuchin.core.spi.LogEvent;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.SiteTable;
import dev.capuchin.core.spi.Stage;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.util.AsciiString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the direct path knows of one connection, whatever its protocol: which requests it
 * takes, the site a {@code Host} resolves to, the header blocks of the second, and the
 * {@link LogEvent} of each answer. The HTTP/1.1 connection's {@link DirectFileHandler}
 * and the HTTP/2 connection's {@link Http2DirectFileHandler} both answer through it, so
 * both protocols take the same requests and log them alike. Used on the connection's
 * event loop only, which is also its streams'.
 */
final class DirectAnswers {

	private static final Logger logger = LoggerFactory.getLogger(DirectAnswers.class);

	/** The version the stages see on an HTTP/2 stream, and the access log writes. */
	static final HttpVersion HTTP_2 = HttpVersion.valueOf("HTTP/2.0");

	/** Headers whose presence needs the whole path: conditions, ranges and bodies. */
	private static final List<AsciiString> DECLINED_HEADERS = List.of(HttpHeaderNames.RANGE, HttpHeaderNames.IF_RANGE,
			HttpHeaderNames.IF_MATCH, HttpHeaderNames.IF_NONE_MATCH, HttpHeaderNames.IF_MODIFIED_SINCE,
			HttpHeaderNames.IF_UNMODIFIED_SINCE, HttpHeaderNames.CONTENT_LENGTH, HttpHeaderNames.TRANSFER_ENCODING,
			HttpHeaderNames.EXPECT, HttpHeaderNames.UPGRADE);

	private final AtomicReference<SiteTable> sites;

	private final PluginChain plugins;

	private final Limits limits;

	private final ConnectionState connection;

	private SiteTable resolvedIn;

	private String resolvedHost;

	private Site resolvedSite;

	/** The second's header lines {@link #commonLines} was last encoded from. */
	private byte[] commonFrom;

	/** The site {@link #commonLines} was last encoded for. */
	private Site commonFor;

	/** The second's header lines with {@link #commonFor}'s {@code headers} applied. */
	private byte[] commonLines;

	/** The second's headers {@link #commonFields} was last made from. */
	private HttpHeaders fieldsFrom;

	/** The site {@link #commonFields} was last made for. */
	private Site fieldsFor;

	/** The second's header fields for HTTP/2 with {@link #fieldsFor}'s block applied. */
	private CharSequence[] commonFields;

	DirectAnswers(AtomicReference<SiteTable> sites, PluginChain plugins, Limits limits, ConnectionState connection) {
		this.sites = sites;
		this.plugins = plugins;
		this.limits = limits;
		this.connection = connection;
	}

	ConnectionState connection() {
		return this.connection;
	}

	/**
	 * The request as the direct path sees it, or {@code null} when it needs the whole
	 * path: anything but an HTTP/1.1 {@code GET} or {@code HEAD} of an origin-form target
	 * that passes the {@link RequestCheck}, with no body, no conditions and no range. An
	 * HTTP/2 stream's request comes as an HTTP/1.1 one from Netty's stream codec, with
	 * its {@code :authority} as {@code Host}. Requests declined here are refused, if need
	 * be, by the {@link Dispatcher}, with the same check.
	 * @param request the decoded request
	 * @param last whether it is the last one the connection may carry
	 * @param stream whether it came on an HTTP/2 stream
	 */
	DirectRequest request(HttpRequest request, boolean last, boolean stream) {
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
		if (RequestCheck.check(method, version, headers, target, stream, this.limits,
				this.limits.maxBodySize()) != null) {
			return null;
		}
		String host = headers.get(HttpHeaderNames.HOST);
		if (host == null) {
			// an HTTP/2 request without :authority: the Dispatcher picks its site
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
		Site site = site(host);
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
	 * Answer a request {@link #request} took, and tell the LOG plugins. Writes without
	 * flushing.
	 * @param ctx the handler just after the connection's HTTP/1.1 codec or the stream's
	 * HTTP/2 codec
	 * @param request the decoded request
	 * @param direct what {@link #request} made of it
	 * @param output how an HTTP/1.1 connection's answers leave, or {@code null} on an
	 * HTTP/2 stream
	 * @param stream the HTTP/2 stream when the answer is written on its connection, or
	 * {@code null}
	 * @return the body bytes written, or {@code -1} when the request was declined (or the
	 * answer failed) and nothing was written
	 */
	long answer(ChannelHandlerContext ctx, HttpRequest request, DirectRequest direct, DirectConnection output,
			Http2FrameStream stream) {
		boolean logs = this.plugins.has(Stage.LOG);
		long start = logs ? System.nanoTime() : 0;
		long bytes;
		try {
			bytes = (output != null)
					? DirectFiles.answer(ctx, output, direct, commonLines(direct.site()),
							this.connection.workerRef().fdt())
					: DirectFiles.answerStream(ctx, direct, commonFields(direct.site()),
							this.connection.workerRef().fdt(), stream);
		}
		catch (RuntimeException ex) {
			logger.error("connection {}: direct answer to {} failed; handing it on", this.connection.id(),
					direct.path(), ex);
			return -1;
		}
		if (bytes >= 0 && logs) {
			if (output == null) {
				// the stream's codec made an HTTP/1.1 request of it; the log says what
				// came
				request.setProtocolVersion(HTTP_2);
			}
			// the request's decoded head is all the access log needs: one event, no
			// exchange
			this.plugins.log(LogEvent.direct(this.resolvedIn, direct.site(), direct.path(), this.connection, request,
					200, bytes, System.nanoTime() - start));
		}
		return bytes;
	}

	/**
	 * The header lines every HTTP/1.1 answer of a site starts with: the second's, with
	 * the site's {@code headers} block applied. Encoded at most once a second per
	 * connection and site, never per request.
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
	 * The header fields every HTTP/2 answer of a site starts with, as
	 * {@link #commonLines} for HTTP/1.1: names in lower case, made at most once a second
	 * per connection and site.
	 */
	private CharSequence[] commonFields(Site site) {
		HttpHeaders second = ServerHeaders.now();
		if (second != this.fieldsFrom || site != this.fieldsFor) {
			this.commonFields = ServerHeaders
				.fields(site.headers().isEmpty() ? second : ServerHeaders.now(site.headers()));
			this.fieldsFrom = second;
			this.fieldsFor = site;
		}
		return this.commonFields;
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

}
