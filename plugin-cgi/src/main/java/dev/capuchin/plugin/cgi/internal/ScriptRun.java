package dev.capuchin.plugin.cgi.internal;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import dev.capuchin.core.spi.Exchange;
import dev.capuchin.plugin.cgi.CgiLocation;
import dev.capuchin.plugin.cgi.CgiOutcome;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.scheduler.Scheduler;
import reactor.netty.http.server.HttpServerResponse;

/**
 * One script run for one request: starts the script (its stdin fed by a
 * {@link StdinFeeder}, its stderr to the site's error log), reads its header block, and
 * answers: the script's response with its {@link ScriptBody}, a local redirect served
 * internally (a further run, or a file), or the error status of a failure (413, 502, 500,
 * 504). {@link #finish} hands the script to the {@link ScriptReaper} once the request
 * ended.
 */
final class ScriptRun {

	private static final Logger logger = LoggerFactory.getLogger(CgiRunner.class);

	private static final int MAX_LOCAL_REDIRECTS = 4;

	private final CgiRunner.Shared shared;

	private final Exchange exchange;

	private final CgiLocation cgi;

	private final Script script;

	private final Target target;

	private final CgiBlocks blocks;

	private final int depth;

	private volatile @Nullable ScriptProcess process;

	private volatile @Nullable StdinFeeder stdin;

	private volatile @Nullable CgiOutcome outcome;

	private volatile @Nullable ScriptRun redirected;

	ScriptRun(CgiRunner.Shared shared, Exchange exchange, CgiLocation cgi, Script script, Target target,
			CgiBlocks blocks, int depth) {
		this.shared = shared;
		this.exchange = exchange;
		this.cgi = cgi;
		this.script = script;
		this.target = target;
		this.blocks = blocks;
		this.depth = depth;
	}

	Mono<Void> flow(Scheduler loop) {
		return Mono.fromCallable(this::start)
			.subscribeOn(this.shared.scheduler())
			.publishOn(loop)
			.flatMap((head) -> respond(head, loop))
			.onErrorResume((ex) -> !(ex instanceof TimeoutException), this::failed);
	}

	/** Start the script, feed its stdin, and read its header block. Blocks. */
	private CgiHead start() throws IOException {
		Map<String, String> env = CgiEnvironment.of(this.exchange, this.target, this.script, this.cgi,
				this.shared.inherited());
		ScriptProcess started;
		try {
			started = ScriptProcess.start(this.shared.tools(), this.script, this.cgi.user(), env);
		}
		catch (IOException ex) {
			throw new StartFailed(ex);
		}
		this.process = started;
		this.shared.live().add(started);
		// to the site's error log, which never blocks (it drops what it cannot keep), so
		// the script never waits on a full stderr pipe
		String prefix = "cgi " + this.script.scriptName() + " stderr: ";
		started.pumpStderr(this.shared.executor(), (line) -> this.exchange.logError(prefix + line));
		if (this.target.hasBody()) {
			this.stdin = new StdinFeeder(this.exchange, started, this.shared.scheduler(), () -> {
				if (this.outcome == null) {
					this.outcome = CgiOutcome.CLIENT_GONE;
				}
			});
		}
		else {
			started.closeQuietly();
		}
		return CgiHead.read(started.process().getInputStream(), this.shared.maxHeaderSize(), this.script.nph());
	}

