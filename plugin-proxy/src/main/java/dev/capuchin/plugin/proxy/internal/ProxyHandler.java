package dev.capuchin.plugin.proxy.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import javax.net.ssl.SSLException;

import dev.capuchin.core.spi.BodyTooLargeException;
import dev.capuchin.core.spi.Exchange;
import dev.capuchin.core.spi.NodeContext;
import dev.capuchin.plugin.proxy.BalancerKind;
import dev.capuchin.plugin.proxy.HashKey;
import dev.capuchin.plugin.proxy.ProxyListener;
import dev.capuchin.plugin.proxy.ProxyOutcome;
import dev.capuchin.plugin.proxy.ServerCondition;
import dev.capuchin.plugin.proxy.Upstream;
import dev.capuchin.plugin.proxy.UpstreamServer;
import dev.capuchin.plugin.proxy.internal.balancer.Balancer;
import dev.capuchin.plugin.proxy.internal.cache.CacheRule;
import dev.capuchin.plugin.proxy.internal.cache.Lookup;
import dev.capuchin.plugin.proxy.internal.cache.ProxyCache;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.timeout.ReadTimeoutException;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerRequest;

/**
 * Passes one request to an upstream: chooses a server, streams the request body to it and
 * its response back with back-pressure, and on a failure moves to the next server where
 * the rules allow (a connect failure always; a timeout, a reset, a 502/503/504 or a 508
 * only for a request safe to repeat, within {@code retries} and {@code retry-timeout}).
 * When every server failed the client gets 502 (504 after a timeout, 508 when every
 * server was this node) with the site's error page, and {@link Exchange#ERROR_REASON}
 * names each server tried and why it failed, for the error log's one line.
 */
public final class ProxyHandler {

	/**
	 * The largest response body (by its {@code Content-Length}) gathered to leave with
	 * the head in one write; larger ones, and those of unknown length, stream as they
	 * come. Bounds what one response holds in memory at once.
	 */
	static final int ONE_WRITE = 16 * 1024;

	private static final Logger logger = LoggerFactory.getLogger(ProxyHandler.class);

	private final ProxyClients clients;

	private final NodeContext node;

	private final ProxyListener listener;

	private final WebSocketProxy websockets;

	private final ProxyCache cache;

	/**
	 * Create a handler.
	 * @param clients the HTTP clients
	 * @param node the node
	 * @param listener the metrics listener
	 * @param cache the cache of cached locations
	 */
	public ProxyHandler(ProxyClients clients, NodeContext node, ProxyListener listener, ProxyCache cache) {
		this.clients = clients;
		this.node = node;
		this.listener = listener;
		this.websockets = new WebSocketProxy(this);
		this.cache = cache;
	}

	/**
	 * Answer a request of a proxied location.
	 * @param exchange the request
	 * @param route the location's route
	 * @return completes when the response is sent
	 */
	public Mono<Void> handle(Exchange exchange, ProxyRoute route) {
		HttpServerRequest request = exchange.request();
		if (request.requestHeaders().contains(HttpHeaderNames.VIA)
				&& ForwardedHeaders.loops(request.requestHeaders().getAll(HttpHeaderNames.VIA), this.node.nodeId())) {
			exchange.attribute(Exchange.ERROR_REASON, "proxy " + route.upstream().upstream().name()
					+ ": loop detected, Via names this node (" + this.node.nodeId() + ")");
			return exchange.sendError(508);
		}
		HttpHeaders headers = request.requestHeaders();
		Attempt attempt = new Attempt(exchange, route, hash(exchange, route.upstream().upstream()));
		if (isWebSocket(headers)) {
			return this.websockets.proxy(attempt);
		}
		String upgrade = requiredUpgrade(headers);
		if (upgrade != null) {
			// Reactor Netty's client switches protocols only for WebSocket, and the
			// kernel hands a connection over only through the WebSocket handshake: a
			// protocol of the client's choosing would reach the server as plain HTTP,
			// which the client would not expect
			exchange.attribute(Exchange.ERROR_REASON, "proxy " + route.upstream().upstream().name() + ": Upgrade: "
					+ upgrade + " cannot be passed on (only WebSocket upgrades are)");
			return exchange.sendError(501);
		}
		CacheRule rule = route.cache();
		if (rule != null) {
			return this.cache.handle(exchange, rule, new ProxyCache.Forwarder() {

				@Override
				public Mono<Void> forward(Lookup lookup) {
					attempt.cache = lookup;
					return next(attempt);
				}

				@Override
				public void refresh(Lookup lookup) {
					ProxyHandler.this.refresh(exchange, route, lookup);
				}

			});
		}
		return next(attempt);
	}

