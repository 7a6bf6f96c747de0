package dev.capuchin.core.internal.server;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

import dev.capuchin.core.internal.http.ErrorResponses;
import dev.capuchin.core.internal.http.RequestPath;
import dev.capuchin.core.internal.http.StaticFileHandler;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.SiteTable;
import dev.capuchin.core.spi.Exchange;
import dev.capuchin.core.spi.LogEvent;
import dev.capuchin.core.spi.Stage;
import dev.capuchin.core.internal.worker.Worker;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2StreamChannel;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.channel.AbortedException;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The request path through the stages, for every request of every listener: checks the
 * request against the protocol and the limits, resolves the site and location on the
 * current {@link SiteTable} snapshot, runs REQUEST plugins, offers the request to HANDLE
 * plugins and finally to static files, then runs LOG plugins once the response is
 * complete.
 */
final class Dispatcher implements BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> {

	private static final Logger logger = LoggerFactory.getLogger(Dispatcher.class);

	private static final Set<HttpMethod> KNOWN_METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST,
			HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.OPTIONS, HttpMethod.PATCH, HttpMethod.TRACE,
			HttpMethod.CONNECT);

	private final AtomicReference<SiteTable> sites;

	private final PluginChain plugins;

	private final Limits limits;

	Dispatcher(AtomicReference<SiteTable> sites, PluginChain plugins, Limits limits) {
		this.sites = sites;
		this.plugins = plugins;
		this.limits = limits;
	}

	@Override
	public Publisher<Void> apply(HttpServerRequest request, HttpServerResponse response) {
		long start = System.nanoTime();
		Channel channel = channelOf(request);
		ConnectionState connection = ConnectionState.of(channel);
		RequestReadTimeout readTimeout = (channel instanceof Http2StreamChannel) ? null : connection.readTimeout();
		if (readTimeout != null) {
			readTimeout.requestStarted();
		}
		SiteTable table = this.sites.get();
		response.responseHeaders().add(ServerHeaders.now());
		if (HttpVersion.HTTP_1_0.equals(request.version()) && request.isKeepAlive()) {
			// an HTTP/1.0 client keeps the connection only when the response says so;
			// a response that ends the connection replaces this with close
			response.header(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
		}
		String host = hostOf(request);
		Site site = table.resolve(host, connection.localAddress(), connection.listenerAddress());
		int refusal = check(request);
		String target = request.uri();
		String rawPath = target;
		String query = "";
		if (refusal == 0) {
			int hash = target.indexOf('#');
			rawPath = (hash >= 0) ? target.substring(0, hash) : target;
			int mark = rawPath.indexOf('?');
			if (mark >= 0) {
				query = rawPath.substring(mark + 1);
				rawPath = rawPath.substring(0, mark);
			}
			if (!rawPath.startsWith("/")) {
				rawPath = absolutePath(rawPath);
			}
		}
		String path = (refusal == 0) ? RequestPath.normalize(rawPath) : null;
		if (refusal == 0 && path == null) {
			refusal = 400;
			logger.info("connection {}: refused request target {}", connection.id(), abbreviate(target));
		}
		DefaultExchange exchange = new DefaultExchange(request, response, channel, connection, table, site,
				(path != null) ? site.locate(path) : null, (path != null) ? path : "/", query, start);
		Mono<Void> flow;
		String unavailable = (refusal == 0) ? table.unavailableReason(site) : null;
		if (refusal != 0) {
			logger.info("connection {}: {} for {} {}", connection.id(), refusal, request.method(), abbreviate(target));
			exchange.attribute(Exchange.ERROR_REASON, reason(refusal));
			flow = ErrorResponses.send(exchange, refusal);
		}
		else if (unavailable != null) {
			// at DEBUG: every request to a site whose root is gone would otherwise log a
			// line
			logger.debug("connection {}: 503 for {} {}: site {} unavailable: {}", connection.id(), request.method(),
					abbreviate(target), site.name(), unavailable);
			exchange.attribute(Exchange.ERROR_REASON, "site unavailable: " + unavailable);
			flow = ErrorResponses.send(exchange, 503);
		}
		else {
			flow = stages(exchange);
		}
		return flow.onErrorResume((ex) -> failed(exchange, ex)).doFinally((signal) -> {
			if (readTimeout != null) {
				readTimeout.requestFinished();
			}
			if (this.plugins.has(Stage.LOG)) {
				this.plugins.log(LogEvent.of(exchange, response.status().code(), System.nanoTime() - start));
			}
		});
	}

	private Mono<Void> stages(DefaultExchange exchange) {
		if (!this.plugins.has(Stage.REQUEST)) {
			return handle(exchange);
		}
		return this.plugins.request(exchange).flatMap((result) -> switch (result) {
			case CONTINUE -> handle(exchange);
			case DONE -> Mono.<Void>empty();
			case CLOSE -> closeNow(exchange);
		});
	}

	private Mono<Void> handle(DefaultExchange exchange) {
		if (!this.plugins.has(Stage.HANDLE)) {
			return staticFiles(exchange);
		}
		return this.plugins.handle(exchange).flatMap((handled) -> switch (handled) {
			case DONE -> Mono.<Void>empty();
			case DECLINE -> staticFiles(exchange);
		});
	}

	private Mono<Void> staticFiles(DefaultExchange exchange) {
		Channel channel = exchange.channel();
		Worker worker = exchange.connectionState().workerRef();
		if (channel.eventLoop().inEventLoop()) {
			return StaticFileHandler.handle(exchange, channel, worker.fdt());
		}
		// a plugin finished on another thread: files are served on the owning worker
		return Mono.defer(() -> StaticFileHandler.handle(exchange, channel, worker.fdt()))
			.subscribeOn(Schedulers.fromExecutor(channel.eventLoop()));
	}

	private Mono<Void> closeNow(DefaultExchange exchange) {
		exchange.channel().close();
		return Mono.empty();
	}

	private Mono<Void> failed(DefaultExchange exchange, Throwable ex) {
		exchange.attribute(Exchange.ERROR_REASON, String.valueOf(ex.getMessage()));
		if (clientWentAway(exchange, ex)) {
			// the client closed its connection while the response was being written: one
			// line,
			// no stack trace, nothing left to answer
			logger.debug("connection {}: client went away during {} {}: {}", exchange.connection().id(),
					exchange.request().method(), abbreviate(exchange.request().uri()), ex.toString());
			exchange.channel().close();
			return Mono.empty();
		}
		if (ex instanceof PluginChain.PluginFailure failure && failure.isContractBreach()) {
			// the message names the plugin and what it should have returned; a stack
			// trace would show only the kernel
			exchange.attribute(Exchange.ERROR_PLUGIN, failure.plugin());
			logger.error("connection {}: {} {}: {}", exchange.connection().id(), exchange.request().method(),
					abbreviate(exchange.request().uri()), failure.getMessage());
		}
		else if (ex instanceof PluginChain.PluginFailure failure) {
			exchange.attribute(Exchange.ERROR_PLUGIN, failure.plugin());
			logger.error("connection {}: {} {}: plugin {} failed", exchange.connection().id(),
					exchange.request().method(), abbreviate(exchange.request().uri()), failure.plugin(),
					failure.getCause());
		}
		else {
			logger.error("connection {}: {} {} failed", exchange.connection().id(), exchange.request().method(),
					abbreviate(exchange.request().uri()), ex);
		}
		if (exchange.response().hasSentHeaders()) {
			exchange.channel().close();
			return Mono.empty();
		}
		exchange.response().responseHeaders().remove(HttpHeaderNames.CONTENT_LENGTH);
		exchange.response().responseHeaders().remove(HttpHeaderNames.CONTENT_RANGE);
		return ErrorResponses.send(exchange, 500);
	}

	private static boolean clientWentAway(DefaultExchange exchange, Throwable ex) {
		if (ex instanceof PluginChain.PluginFailure) {
			return false;
		}
		return !exchange.channel().isActive() || ex instanceof AbortedException || ex instanceof ClosedChannelException
				|| (ex instanceof IOException && exchange.response().hasSentHeaders());
	}

	/**
	 * Protocol and limit checks that need no site: the status to refuse with, or 0.
	 */
	private int check(HttpServerRequest request) {
		HttpVersion version = request.version();
		boolean http2 = version.majorVersion() == 2 && request.requestHeaders().contains("x-http2-stream-id");
		if (version.majorVersion() != 1 && !http2) {
			return 505;
		}
		if (!KNOWN_METHODS.contains(request.method())) {
			return 501;
		}
		HttpHeaders headers = request.requestHeaders();
		if (headers.size() > this.limits.maxHeaderCount()) {
			return 431;
		}
		List<String> hosts = headers.getAll(HttpHeaderNames.HOST);
		if (hosts.size() > 1 || (!http2 && version.minorVersion() >= 1 && hosts.isEmpty())) {
			return 400;
		}
		if (!hosts.isEmpty() && !HostHeader.isValid(hosts.get(0))) {
			return 400;
		}
		String target = request.uri();
		if (target.equals("*")) {
			return HttpMethod.OPTIONS.equals(request.method()) ? 0 : 400;
		}
		String authority = authorityOf(target);
		if (!target.startsWith("/") && authority == null) {
			return 400;
		}
		// RFC 9110 4.2: an http(s) URI must have a host, and userinfo in it is an error
		if (authority != null && (authority.isEmpty() || authority.indexOf('@') >= 0)) {
			return 400;
		}
		long length = contentLength(headers);
		if (length == -2) {
			return 400;
		}
		if (length > this.limits.maxBodySize()) {
			return 413;
		}
		boolean chunked = headers.containsValue(HttpHeaderNames.TRANSFER_ENCODING, "chunked", true);
		if (!http2 && length < 0 && !chunked && (HttpMethod.POST.equals(request.method())
				|| HttpMethod.PUT.equals(request.method()) || HttpMethod.PATCH.equals(request.method()))) {
			return 411;
		}
		return 0;
	}

	/**
	 * The declared body length: -1 when absent, -2 when malformed or contradictory.
	 */
	private static long contentLength(HttpHeaders headers) {
		List<String> values = headers.getAll(HttpHeaderNames.CONTENT_LENGTH);
		if (values.isEmpty()) {
			return -1;
		}
		long length = -1;
		for (String value : values) {
			long parsed;
			try {
				parsed = Long.parseLong(value.trim());
			}
			catch (NumberFormatException ex) {
				return -2;
			}
			if (parsed < 0 || (length >= 0 && parsed != length)) {
				return -2;
			}
			length = parsed;
		}
		return length;
	}

	private static String reason(int status) {
		return switch (status) {
			case 400 -> "malformed request";
			case 411 -> "body without a length";
			case 413 -> "body larger than max-body-size";
			case 431 -> "more headers than max-header-count";
			case 501 -> "method not implemented";
			case 505 -> "HTTP version not supported";
			default -> "refused with " + status;
		};
	}

	private static String hostOf(HttpServerRequest request) {
		String authority = authorityOf(request.uri());
		if (authority != null) {
			return authority;
		}
		String host = request.requestHeaders().get(HttpHeaderNames.HOST);
		return (host != null) ? host : request.requestHeaders().get(":authority");
	}

	/**
	 * The authority of an absolute-form target ({@code http://host:port/path?query}): the
	 * text between the scheme and the first {@code /}, {@code ?} or {@code #}; or
	 * {@code null} when the target is in another form.
	 */
	private static String authorityOf(String target) {
		int start;
		if (target.regionMatches(true, 0, "http://", 0, 7)) {
			start = 7;
		}
		else if (target.regionMatches(true, 0, "https://", 0, 8)) {
			start = 8;
		}
		else {
			return null;
		}
		int end = start;
		while (end < target.length() && "/?#".indexOf(target.charAt(end)) < 0) {
			end++;
		}
		return target.substring(start, end);
	}

	private static String absolutePath(String target) {
		if (target.equals("*")) {
			return "/";
		}
		int scheme = target.indexOf("://");
		int slash = (scheme > 0) ? target.indexOf('/', scheme + 3) : -1;
		return (slash > 0) ? target.substring(slash) : "/";
	}

	private static Channel channelOf(HttpServerRequest request) {
		if (request instanceof Connection connection) {
			return connection.channel();
		}
		Channel[] holder = new Channel[1];
		request.withConnection((Connection connection) -> holder[0] = connection.channel());
		return holder[0];
	}

	private static String abbreviate(String text) {
		return (text.length() > 200) ? text.substring(0, 200) + "…" : text;
	}

}