	private Mono<Void> respond(CgiHead head, Scheduler loop) {
		if (head.localRedirect()) {
			return localRedirect(head, loop);
		}
		HttpServerResponse response = this.exchange.response();
		response.status((head.reason() != null && !head.reason().isEmpty())
				? new HttpResponseStatus(head.status(), head.reason()) : HttpResponseStatus.valueOf(head.status()));
		for (Map.Entry<String, String> header : head.headers()) {
			if (header.getKey().equalsIgnoreCase("date") || header.getKey().equalsIgnoreCase("server")) {
				// the kernel set these: the script's replace them rather than doubling
				response.header(header.getKey(), header.getValue());
			}
			else {
				response.addHeader(header.getKey(), header.getValue());
			}
		}
		if (head.contentLength() < 0 && HttpVersion.HTTP_1_0.equals(this.exchange.request().version())) {
			// no chunked coding for HTTP/1.0 (RFC 9112 §6.1): the body ends where the
			// connection does
			response.chunkedTransfer(false);
			response.keepAlive(false);
			response.header(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
		}
		Flux<ByteBuf> body = ScriptBody.of(head, this.process.process().getInputStream(),
				this.exchange.response().alloc(), this.shared.scheduler());
		if (HttpMethod.HEAD.equals(this.exchange.request().method())) {
			return response.send().then(body.doOnNext(ByteBuf::release).then()).doOnSuccess((v) -> ok());
		}
		long[] sent = new long[1];
		return response.send(body.doOnNext((chunk) -> {
			sent[0] += chunk.readableBytes();
			this.exchange.bytesSent(sent[0]);
		})).then().doOnSuccess((v) -> ok());
	}

	private void ok() {
		if (this.outcome == null) {
			this.outcome = CgiOutcome.OK;
		}
	}

	private Mono<Void> localRedirect(CgiHead head, Scheduler loop) {
		String location = head.location();
		int mark = location.indexOf('?');
		String query = (mark >= 0) ? location.substring(mark + 1) : "";
		String path = LocalPaths.decode((mark >= 0) ? location.substring(0, mark) : location);
		if (path == null || this.depth >= MAX_LOCAL_REDIRECTS) {
			throw new CgiHead.Malformed((path == null) ? "local redirect to an unsafe path" : "local redirect loop");
		}
		Target next = new Target("GET", location, path, query, false);
		var site = this.exchange.site();
		var nextLocation = site.locate(path);
		CgiLocation nextCgi = this.blocks.location(site, nextLocation);
		try {
			Script nextScript = (nextCgi != null) ? Script.resolve(site, nextLocation, nextCgi, path) : null;
			if (nextScript != null) {
				ScriptRun run = new ScriptRun(this.shared, this.exchange, nextCgi, nextScript, next, this.blocks,
						this.depth + 1);
				this.redirected = run;
				return run.flow(loop).doFinally((signal) -> run.finish(signal, (outcome) -> {
				})).doOnSuccess((v) -> this.outcome = run.outcome);
			}
			return LocalPaths.sendFile(this.exchange, path).doOnSuccess((v) -> ok());
		}
		catch (IOException ex) {
			return Mono.error(ex);
		}
	}

	private Mono<Void> failed(Throwable ex) {
		ScriptProcess running = this.process;
		String lastError = (running != null) ? running.lastError() : null;
		String name = this.script.scriptName();
		StdinFeeder feeder = this.stdin;
		int status;
		if (feeder != null && feeder.tooLarge()) {
			this.outcome = CgiOutcome.REFUSED;
			status = 413;
			this.exchange.attribute(Exchange.ERROR_REASON,
					"cgi " + name + ": request body longer than " + this.exchange.maxBodySize() + " bytes");
		}
		else if (ex instanceof CgiHead.Malformed) {
			this.outcome = CgiOutcome.MALFORMED;
			status = 502;
			String reason = "cgi " + name + ": malformed output: " + ex.getMessage()
					+ ((lastError != null) ? "; stderr: " + lastError : "");
			this.exchange.attribute(Exchange.ERROR_REASON, reason);
			logger.warn("site {}: {}", this.exchange.site().name(), reason);
		}
		else if (ex instanceof StartFailed || ex instanceof Script.Refused) {
			this.outcome = CgiOutcome.FAILED;
			status = 500;
			String reason = "cgi " + name + ": cannot start: " + ex.getMessage();
			this.exchange.attribute(Exchange.ERROR_REASON, reason);
			logger.error("site {}: {}", this.exchange.site().name(), reason);
		}
		else {
			// the connection failed under the response: the client went away
			if (this.outcome == null) {
				this.outcome = CgiOutcome.CLIENT_GONE;
			}
			return Mono.error(ex);
		}
		if (this.exchange.response().hasSentHeaders()) {
			return Mono.error(ex);
		}
		return this.exchange.sendError(status);
	}

	Mono<Void> timedOut() {
		this.outcome = CgiOutcome.TIMEOUT;
		ScriptRun inner = this.redirected;
		String reason = "cgi " + this.script.scriptName() + ": timed out after " + this.cgi.timeout().toMillis()
				+ " ms, process group killed";
		this.exchange.attribute(Exchange.ERROR_REASON, reason);
		logger.warn("site {}: {}", this.exchange.site().name(), reason);
		kill(this);
		if (inner != null) {
			kill(inner);
		}
		if (this.exchange.response().hasSentHeaders()) {
			return Mono.error(new TimeoutException(reason));
		}
		return this.exchange.sendError(504);
	}

	private void kill(ScriptRun run) {
		ScriptProcess running = run.process;
		if (running != null) {
			this.shared.executor().execute(running::killGroup);
		}
	}

	/** Once the flow ended: make sure the script is gone, then report. */
	void finish(SignalType signal, Consumer<CgiOutcome> finished) {
		if (this.outcome == null) {
			this.outcome = (signal == SignalType.CANCEL) ? CgiOutcome.CLIENT_GONE : CgiOutcome.FAILED;
		}
		StdinFeeder feeding = this.stdin;
		if (feeding != null && this.outcome != CgiOutcome.OK) {
			feeding.stop();
		}
		ScriptProcess running = this.process;
		CgiOutcome result = this.outcome;
		if (running == null) {
			finished.accept(result);
			return;
		}
		ScriptReaper.reap(running, result, this.cgi.timeout().toMillis(), this.shared.executor(), this.shared.live(),
				finished, "site " + this.exchange.site().name() + ": cgi " + this.script.scriptName());
	}

	/** A script that could not be started. */
	static final class StartFailed extends IOException {

		StartFailed(IOException cause) {
			super(cause.getMessage(), cause);
		}

	}

}