	/**
	 * Add what a cached location's lookup asks of the server to a request's headers (the
	 * validators of a stored entry).
	 */
	void cacheHeaders(Attempt attempt, HttpHeaders headers) {
		if (attempt.cache != null) {
			this.cache.upstreamHeaders(attempt.cache, headers);
		}
	}

	NodeContext node() {
		return this.node;
	}

	ProxyClients clients() {
		return this.clients;
	}

	/**
	 * Choose the next server, skipping this node's own listeners.
	 * @return the server's position, or -1 when none is left
	 */
	int choose(Attempt attempt) {
		PreparedUpstream upstream = attempt.route.upstream();
		while (true) {
			int index = upstream.choose(attempt.tried, attempt.hash);
			if (index < 0) {
				return -1;
			}
			attempt.tried[index] = true;
			if (upstream.isSelf(index, this.node.listeners())) {
				attempt.failed(upstream.upstream().servers().get(index), "this node's own listener", false);
				attempt.loops++;
				continue;
			}
			return index;
		}
	}

	private Mono<Void> next(Attempt attempt) {
		int index = choose(attempt);
		if (index < 0) {
			return fail(attempt);
		}
		return tryServer(attempt, index).flatMap((retry) -> retry ? next(attempt) : Mono.<Void>empty());
	}

	/**
	 * One try at one server, over a pooled connection of the calling worker's loop.
	 * @return {@code true} to try the next server; empty once the response was sent
	 */
	private Mono<Boolean> tryServer(Attempt attempt, int index) {
		PreparedUpstream prepared = attempt.route.upstream();
		UpstreamServer server = prepared.upstream().servers().get(index);
		ServerTracker tracker = prepared.tracker(index);
		Exchange exchange = attempt.exchange;
		HttpServerRequest request = exchange.request();
		exchange.attribute(Exchange.UPSTREAM, server.authority());
		UpstreamPool pool = this.clients.pool(prepared, index);
		String uri = originForm(attempt.route.upstreamUri(request.uri()));
		Try current = new Try(attempt, index, server, tracker, System.nanoTime());
		tracker.started();
		UpstreamCall call = new UpstreamCall(current, pool, pool.loop(), uri, hasBody(request));
		return call.start()
			.flatMap((head) -> respond(current, head))
			.onErrorResume((error) -> failed(current, error))
			.doFinally((signal) -> current.end(ProxyOutcome.CANCELLED, "cancelled: the client went away"));
	}

	private Mono<Boolean> respond(Try current, UpstreamCall.Head head) {
		if (head.kind() == UpstreamCall.Kind.RETRY) {
			return Mono.just(Boolean.TRUE);
		}
		Attempt attempt = current.attempt;
		Exchange exchange = attempt.exchange;
		HttpResponse response = head.response();
		int status = response.status().code();
		Lookup lookup = attempt.cache;
		HttpHeaders client = forwardHead(current, response);
		if (lookup != null) {
			Mono<Void> instead = this.cache.instead(lookup, exchange, status, response.headers(), client);
			if (instead != null) {
				// the server's body is read to its end so that its connection goes back
				// to the pool
				return discard(head).then(Mono.fromRunnable(() -> current.end(outcome(status), "answered " + status)))
					.then(instead)
					.then(Mono.<Boolean>empty());
			}
			HttpHeaders out = exchange.response().responseHeaders();
			exchange.response().status(status);
			out.remove(HttpHeaderNames.CONTENT_TYPE);
			out.add(client);
		}
		Publisher<ByteBuf> content;
		LongSupplier bytes;
		if (head.kind() == UpstreamCall.Kind.GATHERED) {
			ByteBuf body = head.body();
			long length = body.readableBytes();
			// the body leaves with the head in one write
			content = (length > 0) ? Mono.just(body) : Mono.<ByteBuf>empty().doOnSubscribe((s) -> body.release());
			bytes = () -> length;
		}
		else {
			// the server connection's buffers are passed on as they come, no copy; the
			// client's demand (its channel's writability) paces the server's reads
			ResponseBody body = head.stream();
			content = body;
			bytes = body::bytes;
		}
		if (lookup != null) {
			content = this.cache.forwarding(lookup, exchange, status, response.headers(),
					exchange.response().responseHeaders(), content);
		}
		return exchange.response().send(content).then().doOnSuccess((ignored) -> {
			exchange.bytesSent(bytes.getAsLong());
			current.end(outcome(status), "answered " + status);
		}).then(Mono.<Boolean>empty());
	}

