package dev.capuchin.plugin.fastcgi;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.capuchin.core.spi.Exchange;
import dev.capuchin.core.spi.HandleResult;
import dev.capuchin.core.spi.Location;
import dev.capuchin.core.spi.Plugin;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.SiteTable;
import dev.capuchin.core.spi.Stage;
import dev.capuchin.plugin.fastcgi.internal.FastCgiBlocks;
import dev.capuchin.plugin.fastcgi.internal.FastCgiCall;
import dev.capuchin.plugin.fastcgi.internal.FastCgiConnection;
import dev.capuchin.plugin.fastcgi.internal.FastCgiFailure;
import dev.capuchin.plugin.fastcgi.internal.FastCgiParams;
import dev.capuchin.plugin.fastcgi.internal.ResponseHead;
import dev.capuchin.plugin.fastcgi.internal.ScriptTarget;
import dev.capuchin.plugin.fastcgi.internal.ServerPool;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.Future;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Stage {@link Stage#HANDLE}: passes the requests of locations with a {@code fastcgi:}
 * block to a FastCGI application server such as php-fpm, and streams its answer back.
 * {@link ScriptTarget} decides which requests are passed (existing scripts, the front
 * controller) and which are refused (a missing script: 404) or left to static files.
 * <p>
 * Connections are kept alive ({@code FCGI_KEEP_CONN}) and pooled per application server
 * ({@link ServerPool}), with a maximum; the request body goes out as {@code FCGI_STDIN}
 * as the client sends it, and the response as the server writes it, never buffered whole.
 * A server that cannot be reached is a 502 after the next address of the block was tried,
 * one that stays silent a 504, one whose connections are all busy a 503;
 * {@code FCGI_STDERR} lines go to the site's error log ({@link Exchange#logError}) with
 * the script and the server. A client that goes away closes the connection to the server,
 * which frees its pool slot.
 */
public final class FastCgiPlugin implements Plugin {

	/** The plugin's name, as in {@code capuchin.plugins.fastcgi} and site files. */
	public static final String NAME = "fastcgi";

	/** The stages the plugin uses: {@link Stage#HANDLE}. */
	public static final Set<Stage> STAGES = Set.of(Stage.HANDLE);

	/** The plugin's order among HANDLE plugins: before directory listings. */
	public static final int ORDER = 300;

	private static final Logger logger = LoggerFactory.getLogger(FastCgiPlugin.class);

	private static final int MAX_STDERR_LINE = 2048;

	/**
	 * How long a stop waits for the pooled connections to close: a close on a running
	 * loop takes microseconds, the bound only keeps a stuck loop from holding the stop.
	 */
	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

	private final FastCgiSettings settings;

	private final FastCgiObserver observer;

	private final Map<FastCgiAddress, ServerPool> pools = new ConcurrentHashMap<>();

	/**
	 * Set once by {@link #drain()} or {@link #stop()}; guarded by {@code this}, as is
	 * making a pool.
	 */
	private boolean stopped;

	/**
	 * Create the plugin.
	 * @param settings the global defaults
	 * @param observer told of each request, for metrics
	 */
	public FastCgiPlugin(FastCgiSettings settings, FastCgiObserver observer) {
		this.settings = Objects.requireNonNull(settings, "settings");
		this.observer = Objects.requireNonNull(observer, "observer");
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public Set<Stage> stages() {
		return STAGES;
	}

	@Override
	public int order() {
		return ORDER;
	}

	/**
	 * The global defaults.
	 * @return the settings
	 */
	public FastCgiSettings settings() {
		return this.settings;
	}

	/**
	 * Compile the {@code fastcgi:} block of every location, and make a pool for each
	 * application server they name.
	 * @throws IllegalArgumentException naming the site and field at fault
	 */
	@Override
	public Object prepare(SiteTable sites) {
		Map<Location, FastCgiLocation> blocks = new IdentityHashMap<>();
		Map<FastCgiAddress, Integer> maxima = new LinkedHashMap<>();
		Map<FastCgiAddress, String> firstField = new LinkedHashMap<>();
		for (Site site : sites.sites()) {
			if (site.setting(NAME) != null) {
				throw new IllegalArgumentException("site " + site.name() + ": " + NAME
						+ ": not read at site level (expected: a fastcgi block in a location, such as match: \"\\\\.php$\")");
			}
			List<Location> locations = site.locations();
			for (int i = 0; i < locations.size(); i++) {
				Object raw = locations.get(i).setting(NAME);
				if (raw == null) {
					continue;
				}
				String field = "site " + site.name() + ": locations[" + i + "]." + NAME;
				FastCgiLocation block = FastCgiBlocks.compile(field, raw, this.settings);
				for (FastCgiAddress address : block.pass()) {
					Integer known = maxima.putIfAbsent(address, block.maxConnections());
					if (known != null && known != block.maxConnections()) {
						throw new IllegalArgumentException(field + ".max-connections: " + block.maxConnections()
								+ " for " + address + ", which " + firstField.get(address) + " gives " + known
								+ " (expected: one maximum per application server)");
					}
					firstField.putIfAbsent(address, field);
				}
				blocks.put(locations.get(i), block);
			}
		}
		maxima.forEach((address, max) -> {
			ServerPool pool = pool(address, max);
			if (pool != null) {
				pool.maxConnections(max);
			}
		});
		return blocks;
	}

	/**
	 * Close every pooled connection while the worker loops they live on still run, and
	 * wait (up to {@link #CLOSE_TIMEOUT}) until they are closed: each holds an
	 * application server's worker. Requests that come after get a 502.
	 */
	@Override
	public void drain() {
		closePools();
	}

	/**
	 * Close whatever {@link #drain()} left (nothing, when the server drained the plugin
	 * first).
	 */
	@Override
	public void stop() {
		closePools();
	}

	private void closePools() {
		List<ServerPool> closing;
		synchronized (this) {
			this.stopped = true;
			closing = new ArrayList<>(this.pools.values());
			this.pools.clear();
		}
		long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
		List<Future<?>> closed = new ArrayList<>();
		closing.forEach((pool) -> closed.addAll(pool.close()));
		for (Future<?> future : closed) {
			long left = deadline - System.nanoTime();
			if (left <= 0 || !future.awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) {
				logger.warn("connections to application servers still closing after {} ms", CLOSE_TIMEOUT.toMillis());
				return;
			}
		}
	}

	/**
	 * The pool of an application server, made on first use; none once the plugin stopped,
	 * so that a request in flight during {@link #drain()} cannot leave a pool (and its
	 * connections) behind.
	 */
	private synchronized @Nullable ServerPool pool(FastCgiAddress address, int maxConnections) {
		if (this.stopped) {
			return null;
		}
		return this.pools.computeIfAbsent(address,
				(key) -> new ServerPool(key, maxConnections, this.settings.idleTimeout()));
	}

	@Override
	public @Nullable Object status() {
		List<ServerPool.ServerStatus> servers = new ArrayList<>();
		for (ServerPool pool : this.pools.values()) {
			servers.add(pool.status());
		}
		servers.sort((a, b) -> a.server().compareTo(b.server()));
		return Map.of("servers", servers);
	}

	@Override
	public Mono<HandleResult> handle(Exchange exchange) {
		Map<Location, FastCgiLocation> blocks = exchange.state(this);
		Location location = exchange.location();
		FastCgiLocation block = (blocks != null && location != null) ? blocks.get(location) : null;
		if (block == null) {
			return DECLINE;
		}
		ScriptTarget target;
		try {
			// the same cost as the kernel's static files: a stat (and a realpath) on the
			// event loop
			target = ScriptTarget.resolve(exchange.site(), block, exchange.path());
		}
		catch (IOException ex) {
			return DECLINE;
		}
		if (target.declined()) {
			return DECLINE;
		}
		if (!target.passed()) {
			exchange.attribute(Exchange.ERROR_REASON, "no script for " + exchange.path());
			return exchange.sendError(target.status()).thenReturn(HandleResult.DONE);
		}
		HttpHeaders headers = exchange.request().requestHeaders();
		String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
		if (length == null && (headers.contains(HttpHeaderNames.TRANSFER_ENCODING) || hasHttp2Body(exchange))) {
			// php reads CONTENT_LENGTH bytes: a body of unknown length is refused rather
			// than buffered whole to count it
			exchange.attribute(Exchange.ERROR_REASON, "request body without Content-Length for FastCGI");
			return exchange.sendError(411).thenReturn(HandleResult.DONE);
		}
		Flux<ByteBuf> body = (length != null && !length.equals("0")) ? exchange.request().receive().retain() : null;
		return pass(exchange, block, target, body).thenReturn(HandleResult.DONE);
	}

	private static boolean hasHttp2Body(Exchange exchange) {
		HttpMethod method = exchange.request().method();
		return exchange.request().version().majorVersion() == 2 && !HttpMethod.GET.equals(method)
				&& !HttpMethod.HEAD.equals(method) && !HttpMethod.DELETE.equals(method)
				&& !HttpMethod.OPTIONS.equals(method);
	}

	private Mono<Void> pass(Exchange exchange, FastCgiLocation block, ScriptTarget target,
			@Nullable Flux<ByteBuf> body) {
		Channel client = channelOf(exchange);
		EventLoop loop = client.eventLoop();
		List<Map.Entry<String, String>> params = FastCgiParams.of(exchange, block, target);
		Attempt attempt = new Attempt(exchange.site().name(), target.scriptName());
		Mono<Void> passed = connect(block, loop, 0, attempt, false)
			.flatMap((connection) -> exchange(exchange, block, loop, params, body, attempt, connection));
		if (body == null) {
			// what nginx does with a cached upstream connection: a kept connection the
			// server closed as it was handed over, before any byte of the answer, costs
			// one more try on a new connection, not a 502; a request with a body is not
			// retried, its body was streamed, not kept
			passed = passed.onErrorResume(
					(ex) -> ex instanceof FastCgiFailure failure && failure.kind() == FastCgiFailure.Kind.STALE,
					(ex) -> {
						logger.info("site {}: {}: {}; passed once more on a new connection", attempt.site,
								target.scriptName(), ex.getMessage());
						return connect(block, loop, Math.max(0, block.pass().indexOf(attempt.address)), attempt, true)
							.flatMap(
									(connection) -> exchange(exchange, block, loop, params, null, attempt, connection));
					});
		}
		return passed
			// the kernel does not cancel a request whose client went away before its
			// response was written: without this, it would still wait for a connection,
			// take one and run its script for nobody, ahead of the clients still there
			.takeUntilOther(clientGone(client, attempt))
			.onErrorResume((ex) -> {
				FastCgiFailure failure = (ex instanceof FastCgiFailure known) ? known
						: new FastCgiFailure(FastCgiFailure.Kind.BAD_RESPONSE, String.valueOf(ex));
				attempt.outcome = outcome(failure.kind());
				record(attempt);
				exchange.attribute(Exchange.ERROR_REASON, "fastcgi " + attempt.server + ": " + failure.getMessage());
				if (exchange.response().hasSentHeaders()) {
					// the response has begun: only closing the connection tells the
					// client
					logger.warn("site {}: {} cut after its headers: {}", attempt.site, target.scriptName(),
							failure.getMessage());
					return Mono.error(failure);
				}
				if (failure.kind() == FastCgiFailure.Kind.BUSY) {
					exchange.response().header(HttpHeaderNames.RETRY_AFTER, "1");
				}
				return exchange.sendError(failure.kind().status());
			})
			.doFinally((signal) -> record(attempt));
	}

	/** One request on an acquired connection, up to the end of its response. */
	private Mono<Void> exchange(Exchange exchange, FastCgiLocation block, EventLoop loop,
			List<Map.Entry<String, String>> params, @Nullable Flux<ByteBuf> body, Attempt attempt,
			FastCgiConnection connection) {
		String server = connection.pool().address().toString();
		exchange.attribute(Exchange.UPSTREAM, server);
		FastCgiCall call = new FastCgiCall(connection, block.keepConnection(), block.readTimeout(),
				this.settings.maxHeaderSize(), (line) -> stderr(exchange, attempt, server, line));
		call.start(params, body);
		Mono<ResponseHead> head = call.head();
		if (connection.channel().eventLoop() != loop) {
			head = head.publishOn(Schedulers.fromExecutor(loop));
		}
		return head.flatMap((parsed) -> respond(exchange, parsed, call)).doOnCancel(() -> {
			attempt.outcome = FastCgiOutcome.CLIENT_GONE;
			call.abort();
		}).doOnError((ex) -> {
			// a response that could not be sent (a header php wrote that HTTP refuses)
			// must not keep its connection
			call.abort();
		});
	}

	/** Count the request once, as soon as its outcome is known. */
	private void record(Attempt attempt) {
		if (attempt.recorded) {
			return;
		}
		attempt.recorded = true;
		FastCgiOutcome outcome = (attempt.outcome != null) ? attempt.outcome : FastCgiOutcome.RESPONDED;
		ServerPool pool = this.pools.get(attempt.address);
		if (pool != null) {
			pool.count(outcome != FastCgiOutcome.RESPONDED && outcome != FastCgiOutcome.CLIENT_GONE);
		}
		this.observer.requestEnded(attempt.site, attempt.server, outcome);
	}

	/**
	 * Acquire a connection to the block's servers, the next one when one is unreachable.
	 */
	private Mono<FastCgiConnection> connect(FastCgiLocation block, EventLoop loop, int index, Attempt attempt,
			boolean fresh) {
		FastCgiAddress address = block.pass().get(index);
		attempt.address = address;
		attempt.server = address.toString();
		ServerPool pool = pool(address, block.maxConnections());
		if (pool == null) {
			return Mono.error(new FastCgiFailure(FastCgiFailure.Kind.UNREACHABLE, "the plugin stopped"));
		}
		Mono<FastCgiConnection> acquired = fresh
				? pool.acquireNew(loop, block.connectTimeout(), this.settings.acquireTimeout())
				: pool.acquire(loop, block.connectTimeout(), this.settings.acquireTimeout());
		if (index + 1 >= block.pass().size()) {
			return acquired;
		}
		return acquired.onErrorResume(
				(ex) -> ex instanceof FastCgiFailure failure && failure.kind() == FastCgiFailure.Kind.UNREACHABLE,
				(ex) -> {
					logger.warn("site {}: {}; trying {}", attempt.site, ex.getMessage(), block.pass().get(index + 1));
					pool.count(true);
					return connect(block, loop, index + 1, attempt, fresh);
				});
	}

	private static Mono<Void> respond(Exchange exchange, ResponseHead head, FastCgiCall call) {
		HttpServerResponse response = exchange.response();
		response.status(HttpResponseStatus.valueOf(head.status()));
		boolean length = false;
		for (Map.Entry<String, String> header : head.headers()) {
			response.addHeader(header.getKey(), header.getValue());
			length |= header.getKey().equalsIgnoreCase("content-length");
		}
		boolean bodiless = HttpMethod.HEAD.equals(exchange.request().method()) || head.status() == 204
				|| head.status() == 304;
		ByteBuf whole = call.wholeBody();
		if (whole != null) {
			// the answer came whole: head and body go out in one write, with its length
			if (bodiless) {
				whole.release();
				return response.send();
			}
			exchange.bytesSent(whole.readableBytes());
			return response.send(Mono.just(whole)).then();
		}
		if (!length && HttpVersion.HTTP_1_0.equals(exchange.request().version())) {
			// no chunked coding for HTTP/1.0 (RFC 9112, 6.1): the body ends where the
			// connection does
			response.chunkedTransfer(false);
			response.keepAlive(false);
			response.header(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
		}
		Flux<ByteBuf> body = call.body();
		if (bodiless) {
			return body.doOnNext(ByteBuf::release).then(response.send());
		}
		long[] sent = new long[1];
		return response.send(body.doOnNext((chunk) -> {
			sent[0] += chunk.readableBytes();
			exchange.bytesSent(sent[0]);
		})).then();
	}

	/**
	 * An {@code FCGI_STDERR} line, to the site's error log (cut: a script may write
	 * without end); the log escapes it and never blocks, dropping lines it cannot keep.
	 */
	private static void stderr(Exchange exchange, Attempt attempt, String server, String line) {
		String cut = (line.length() > MAX_STDERR_LINE) ? line.substring(0, MAX_STDERR_LINE) + "..." : line;
		exchange.logError("fastcgi " + attempt.script + " (" + server + ") stderr: " + cut);
	}

	private static FastCgiOutcome outcome(FastCgiFailure.Kind kind) {
		return switch (kind) {
			case TIMEOUT -> FastCgiOutcome.TIMEOUT;
			case BUSY -> FastCgiOutcome.BUSY;
			default -> FastCgiOutcome.BAD_GATEWAY;
		};
	}

	private static Channel channelOf(Exchange exchange) {
		Channel[] holder = new Channel[1];
		exchange.request().withConnection((Connection connection) -> holder[0] = connection.channel());
		return holder[0];
	}

	/**
	 * Emits once the client's connection closed; its listener goes when the request ends
	 * (a kept-alive connection carries many requests).
	 */
	private static Mono<Boolean> clientGone(Channel client, Attempt attempt) {
		return Mono.create((sink) -> {
			ChannelFutureListener listener = (future) -> {
				if (attempt.outcome == null) {
					attempt.outcome = FastCgiOutcome.CLIENT_GONE;
				}
				sink.success(Boolean.TRUE);
			};
			client.closeFuture().addListener(listener);
			sink.onDispose(() -> client.closeFuture().removeListener(listener));
		});
	}

	/** What the request went through, for the error log and the metrics. */
	private static final class Attempt {

		final String site;

		final String script;

		volatile FastCgiAddress address;

		volatile String server;

		volatile FastCgiOutcome outcome;

		volatile boolean recorded;

		Attempt(String site, String script) {
			this.site = site;
			this.script = script;
		}

	}

}
