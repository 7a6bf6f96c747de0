package dev.capuchin.plugin.cgi.internal;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

import dev.capuchin.core.spi.Exchange;
import dev.capuchin.plugin.cgi.CgiLocation;
import dev.capuchin.plugin.cgi.CgiOutcome;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

/**
 * Runs one script for one request and streams its response: where the plugin's
 * {@code handle} ends up once a script and a place were found. Each request is a
 * {@link ScriptRun}; the runner holds what the runs share and the scripts still running.
 * <p>
 * Threads: every blocking step (the {@code fork}/{@code exec}, writes to the script's
 * stdin, reads of its stdout and stderr, killing) runs on the plugin's bounded executor,
 * at most four tasks per script; response headers are set back on the connection's event
 * loop. The body flows with back-pressure both ways: the request body is read from the
 * connection only as fast as the script takes it, and the script's stdout is read only as
 * fast as the connection sends it, one 16 KiB buffer at a time.
 */
public final class CgiRunner {

	private final Shared shared;

	/**
	 * Create a runner.
	 * @param tools the helper programs
	 * @param executor the bounded executor for blocking work
	 * @param inherited Capuchin's own environment
	 * @param maxHeaderSize the largest header block a script may write
	 */
	public CgiRunner(ScriptProcess.Tools tools, ExecutorService executor, Map<String, String> inherited,
			int maxHeaderSize) {
		this.shared = new Shared(tools, executor, Schedulers.fromExecutorService(executor, "cgi"),
				Map.copyOf(inherited), maxHeaderSize, ConcurrentHashMap.newKeySet());
	}

	/**
	 * Run a script for a request and send its response.
	 * @param exchange the request
	 * @param cgi the location's block
	 * @param script the script
	 * @param blocks the table's blocks, for local redirects
	 * @param finished told the outcome once the script is gone (exited or killed)
	 * @return completes when the response is sent
	 */
	public Mono<Void> run(Exchange exchange, CgiLocation cgi, Script script, CgiBlocks blocks,
			Consumer<CgiOutcome> finished) {
		ScriptRun run = new ScriptRun(this.shared, exchange, cgi, script, Target.of(exchange), blocks, 0);
		Scheduler loop = eventLoop(exchange);
		return run.flow(loop)
			.timeout(cgi.timeout(), Mono.defer(run::timedOut).subscribeOn(loop))
			.doFinally((signal) -> run.finish(signal, finished));
	}

	/**
	 * Kill every script still running, with its process group: the server is stopping,
	 * and a script must not outlive it. Blocks for the {@code kill} calls.
	 */
	public void killAll() {
		for (ScriptProcess running : this.shared.live()) {
			running.killGroup();
		}
	}

	private static Scheduler eventLoop(Exchange exchange) {
		if (exchange.request() instanceof Connection connection) {
			return Schedulers.fromExecutor(connection.channel().eventLoop());
		}
		return Schedulers.immediate();
	}

	/**
	 * What every run of a runner shares.
	 *
	 * @param tools the helper programs
	 * @param executor the bounded executor for blocking work
	 * @param scheduler the same executor, for Reactor
	 * @param inherited Capuchin's own environment
	 * @param maxHeaderSize the largest header block a script may write
	 * @param live every script started and not yet gone, for {@link #killAll()}
	 */
	record Shared(ScriptProcess.Tools tools, ExecutorService executor, Scheduler scheduler,
			Map<String, String> inherited, int maxHeaderSize, Set<ScriptProcess> live) {
	}

}
