package dev.capuchin.plugin.proxy.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.capuchin.plugin.proxy.HealthCheck;
import dev.capuchin.plugin.proxy.ProxyListener;
import dev.capuchin.plugin.proxy.Upstream;
import dev.capuchin.plugin.proxy.UpstreamServer;
import io.netty.channel.ChannelOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Active health checks, off the request path: one thread of its own wakes every
 * {@value #TICK_MILLIS} ms and starts the checks that are due, on one event loop of its
 * own (never the workers', whose connection counts a client must not touch), without
 * pooled connections, one check per server at a time. Verdicts go into the servers'
 * {@link ServerTracker}s, which every worker reads.
 */
public final class HealthChecker {

	static final long TICK_MILLIS = 100;

	private static final Logger logger = LoggerFactory.getLogger(HealthChecker.class);

	private final ProxyListener listener;

	private final Map<String, Long> due = new ConcurrentHashMap<>();

	private final Map<String, Disposable> running = new ConcurrentHashMap<>();

	private volatile List<PreparedUpstream> upstreams = List.of();

	private ScheduledExecutorService timer;

	private LoopResources loops;

	private HttpClient client;

	/**
	 * Create a checker.
	 * @param listener told of state changes
	 */
	public HealthChecker(ProxyListener listener) {
		this.listener = listener;
	}

	/**
	 * Start the thread and the loop.
	 */
	public synchronized void start() {
		this.loops = LoopResources.create("capuchin-proxy-health", 1, true);
		this.client = HttpClient.create(ConnectionProvider.newConnection())
			.runOn(this.loops)
			.followRedirect(false)
			.compress(false);
		this.timer = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "capuchin-proxy-health-timer");
			thread.setDaemon(true);
			return thread;
		});
		this.timer.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
	}

	/**
	 * Check the upstreams of a new table from now on.
	 * @param upstreams the upstreams
	 */
	public void upstreams(List<PreparedUpstream> upstreams) {
		this.upstreams = List.copyOf(upstreams);
	}

	/**
	 * Stop checking.
	 */
	public synchronized void stop() {
		if (this.timer != null) {
			this.timer.shutdownNow();
			this.running.values().forEach(Disposable::dispose);
			this.loops.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).block(Duration.ofSeconds(3));
			this.timer = null;
		}
	}

	private void tick() {
		try {
			long now = System.nanoTime();
			for (PreparedUpstream prepared : this.upstreams) {
				Upstream upstream = prepared.upstream();
				HealthCheck check = upstream.health();
				if (check == null) {
					continue;
				}
				for (int i = 0; i < prepared.size(); i++) {
					ServerTracker tracker = prepared.tracker(i);
					String key = ServerRegistry.key(upstream.name(), tracker.url());
					Long next = this.due.get(key);
					if ((next != null && now - next < 0) || this.running.containsKey(key)) {
						continue;
					}
					this.due.put(key, now + check.interval().toNanos());
					check(key, upstream, upstream.servers().get(i), tracker, check);
				}
			}
		}
		catch (RuntimeException ex) {
			logger.warn("proxy health checks: {}", ex.toString());
		}
	}

	private void check(String key, Upstream upstream, UpstreamServer server, ServerTracker tracker, HealthCheck check) {
		HttpClient client = this.client.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) check.timeout().toMillis())
			.headers((headers) -> headers.set("User-Agent", "Capuchin-health-check"));
		if (server.secure()) {
			client = ProxyClients.configureTls(client, upstream.tls());
		}
		Disposable disposable = client.get()
			.uri(server.url() + check.path())
			.responseSingle((response, body) -> body.then(Mono.just(response.status().code()))
				.defaultIfEmpty(response.status().code()))
			.timeout(check.timeout())
			.map((status) -> check.expect().contains(status) ? new Verdict(true, "status " + status)
					: new Verdict(false, "status " + status + " (expected: " + check.expect() + ")"))
			.onErrorResume((error) -> Mono.just(new Verdict(false, describe(error))))
			.doFinally((signal) -> this.running.remove(key))
			.subscribe((verdict) -> record(tracker, server, check, verdict));
		if (!disposable.isDisposed()) {
			this.running.put(key, disposable);
		}
	}

	private void record(ServerTracker tracker, UpstreamServer server, HealthCheck check, Verdict verdict) {
		boolean changed = tracker.checked(check, verdict.healthy(), verdict.outcome());
		if (changed) {
			if (verdict.healthy()) {
				logger.info("proxy {}: server {} is up again: health check {}", tracker.upstream(), tracker.url(),
						verdict.outcome());
			}
			else {
				logger.warn("proxy {}: server {} is down: health check {}", tracker.upstream(), tracker.url(),
						verdict.outcome());
			}
			try {
				this.listener.onServerState(tracker.upstream(), tracker.url(), tracker.condition(server.drain()));
			}
			catch (RuntimeException ex) {
				logger.warn("proxy listener failed: {}", ex.toString());
			}
		}
	}

	private static String describe(Throwable error) {
		if (error instanceof java.util.concurrent.TimeoutException) {
			return "timed out";
		}
		String message = (error.getMessage() != null) ? error.getMessage() : error.getClass().getSimpleName();
		int newline = message.indexOf('\n');
		return (newline > 0) ? message.substring(0, newline) : message;
	}

	private record Verdict(boolean healthy, String outcome) {
	}

}
