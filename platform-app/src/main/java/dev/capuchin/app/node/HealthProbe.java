package dev.capuchin.app.node;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;

import org.springframework.context.SmartLifecycle;

/**
 * A health probe on a port of its own ({@code capuchin.node.health-port}), for load
 * balancers and service managers in front of nodes without a control listener:
 * {@code GET /health} (or {@code HEAD}) answers 200 with
 * {@code {"status":"UP","configuration-version":N}} while the data plane runs, 503 with
 * {@code "DOWN"} otherwise; anything else is 404. It runs on one event loop of its own,
 * never on the data plane's workers, so a busy data plane cannot starve it and it cannot
 * slow the data plane.
 */
public final class HealthProbe implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(HealthProbe.class);

	/** An idle probe connection is closed after this long (a probe opens and goes). */
	static final Duration IDLE_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration BIND_TIMEOUT = Duration.ofSeconds(10);

	private final String host;

	private final int port;

	private final BooleanSupplier serving;

	private final LongSupplier version;

	private LoopResources loops;

	private DisposableServer server;

	/**
	 * Create the probe.
	 * @param host the address to listen on
	 * @param port the port, 0 for any free one
	 * @param serving whether the node serves (its data plane runs, or it has none)
	 * @param version the configuration version the node serves
	 */
	public HealthProbe(String host, int port, BooleanSupplier serving, LongSupplier version) {
		if (port < 0 || port > 65535) {
			throw new IllegalArgumentException("capuchin.node.health-port: " + port + " (expected: 0..65535)");
		}
		this.host = Objects.requireNonNull(host, "host");
		this.port = port;
		this.serving = Objects.requireNonNull(serving, "serving");
		this.version = Objects.requireNonNull(version, "version");
	}

	@Override
	public synchronized void start() {
		if (this.server != null) {
			return;
		}
		this.loops = LoopResources.create("capuchin-health", 1, 1, true, false);
		this.server = HttpServer.create()
			.host(this.host)
			.port(this.port)
			.runOn(this.loops, false)
			.idleTimeout(IDLE_TIMEOUT)
			.route((routes) -> routes.get("/health", this::health).head("/health", this::health))
			.bindNow(BIND_TIMEOUT);
		logger.info("Health probe on http://{}:{}/health", this.host, port());
	}

	private Mono<Void> health(HttpServerRequest request, HttpServerResponse response) {
		boolean up = this.serving.getAsBoolean();
		String body = "{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"configuration-version\":"
				+ this.version.getAsLong() + "}";
		return response.status(up ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
			.header(HttpHeaderNames.CACHE_CONTROL, "no-store")
			.sendString(Mono.just(body), StandardCharsets.UTF_8)
			.then();
	}

	/**
	 * The port the probe listens on.
	 * @return the bound port
	 * @throws IllegalStateException when the probe is not running
	 */
	public synchronized int port() {
		if (this.server == null) {
			throw new IllegalStateException("the health probe is not running");
		}
		return ((InetSocketAddress) this.server.address()).getPort();
	}

	@Override
	public synchronized void stop() {
		if (this.server != null) {
			this.server.disposeNow(BIND_TIMEOUT);
			this.server = null;
			this.loops.disposeLater().block(BIND_TIMEOUT);
			this.loops = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.server != null;
	}

}