	/** Read a body to its end, for nothing: its connection can then be reused. */
	private static Mono<Void> discard(UpstreamCall.Head head) {
		if (head.kind() == UpstreamCall.Kind.GATHERED) {
			return Mono.fromRunnable(() -> head.body().release());
		}
		return Flux.from(head.stream()).doOnNext(ByteBuf::release).then();
	}

	/**
	 * The server's status and headers for the client: hop-by-hop ones removed,
	 * {@code Location} and {@code Refresh} rewritten for the public host, {@code Via}:
	 * set on the client's response at once, or (for a cached location, whose cache may
	 * answer instead) gathered apart.
	 * @return the headers for the client
	 */
	private HttpHeaders forwardHead(Try current, HttpResponse response) {
		Attempt attempt = current.attempt;
		Exchange exchange = attempt.exchange;
		int status = response.status().code();
		String publicBase = publicBase(exchange);
		String serverBase = current.server.url().toString();
		String prefix = attempt.route.prefix();
		String restore = (prefix != null) ? prefix.substring(0, prefix.length() - (prefix.endsWith("/") ? 1 : 0)) : "";
		Lookup lookup = attempt.cache;
		HttpHeaders out = exchange.response().responseHeaders();
		// a cached request's headers are read first, as the cache may answer instead
		HttpHeaders client = (lookup != null) ? new DefaultHttpHeaders() : out;
		if (lookup == null) {
			exchange.response().status(status);
			out.remove(HttpHeaderNames.CONTENT_TYPE);
		}
		ForwardedHeaders.response(response.headers(), attempt.route, this.node.nodeId(), client, (value) -> {
			if (publicBase != null && value.startsWith(serverBase)
					&& (value.length() == serverBase.length() || value.charAt(serverBase.length()) == '/')) {
				return publicBase + restore + value.substring(serverBase.length());
			}
			return value;
		});
		return client;
	}

	/**
	 * A background refresh of a stale entry (stale-while-revalidate): one GET to one
	 * server, its headers built now from the client's request (answered already from the
	 * entry). The body is read whole when its length is known and within the zone's
	 * largest entry; otherwise it is drained and the entry left as it is.
	 */
	void refresh(Exchange exchange, ProxyRoute route, Lookup lookup) {
		PreparedUpstream prepared = route.upstream();
		Upstream upstream = prepared.upstream();
		Attempt attempt = new Attempt(exchange, route, hash(exchange, upstream));
		int index = choose(attempt);
		if (index < 0) {
			this.cache.refreshEnded(lookup);
			return;
		}
		UpstreamServer server = upstream.servers().get(index);
		HttpHeaders headers = new DefaultHttpHeaders();
		ForwardedHeaders.request(exchange, route, server.url().getRawAuthority(), this.node.nodeId(), headers);
		headers.remove(HttpHeaderNames.CONTENT_LENGTH);
		headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
		this.cache.upstreamHeaders(lookup, headers);
		HttpHeaders request = exchange.request().requestHeaders().copy();
		String uri = originForm(route.upstreamUri(exchange.request().uri()));
		String publicBase = publicBase(exchange);
		String serverBase = server.url().toString();
		String prefix = route.prefix();
		String restore = (prefix != null) ? prefix.substring(0, prefix.length() - (prefix.endsWith("/") ? 1 : 0)) : "";
		// a rare request off the proxied path: Reactor Netty's client, aimed by the URL
		this.clients.client(upstream, server)
			.request(HttpMethod.GET)
			.uri(serverBase + uri)
			.send((upstreamRequest, out) -> {
				upstreamRequest.requestHeaders().clear().add(headers);
				upstreamRequest.responseTimeout(upstream.timeouts().firstByte());
				return out;
			})
			.responseConnection((response, connection) -> {
				HttpHeaders client = new DefaultHttpHeaders();
				ForwardedHeaders.response(response.responseHeaders(), route, this.node.nodeId(), client, (value) -> {
					if (publicBase != null && value.startsWith(serverBase)
							&& (value.length() == serverBase.length() || value.charAt(serverBase.length()) == '/')) {
						return publicBase + restore + value.substring(serverBase.length());
					}
					return value;
				});
				int status = response.status().code();
				long length = contentLength(response.responseHeaders());
				if (status != 304 && (length < 0 || length > lookup.maxEntrySize())) {
					return connection.inbound().receive().then();
				}
				return connection.inbound()
					.receive()
					.aggregate()
					.defaultIfEmpty(io.netty.buffer.Unpooled.EMPTY_BUFFER)
					.doOnNext((body) -> this.cache.refreshed(lookup, request, status, response.responseHeaders(),
							client, body))
					.then();
			})
			.then()
			.timeout(upstream.timeouts().total())
			.doFinally((signal) -> this.cache.refreshEnded(lookup))
			.subscribe(null, (error) -> logger.info("proxy {}: background refresh of {} at {} failed: {}",
					upstream.name(), uri, server.url(), error.toString()));
	}

