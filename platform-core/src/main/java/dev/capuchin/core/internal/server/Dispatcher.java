package dev.capuchin.core.internal.server;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.IntSupplier;

import dev.capuchin.core.internal.http.ErrorResponses;
import dev.capuchin.core.internal.http.RequestPath;
import dev.capuchin.core.internal.http.StaticFileHandler;
import dev.capuchin.core.spi.ResponseHeaders;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.SiteTable;
import dev.capuchin.core.spi.Exchange;
import dev.capuchin.core.spi.BodyTooLargeException;
import dev.capuchin.core.spi.CertificateProvider;
import dev.capuchin.core.spi.Location;
import dev.capuchin.core.spi.LogEvent;
import dev.capuchin.core.spi.Stage;
import dev.capuchin.core.internal.worker.Worker;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.ScheduledFuture;
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

	private static final AsciiString STRICT_TRANSPORT_SECURITY = AsciiString.cached("Strict-Transport-Security");

	/** An HTTP-01 token: base64url, at least 128 bits (RFC 8555, section 8.3). */
	private static final Pattern CHALLENGE_TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,256}");

	/**
	 * How long a challenge answer may take to look up: the CA retries a validation that
	 * timed out, a worker never waits.
	 */
	static final Duration CHALLENGE_TIMEOUT = Duration.ofSeconds(5);

	private final AtomicReference<SiteTable> sites;

	private final PluginChain plugins;

	private final Limits limits;

	private final RefusedRequests refusals;

	/** The port of the first TLS listener, or 0 (none, or not bound yet). */
	private final IntSupplier httpsPort;

	Dispatcher(AtomicReference<SiteTable> sites, PluginChain plugins, Limits limits, RefusedRequests refusals) {
		this(sites, plugins, limits, refusals, () -> 0);
	}

	Dispatcher(AtomicReference<SiteTable> sites, PluginChain plugins, Limits limits, RefusedRequests refusals,
			IntSupplier httpsPort) {
		this.httpsPort = httpsPort;
		this.sites = sites;
		this.plugins = plugins;
		this.limits = limits;
		this.refusals = refusals;
	}

	@Override
	public Publisher<Void> apply(HttpServerRequest request, HttpServerResponse response) {
		long start = System.nanoTime();
		Channel channel = channelOf(request);
		ConnectionState connection = ConnectionState.of(channel);
		boolean http2 = channel instanceof Http2StreamChannel;
		RequestReadTimeout readTimeout = http2 ? null : connection.readTimeout();
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
		if (site.hsts() != null && connection.isSecure()) {
			response.header(STRICT_TRANSPORT_SECURITY, site.hsts().headerValue());
		}
		ResponseHeaders siteHeaders = site.headers();
		if (!siteHeaders.isEmpty()) {
			HttpHeaders headers = response.responseHeaders();
			for (String name : siteHeaders.remove()) {
				headers.remove(name);
			}
			siteHeaders.add().forEach(headers::set);
		}
		Refusal refusal = check(request, http2);
		String target = request.uri();
		String rawPath = target;
		String query = "";
		if (refusal == null) {
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
		String path = (refusal == null) ? RequestPath.normalize(rawPath) : null;
		if (refusal == null && path == null) {
			refusal = Refusal.TARGET_PATH;
		}
		Location location = (path != null) ? site.locate(path) : null;
		long maxBodySize = (location != null) ? location.maxBodySize(this.limits.maxBodySize())
				: this.limits.maxBodySize();
		if (refusal == null) {
			refusal = RequestCheck.bodyTooLarge(request.requestHeaders(), maxBodySize);
		}
		DefaultExchange exchange = new DefaultExchange(request, response, channel, connection, table, site, location,
				(path != null) ? path : "/", query, start, maxBodySize, this.plugins.errorLog());
		Mono<Void> flow;
		String unavailable = (refusal == null) ? table.unavailableReason(site) : null;
		if (refusal != null) {
			this.refusals.refused(connection.id(), refusal, request.method() + " " + abbreviate(target));
			exchange.attribute(Exchange.ERROR_REASON, refusal.reason());
			flow = ErrorResponses.send(exchange, refusal.status());
		}
		else if (isChallenge(connection, path)) {
			flow = answerChallenge(exchange, path);
		}
		else if (unavailable != null) {
			// at DEBUG: every request to a site whose root is gone would otherwise log a
			// line
			logger.debug("connection {}: 503 for {} {}: site {} unavailable: {}", connection.id(), request.method(),
					abbreviate(target), site.name(), unavailable);
			exchange.attribute(Exchange.ERROR_REASON, "site unavailable: " + unavailable);
			flow = ErrorResponses.send(exchange, 503);
		}
		else if (redirectsToHttps(site) && !connection.isSecure()) {
			flow = redirectToHttps(exchange, host, target);
		}
		else if (this.plugins.allowsDirectAnswers()) {
			flow = stages(exchange);
		}
		else {
			flow = stages(exchange).timeout(stageDeadline(exchange), Mono.defer(() -> stageTimedOut(exchange)));
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

	/**
	 * Fires once the stage time limit has passed while a REQUEST or HANDLE plugin still
	 * owes its result and no response has started. The timer runs on the request's own
	 * loop (one scheduled task, cancelled when the request ends first), so the 504 is
	 * written there too. A plugin that has started its response is streaming it and is
	 * left to its backend's timeouts; static files after the stages are the kernel's.
	 */
	private Mono<Long> stageDeadline(DefaultExchange exchange) {
		Duration limit = this.limits.stageTimeout();
		EventLoop loop = exchange.channel().eventLoop();
		return Mono.<Long>create((sink) -> {
			ScheduledFuture<?> timer = loop.schedule(() -> sink.success(0L), limit.toNanos(), TimeUnit.NANOSECONDS);
			sink.onCancel(() -> timer.cancel(false));
		})
			.flatMap((fired) -> (exchange.waitingPlugin() != null && !exchange.response().hasSentHeaders())
					? Mono.just(fired) : Mono.never());
	}

	private Mono<Void> stageTimedOut(DefaultExchange exchange) {
		String plugin = exchange.waitingPlugin();
		Stage stage = exchange.waitingStage();
		exchange.waitingFor(null, null);
		exchange.attribute(Exchange.ERROR_PLUGIN, plugin);
		exchange.attribute(Exchange.ERROR_REASON, "plugin " + plugin + " gave no result at " + stage + " within "
				+ this.limits.stageTimeout().toMillis() + " ms");
		logger.error("connection {}: {} {}: plugin {} gave no result at {} within {} ms; answered 504, cancelled it",
				exchange.connection().id(), exchange.request().method(), abbreviate(exchange.request().uri()), plugin,
				stage, this.limits.stageTimeout().toMillis());
		exchange.response().responseHeaders().remove(HttpHeaderNames.CONTENT_LENGTH);
		exchange.response().responseHeaders().remove(HttpHeaderNames.CONTENT_RANGE);
		return ErrorResponses.send(exchange, 504);
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
		BodyTooLargeException tooLarge = bodyTooLarge(ex);
		if (tooLarge != null) {
			return bodyTooLarge(exchange, tooLarge);
		}
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

	/**
	 * A chunked body that outgrew its limit while a handler read it: the same refusal and
	 * log line as a declared length that is too long, and the connection closes, its body
	 * unread.
	 */
	private Mono<Void> bodyTooLarge(DefaultExchange exchange, BodyTooLargeException ex) {
		this.refusals.refused(exchange.connection().id(), Refusal.BODY_TOO_LARGE, exchange.request().method() + " "
				+ abbreviate(exchange.request().uri()) + " (chunked, past " + ex.limit() + " bytes)");
		exchange.attribute(Exchange.ERROR_REASON, Refusal.BODY_TOO_LARGE.reason());
		if (exchange.response().hasSentHeaders()) {
			exchange.channel().close();
			return Mono.empty();
		}
		exchange.response().responseHeaders().remove(HttpHeaderNames.CONTENT_LENGTH);
		exchange.response().responseHeaders().remove(HttpHeaderNames.CONTENT_RANGE);
		return ErrorResponses.send(exchange, Refusal.BODY_TOO_LARGE.status());
	}

	private static BodyTooLargeException bodyTooLarge(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof BodyTooLargeException tooLarge) {
				return tooLarge;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return null;
	}

	private static boolean clientWentAway(DefaultExchange exchange, Throwable ex) {
		if (ex instanceof PluginChain.PluginFailure) {
			return false;
		}
		return !exchange.channel().isActive() || ex instanceof AbortedException || ex instanceof ClosedChannelException
				|| (ex instanceof IOException && exchange.response().hasSentHeaders());
	}

	/**
	 * Protocol and limit checks that need no site, shared with the direct path.
	 * @param stream whether the request came on an HTTP/2 stream, which the connection's
	 * channel says without a header lookup
	 */
	private Refusal check(HttpServerRequest request, boolean stream) {
		HttpVersion version = request.version();
		boolean http2 = stream && version.majorVersion() == 2;
		return RequestCheck.check(request.method(), version, request.requestHeaders(), request.uri(), http2,
				this.limits, Long.MAX_VALUE);
	}

	/**
	 * Send a plain-HTTP request to the same target over HTTPS: 301 for GET and HEAD, 308
	 * for the rest, so that a client repeats the method and body (RFC 9110 15.4.9).
	 */
	// an ACME site is HTTPS by default once a TLS listener is bound: its certificate
	// comes
	// by itself, so plain HTTP only answers the CA and redirects
	private boolean redirectsToHttps(Site site) {
		return site.redirectHttps() || (site.tls() != null && site.tls().acme() && this.httpsPort.getAsInt() != 0);
	}

	// HTTP-01 is validated over plain HTTP only; the answer comes before any plugin,
	// redirect or 503, as a CA must reach it whatever the site's state
	private boolean isChallenge(ConnectionState connection, String path) {
		return path != null && !connection.isSecure() && this.plugins.certificates() != null
				&& path.startsWith(CertificateProvider.CHALLENGE_PATH);
	}

	private Mono<Void> answerChallenge(DefaultExchange exchange, String path) {
		String token = path.substring(CertificateProvider.CHALLENGE_PATH.length());
		HttpMethod method = exchange.request().method();
		if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
			exchange.response().header(HttpHeaderNames.ALLOW, "GET, HEAD");
			return ErrorResponses.send(exchange, 405);
		}
		if (!CHALLENGE_TOKEN.matcher(token).matches()) {
			return ErrorResponses.send(exchange, 404);
		}
		return this.plugins.certificates().challengeAnswer(token).timeout(CHALLENGE_TIMEOUT).flatMap((answer) -> {
			byte[] body = answer.getBytes(StandardCharsets.US_ASCII);
			HttpServerResponse response = exchange.response();
			response.status(200);
			response.header(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
			response.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length));
			if (HttpMethod.HEAD.equals(method)) {
				return response.send().then();
			}
			return response.sendByteArray(Mono.just(body)).then();
		}).switchIfEmpty(Mono.defer(() -> ErrorResponses.send(exchange, 404)));
	}

	private Mono<Void> redirectToHttps(DefaultExchange exchange, String host, String target) {
		String name = (host != null && !host.isEmpty()) ? hostWithoutPort(host)
				: (exchange.site().serverNames().isEmpty() ? "localhost" : exchange.site().serverNames().get(0));
		int port = this.httpsPort.getAsInt();
		String authority = (port == 0 || port == 443) ? name : name + ":" + port;
		String path = target.startsWith("/") ? target : exchange.path();
		exchange.response().header(HttpHeaderNames.LOCATION, "https://" + authority + path);
		HttpMethod method = exchange.request().method();
		boolean safe = HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method);
		return ErrorResponses.send(exchange, safe ? 301 : 308);
	}

	private static String hostWithoutPort(String host) {
		if (host.startsWith("[")) {
			int end = host.indexOf(']');
			return (end > 0) ? host.substring(0, end + 1) : host;
		}
		int colon = host.lastIndexOf(':');
		return (colon >= 0) ? host.substring(0, colon) : host;
	}

	private static String hostOf(HttpServerRequest request) {
		String authority = RequestCheck.authorityOf(request.uri());
		if (authority != null) {
			return authority;
		}
		String host = request.requestHeaders().get(HttpHeaderNames.HOST);
		return (host != null) ? host : request.requestHeaders().get(":authority");
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
