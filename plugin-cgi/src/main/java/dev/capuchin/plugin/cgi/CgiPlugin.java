package dev.capuchin.plugin.cgi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import dev.capuchin.core.spi.Exchange;
import dev.capuchin.core.spi.HandleResult;
import dev.capuchin.core.spi.Location;
import dev.capuchin.core.spi.Plugin;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.SiteTable;
import dev.capuchin.core.spi.Stage;
import dev.capuchin.plugin.cgi.internal.CgiBlocks;
import dev.capuchin.plugin.cgi.internal.CgiRunner;
import dev.capuchin.plugin.cgi.internal.LaunchMechanism;
import dev.capuchin.plugin.cgi.internal.Limiter;
import dev.capuchin.plugin.cgi.internal.Script;
import dev.capuchin.plugin.cgi.internal.ScriptProcess;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Stage {@link Stage#HANDLE}: runs CGI/1.1 scripts (RFC 3875) for the locations with a
 * {@code cgi:} block. The request path is split into the script (the longest leading part
 * that is a file under the document root, resolved by the kernel's rules) and its
 * {@code PATH_INFO}; a path that names no script of the location is declined and left to
 * the static files.
 * <p>
 * Each site runs at most {@code max-concurrent} scripts; a request that finds no place
 * waits {@code queue-timeout} for one, then gets 503 with {@code Retry-After}. Beyond
 * {@code max-processes} scripts in all, requests get 503 at once. A script that outruns
 * its {@code timeout} is killed with its whole process group (504). Details of one run:
 * {@link CgiRunner}.
 */
public final class CgiPlugin implements Plugin {

	/** The plugin's name, as in {@code capuchin.plugins.cgi}. */
	public static final String NAME = "cgi";

	/**
	 * The plugin's order among HANDLE plugins: before the directory listings (1000), as a
	 * CGI location claims its scripts whatever else would list them.
	 */
	public static final int ORDER = 500;

	/** The stages the plugin uses: {@link Stage#HANDLE}. */
	public static final Set<Stage> STAGES = Set.of(Stage.HANDLE);

	private static final Logger logger = LoggerFactory.getLogger(CgiPlugin.class);

	private final CgiSettings settings;

	private final CgiOutcomeListener listener;

	private final Path passwd;

	private final Map<String, Limiter> limiters = new ConcurrentHashMap<>();

	private final AtomicInteger running = new AtomicInteger();

	private final AtomicLong requests = new AtomicLong();

	private final Map<CgiOutcome, LongAdder> outcomes = new EnumMap<>(CgiOutcome.class);

	private volatile CgiRunner runner;

	private volatile ExecutorService executor;

	/**
	 * Create the plugin.
	 * @param settings the global settings
	 * @param listener told of every request's outcome
	 */
	public CgiPlugin(CgiSettings settings, CgiOutcomeListener listener) {
		this(settings, listener, Path.of("/etc/passwd"));
	}

	CgiPlugin(CgiSettings settings, CgiOutcomeListener listener, Path passwd) {
		this.settings = Objects.requireNonNull(settings, "settings");
		this.listener = Objects.requireNonNull(listener, "listener");
		this.passwd = passwd;
		for (CgiOutcome outcome : CgiOutcome.values()) {
			this.outcomes.put(outcome, new LongAdder());
		}
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
	 * The global settings.
	 * @return the settings
	 */
	public CgiSettings settings() {
		return this.settings;
	}

	@Override
	public Object prepare(SiteTable sites) {
		return CgiBlocks.prepare(sites, this.settings, this.passwd, currentUid());
	}

	@Override
	public void start() {
		ScriptProcess.Tools tools = ScriptProcess.Tools.find();
		logger.info(LaunchMechanism.startLine(System::getProperty));
		if (tools.setsid() == null || tools.kill() == null) {
			logger.warn("setsid or kill (util-linux, procps) not found: a timed-out script's children are killed "
					+ "only while they are its descendants");
		}
		// four blocking tasks per script at most (spawn and header read then stdout,
		// stdin, stderr, the final wait), so the pool never queues behind a script
		int threads = 4 * this.settings.maxProcesses();
		ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(threads), new CgiThreads());
		pool.allowCoreThreadTimeOut(true);
		this.executor = pool;
		this.runner = new CgiRunner(tools, pool, System.getenv(), this.settings.maxHeaderSize());
	}

	/**
	 * Kill the scripts still running once the requests in flight had their time, so that
	 * their requests end (and are logged) while the worker loops still run.
	 */
	@Override
	public void drain() {
		CgiRunner scripts = this.runner;
		if (scripts != null) {
			this.runner = null;
			scripts.killAll();
		}
	}

	@Override
	public void stop() {
		drain();
		ExecutorService running = this.executor;
		if (running != null) {
			this.executor = null;
			running.shutdownNow();
		}
	}

	@Override
	public Mono<HandleResult> handle(Exchange exchange) {
		CgiBlocks blocks = exchange.state(this);
		Site site = exchange.site();
		Location location = exchange.location();
		CgiLocation cgi = (blocks != null) ? blocks.location(site, location) : null;
		if (cgi == null) {
			return DECLINE;
		}
		Script script;
		try {
			script = Script.resolve(site, location, cgi, exchange.path());
		}
		catch (Script.Refused ex) {
			return refuse(exchange, ex.status(), ex.getMessage());
		}
		catch (IOException ex) {
			// the static files meet the same failure and answer it
			return DECLINE;
		}
		if (script == null) {
			return DECLINE;
		}
		CgiRunner runner = this.runner;
		if (runner == null) {
			return Mono.error(new IllegalStateException("plugin cgi is not started"));
		}
		this.requests.incrementAndGet();
		Limiter limiter = limiter(site, blocks.maxConcurrent(site, this.settings.maxConcurrent()));
		return limiter.acquire(cgi.queueTimeout()).flatMap((place) -> {
			if (this.running.incrementAndGet() > this.settings.maxProcesses()) {
				this.running.decrementAndGet();
				place.release();
				return Mono.error(new Limiter.Full());
			}
			try {
				return runner.run(exchange, cgi, script, blocks, (outcome) -> {
					this.running.decrementAndGet();
					place.release();
					count(site, outcome);
				});
			}
			catch (RuntimeException ex) {
				this.running.decrementAndGet();
				place.release();
				throw ex;
			}
		})
			.onErrorResume((ex) -> ex instanceof Limiter.Full
					|| (ex instanceof RejectedExecutionException && this.runner != null), (ex) -> {
						count(site, CgiOutcome.OVERLOADED);
						return overloaded(exchange, script, cgi);
					})
			.thenReturn(HandleResult.DONE);
	}

	private Mono<Void> overloaded(Exchange exchange, Script script, CgiLocation cgi) {
		exchange.attribute(Exchange.ERROR_REASON, "cgi " + script.scriptName() + ": all places of site "
				+ exchange.site().name() + " taken for " + cgi.queueTimeout().toMillis() + " ms");
		long seconds = Math.max(1, (cgi.queueTimeout().toMillis() + 999) / 1000);
		exchange.response().header(HttpHeaderNames.RETRY_AFTER, Long.toString(seconds));
		return exchange.sendError(503);
	}

	private Mono<HandleResult> refuse(Exchange exchange, int status, String reason) {
		this.requests.incrementAndGet();
		count(exchange.site(), CgiOutcome.REFUSED);
		exchange.attribute(Exchange.ERROR_REASON, reason);
		return exchange.sendError(status).thenReturn(HandleResult.DONE);
	}

	private void count(Site site, CgiOutcome outcome) {
		this.outcomes.get(outcome).increment();
		try {
			this.listener.ended(site.name(), outcome);
		}
		catch (RuntimeException ex) {
			logger.warn("cgi outcome listener failed", ex);
		}
	}

	private Limiter limiter(Site site, int places) {
		// keyed by the limit too: a new table with another limit starts a new count, the
		// old one drains with the requests that hold it
		return this.limiters.computeIfAbsent(site.name() + '\0' + places, (key) -> new Limiter(places));
	}

	@Override
	public CgiStatus status() {
		Map<String, Long> byOutcome = new LinkedHashMap<>();
		this.outcomes.forEach((outcome, count) -> byOutcome.put(outcome.tag(), count.sum()));
		Map<String, Integer> bySite = new LinkedHashMap<>();
		int waiting = 0;
		for (Map.Entry<String, Limiter> entry : this.limiters.entrySet()) {
			String site = entry.getKey().substring(0, entry.getKey().indexOf('\0'));
			int taken = entry.getValue().taken();
			waiting += entry.getValue().waiting();
			if (taken > 0) {
				bySite.merge(site, taken, Integer::sum);
			}
		}
		long timeouts = byOutcome.get(CgiOutcome.TIMEOUT.tag());
		long errors = timeouts + byOutcome.get(CgiOutcome.MALFORMED.tag()) + byOutcome.get(CgiOutcome.FAILED.tag());
		return new CgiStatus(this.running.get(), waiting, this.requests.get(), byOutcome, timeouts, errors, bySite);
	}

	/**
	 * The effective user id Capuchin runs as, from {@code /proc/self/status} (-1 when
	 * unknown).
	 */
	static int currentUid() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
				if (line.startsWith("Uid:")) {
					return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// not Linux: user switching is refused below unless the user is ours
		}
		return -1;
	}

	/** Daemon threads named cgi-N: they never keep the JVM alive. */
	private static final class CgiThreads implements java.util.concurrent.ThreadFactory {

		private final AtomicInteger count = new AtomicInteger();

		@Override
		public Thread newThread(Runnable task) {
			Thread thread = new Thread(task, "cgi-" + this.count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		}

	}

}