	static long contentLength(HttpHeaders headers) {
		String value = headers.get(HttpHeaderNames.CONTENT_LENGTH);
		if (value == null || headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
			return -1;
		}
		try {
			return Long.parseLong(value.trim());
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	/**
	 * A request target in origin form (path and query): the client is aimed at the server
	 * already, and an absolute-form target from the client ({@code GET
	 * http://host/x}) must not choose another host.
	 */
	static String originForm(String target) {
		if (target.startsWith("/")) {
			return target;
		}
		int scheme = target.indexOf("://");
		if (scheme < 0) {
			return "/";
		}
		int path = target.indexOf('/', scheme + 3);
		int query = target.indexOf('?', scheme + 3);
		if (path < 0 || (query >= 0 && query < path)) {
			return (query >= 0) ? "/" + target.substring(query) : "/";
		}
		return target.substring(path);
	}

	private static ProxyOutcome outcome(int status) {
		if (status == 508) {
			return ProxyOutcome.LOOP;
		}
		return (status == 502 || status == 503 || status == 504) ? ProxyOutcome.BAD_STATUS : ProxyOutcome.SUCCESS;
	}

	private Mono<Boolean> failed(Try current, Throwable error) {
		Attempt attempt = current.attempt;
		if (error instanceof BodyTooLargeException) {
			// the client's fault, not the server's: the kernel answers 413
			current.end(ProxyOutcome.CANCELLED, error.getMessage());
			return Mono.error(error);
		}
		if (clientGone(attempt.exchange)) {
			// the client closed its connection: whatever the error says, the server is
			// not at fault, and there is nobody left to answer
			current.end(ProxyOutcome.CANCELLED, "cancelled: the client went away");
			return Mono.empty();
		}
		ProxyOutcome outcome = classify(current, error);
		String message = describe(outcome, error);
		current.end(outcome, message);
		if (attempt.exchange.response().hasSentHeaders()) {
			// the response has begun: the client's connection is closed, as the body
			// cannot be finished
			return Mono.error(error);
		}
		attempt.timedOut = outcome == ProxyOutcome.TIMEOUT;
		if (outcome == ProxyOutcome.CONNECT_FAILURE && !attempt.pastDeadline()) {
			return Mono.just(Boolean.TRUE);
		}
		if (attempt.canRetry()) {
			attempt.retried++;
			return Mono.just(Boolean.TRUE);
		}
		attempt.exhausted = true;
		return fail(attempt).then(Mono.empty());
	}

	private static ProxyOutcome classify(Try current, Throwable error) {
		if (error instanceof DecoderException && error.getCause() != null) {
			// a TLS failure is reported by the decoder that met it
			error = error.getCause();
		}
		if (!current.sent || error instanceof ConnectException || error instanceof UnknownHostException
				|| error instanceof SSLException) {
			return (error instanceof TimeoutException || error instanceof ReadTimeoutException) && current.sent
					? ProxyOutcome.TIMEOUT : ProxyOutcome.CONNECT_FAILURE;
		}
		if (error instanceof TimeoutException || error instanceof ReadTimeoutException) {
			return ProxyOutcome.TIMEOUT;
		}
		return ProxyOutcome.RESET;
	}

	private static String describe(ProxyOutcome outcome, Throwable error) {
		String message = (error.getMessage() != null) ? error.getMessage() : error.getClass().getSimpleName();
		if (error instanceof ReadTimeoutException
				|| (error instanceof TimeoutException && outcome == ProxyOutcome.TIMEOUT)) {
			message = "no data within the timeout";
		}
		else if (error instanceof ClosedChannelException || error instanceof IOException) {
			message = (error.getMessage() != null) ? error.getMessage() : "connection closed";
		}
		int newline = message.indexOf('\n');
		return outcome.key() + ": " + ((newline > 0) ? message.substring(0, newline) : message);
	}

	/**
	 * Every server failed or none was left: 502, 504 after a timeout, 508 when every
	 * server was this node or answered 508.
	 */
	Mono<Void> fail(Attempt attempt) {
		Exchange exchange = attempt.exchange;
		Upstream upstream = attempt.route.upstream().upstream();
		if (clientGone(exchange)) {
			return Mono.empty();
		}
		if (attempt.cache != null) {
			Mono<Void> stale = this.cache.failed(attempt.cache, exchange);
			if (stale != null) {
				logger.warn("proxy {}: {}; answered from the cache (stale-if-error)", upstream.name(),
						attempt.failures);
				return stale;
			}
		}
		int status;
		if (attempt.failures.isEmpty()) {
			status = 502;
			attempt.failures.append("no server available");
		}
		else if (attempt.loops > 0 && attempt.loops == attempt.tries) {
			status = 508;
		}
		else {
			status = attempt.timedOut ? 504 : 502;
		}
		exchange.attribute(Exchange.ERROR_REASON, "proxy " + upstream.name() + ": " + attempt.failures);
		return exchange.sendError(status);
	}

	/**
	 * Whether the client's connection (or HTTP/2 stream) is closed: an error seen then is
	 * the client leaving, not a failure of the server.
	 */
	static boolean clientGone(Exchange exchange) {
		return exchange.request() instanceof Connection connection && !connection.channel().isActive();
	}

	private static String publicBase(Exchange exchange) {
		String host = ForwardedHeaders.host(exchange);
		if (host == null) {
			return null;
		}
		return (exchange.connection().isSecure() ? "https://" : "http://") + host;
	}

	private static boolean isWebSocket(HttpHeaders headers) {
		String upgrade = headers.get(HttpHeaderNames.UPGRADE);
		return upgrade != null && upgrade.trim().equalsIgnoreCase("websocket")
				&& headers.containsValue(HttpHeaderNames.CONNECTION, "upgrade", true);
	}

	/**
	 * The protocols a request asks to switch to, when the proxy cannot pass that on:
	 * {@code null} for no upgrade (no {@code Upgrade} token in {@code Connection}), and
	 * for upgrades a server may ignore and answer in HTTP/1.1 anyway ({@code h2c},
	 * {@code TLS/1.x}, which clients offer on ordinary requests), which are removed with
	 * the other hop-by-hop headers.
	 */
	static @Nullable String requiredUpgrade(HttpHeaders headers) {
		String upgrade = headers.get(HttpHeaderNames.UPGRADE);
		if (upgrade == null || !headers.containsValue(HttpHeaderNames.CONNECTION, "upgrade", true)) {
			return null;
		}
		for (String protocol : upgrade.split(",")) {
			String name = protocol.trim().toLowerCase(Locale.ROOT);
			if (!name.isEmpty() && !name.equals("h2c") && !name.startsWith("tls/")) {
				return upgrade.trim();
			}
		}
		return null;
	}

	private static boolean hasBody(HttpServerRequest request) {
		HttpHeaders headers = request.requestHeaders();
		if (headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
			return true;
		}
		String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
		if (length != null) {
			return !"0".equals(length.trim());
		}
		HttpMethod method = request.method();
		// HTTP/2 may carry a body without a length
		return !(HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method) || HttpMethod.DELETE.equals(method)
				|| HttpMethod.OPTIONS.equals(method) || HttpMethod.TRACE.equals(method));
	}

	private static long hash(Exchange exchange, Upstream upstream) {
		if (upstream.balancer() == BalancerKind.SOURCE_HASH) {
			byte[] address = exchange.clientAddress().getAddress().getAddress();
			return Balancer.mix(java.util.Arrays.hashCode(address));
		}
		if (upstream.balancer() != BalancerKind.CONSISTENT_HASH) {
			return 0;
		}
		HashKey key = upstream.hashKey();
		String value = switch (key.source()) {
			case URI -> exchange.request().uri();
			case HEADER -> exchange.request().requestHeaders().get(key.name());
			case COOKIE -> {
				var cookies = exchange.request().allCookies().get(key.name());
				yield (cookies == null || cookies.isEmpty()) ? null : cookies.get(0).value();
			}
		};
		return Balancer.hash((value != null) ? value : "");
	}

	void stateChange(ServerTracker tracker, boolean before, UpstreamServer server) {
		boolean after = tracker.available();
		if (before != after) {
			ServerCondition condition = tracker.condition(server.drain());
			if (!after) {
				logger.warn("proxy {}: server {} is down: {}", tracker.upstream(), tracker.url(),
						(tracker.lastErrorMessage() != null) ? tracker.lastErrorMessage() : "failed");
			}
			else {
				logger.info("proxy {}: server {} is up", tracker.upstream(), tracker.url());
			}
			notifyState(tracker, condition);
		}
	}

	void notifyState(ServerTracker tracker, ServerCondition condition) {
		try {
			this.listener.onServerState(tracker.upstream(), tracker.url(), condition);
		}
		catch (RuntimeException ex) {
			logger.warn("proxy listener failed: {}", ex.toString());
		}
	}

	void notifyResponse(ServerTracker tracker, ProxyOutcome outcome, Duration duration) {
		try {
			this.listener.onResponse(tracker.upstream(), tracker.url(), outcome, duration);
		}
		catch (RuntimeException ex) {
			logger.warn("proxy listener failed: {}", ex.toString());
		}
	}

	/** One request's progress over the servers. */
	static final class Attempt {

		final Exchange exchange;

		final ProxyRoute route;

		final long hash;

		final boolean[] tried;

		final boolean idempotent;

		final long deadline;

		final StringBuilder failures = new StringBuilder();

		int tries;

		int loops;

		int retried;

		boolean bodyStarted;

		boolean timedOut;

		boolean exhausted;

		@Nullable Lookup cache;

		Attempt(Exchange exchange, ProxyRoute route, long hash) {
			this.exchange = exchange;
			this.route = route;
			this.hash = hash;
			this.tried = new boolean[route.upstream().size()];
			HttpMethod method = exchange.request().method();
			this.idempotent = HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)
					|| HttpMethod.OPTIONS.equals(method) || HttpMethod.PUT.equals(method)
					|| HttpMethod.DELETE.equals(method) || HttpMethod.TRACE.equals(method);
			this.deadline = System.nanoTime() + route.upstream().upstream().retryTimeout().toNanos();
		}

		boolean pastDeadline() {
			return System.nanoTime() - this.deadline > 0;
		}

		boolean canRetry() {
			return this.idempotent && !this.bodyStarted && this.retried < this.route.upstream().upstream().retries()
					&& !pastDeadline();
		}

		void failed(UpstreamServer server, String why, boolean counted) {
			this.tries++;
			if (!this.failures.isEmpty()) {
				this.failures.append("; ");
			}
			this.failures.append(server.url()).append(" (").append(why).append(')');
		}

	}

	/** One try at one server; ends once, whichever way. */
	final class Try {

		final Attempt attempt;

		final int index;

		final UpstreamServer server;

		final ServerTracker tracker;

		final long start;

		final AtomicBoolean ended = new AtomicBoolean();

		volatile boolean sent;

		Try(Attempt attempt, int index, UpstreamServer server, ServerTracker tracker, long start) {
			this.attempt = attempt;
			this.index = index;
			this.server = server;
			this.tracker = tracker;
			this.start = start;
		}

		ProxyHandler handler() {
			return ProxyHandler.this;
		}

		void end(ProxyOutcome outcome, String message) {
			if (!this.ended.compareAndSet(false, true)) {
				return;
			}
			this.tracker.finished();
			Upstream upstream = this.attempt.route.upstream().upstream();
			boolean before = this.tracker.available();
			if (outcome == ProxyOutcome.SUCCESS) {
				this.tracker.succeeded();
			}
			else if (outcome.failure()) {
				this.attempt.failed(this.server, message, true);
				this.tracker.failed(message, upstream.maxFails(), upstream.failTimeout().toMillis());
			}
			stateChange(this.tracker, before, this.server);
			notifyResponse(this.tracker, outcome, Duration.ofNanos(System.nanoTime() - this.start));
		}

	}

}
