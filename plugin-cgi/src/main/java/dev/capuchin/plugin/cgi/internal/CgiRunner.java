package dev.capuchin.plugin.cgi.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import dev.capuchin.core.spi.BodyTooLargeException;
import dev.capuchin.core.spi.Exchange;
import dev.capuchin.plugin.cgi.CgiLocation;
import dev.capuchin.plugin.cgi.CgiOutcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Runs one script for one request and streams its response: where the plugin's
 * {@code handle} ends up once a script and a place were found.
 * <p>
 * Threads: every blocking step (the {@code fork}/{@code exec}, writes to the script's
 * stdin, reads of its stdout and stderr, killing) runs on the plugin's bounded executor,
 * at most four tasks per script; response headers are set back on the connection's event
 * loop. The body flows with back-pressure both ways: the request body is read from the
 * connection only as fast as the script takes it, and the script's stdout is read only as
 * fast as the connection sends it, one 16 KiB buffer at a time.
 */
public final class CgiRunner {

	private static final Logger logger = LoggerFactory.getLogger(CgiRunner.class);

	private static final int CHUNK = 16 * 1024;

	private static final int MAX_LOCAL_REDIRECTS = 4;

	private final ScriptProcess.Tools tools;

	private final ExecutorService executor;

	private final Scheduler scheduler;

	private final Map<String, String> inherited;

	private final int maxHeaderSize;

	// every script started and not yet gone, for stop()
	private final Set<ScriptProcess> live = ConcurrentHashMap.newKeySet();

	/**
	 * Create a runner.
	 * @param tools the helper programs
	 * @param executor the bounded executor for blocking work
	 * @param inherited Capuchin's own environment
	 * @param maxHeaderSize the largest header block a script may write
	 */
	public CgiRunner(ScriptProcess.Tools tools, ExecutorService executor, Map<String, String> inherited,
			int maxHeaderSize) {
		this.tools = tools;
		this.executor = executor;
		this.scheduler = Schedulers.fromExecutorService(executor, "cgi");
		this.inherited = Map.copyOf(inherited);
		this.maxHeaderSize = maxHeaderSize;
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
		Run run = new Run(exchange, cgi, script, Target.of(exchange), blocks, 0);
		Scheduler loop = eventLoop(exchange);
		return run.flow(loop)
			.timeout(cgi.timeout(), Mono.defer(() -> run.timedOut()).subscribeOn(loop))
			.doFinally((signal) -> run.finish(signal, finished));
	}

	/**
	 * Kill every script still running, with its process group: the server is stopping,
	 * and a script must not outlive it. Blocks for the {@code kill} calls.
	 */
	public void killAll() {
		for (ScriptProcess running : this.live) {
			running.killGroup();
		}
	}

	private static Scheduler eventLoop(Exchange exchange) {
		if (exchange.request() instanceof Connection connection) {
			return Schedulers.fromExecutor(connection.channel().eventLoop());
		}
		return Schedulers.immediate();
	}

	/** One script run. */
	private final class Run {

		private final Exchange exchange;

		private final CgiLocation cgi;

		private final Script script;

		private final Target target;

		private final CgiBlocks blocks;

		private final int depth;

		private volatile @Nullable ScriptProcess process;

		private volatile @Nullable Disposable stdin;

		private volatile boolean bodyTooLarge;

		private volatile boolean stdinBroken;

		private volatile @Nullable CgiOutcome outcome;

		private volatile @Nullable Run redirected;

		Run(Exchange exchange, CgiLocation cgi, Script script, Target target, CgiBlocks blocks, int depth) {
			this.exchange = exchange;
			this.cgi = cgi;
			this.script = script;
			this.target = target;
			this.blocks = blocks;
			this.depth = depth;
		}

		Mono<Void> flow(Scheduler loop) {
			return Mono.fromCallable(this::start)
				.subscribeOn(CgiRunner.this.scheduler)
				.publishOn(loop)
				.flatMap((head) -> respond(head, loop))
				.onErrorResume((ex) -> !(ex instanceof TimeoutException), this::failed);
		}

		/** Start the script, feed its stdin, and read its header block. Blocks. */
		private CgiHead start() throws IOException {
			Map<String, String> env = CgiEnvironment.of(this.exchange, this.target, this.script, this.cgi,
					CgiRunner.this.inherited);
			ScriptProcess started;
			try {
				started = ScriptProcess.start(CgiRunner.this.tools, this.script, this.cgi.user(), env);
			}
			catch (IOException ex) {
				throw new StartFailed(ex);
			}
			this.process = started;
			CgiRunner.this.live.add(started);
			// to the site's error log, which never blocks (it drops what it cannot keep),
			// so the script never waits on a full stderr pipe
			String prefix = "cgi " + this.script.scriptName() + " stderr: ";
			started.pumpStderr(CgiRunner.this.executor, (line) -> this.exchange.logError(prefix + line));
			if (this.target.hasBody()) {
				this.stdin = pumpStdin(started);
			}
			else {
				started.closeQuietly();
			}
			return CgiHead.read(started.process().getInputStream(), CgiRunner.this.maxHeaderSize, this.script.nph());
		}

		private Disposable pumpStdin(ScriptProcess started) {
			OutputStream out = started.process().getOutputStream();
			return this.exchange.receiveBody()
				.map(ByteBufUtil::getBytes)
				.publishOn(CgiRunner.this.scheduler, 4)
				.subscribe((bytes) -> {
					if (this.stdinBroken) {
						return;
					}
					try {
						out.write(bytes);
					}
					catch (IOException ex) {
						// the script closed its stdin or exited: the rest of the body is
						// read and dropped, so that the connection stays usable
						this.stdinBroken = true;
					}
				}, (ex) -> {
					if (ex instanceof BodyTooLargeException) {
						this.bodyTooLarge = true;
					}
					else if (this.outcome == null) {
						this.outcome = CgiOutcome.CLIENT_GONE;
					}
					started.killGroup();
				}, started::closeQuietly);
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
					// the kernel set these: the script's replace them rather than
					// doubling
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
			Flux<ByteBuf> body = body(head);
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

		/**
		 * The script's stdout after its header block, read as the connection takes it.
		 */
		private Flux<ByteBuf> body(CgiHead head) {
			InputStream in = this.process.process().getInputStream();
			Flux<ByteBuf> rest = Flux.<ByteBuf>generate((sink) -> {
				ByteBuf buffer = this.exchange.response().alloc().heapBuffer(CHUNK);
				try {
					int read = buffer.writeBytes(in, CHUNK);
					if (read < 0) {
						buffer.release();
						sink.complete();
					}
					else {
						sink.next(buffer);
					}
				}
				catch (IOException ex) {
					buffer.release();
					sink.error(ex);
				}
			}).subscribeOn(CgiRunner.this.scheduler);
			Flux<ByteBuf> body = (head.rest().length == 0) ? rest
					: Flux.concat(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(head.rest())), rest);
			return (head.contentLength() >= 0) ? exactly(body, head.contentLength()) : body;
		}

		/**
		 * A body held to the script's own {@code Content-Length}: bytes past it are read
		 * and dropped, and a body that ends short of it fails (the connection is then
		 * closed), so that a script can never make the client read its bytes as the next
		 * response.
		 */
		private Flux<ByteBuf> exactly(Flux<ByteBuf> body, long length) {
			long[] left = { length };
			return body.<ByteBuf>handle((buffer, sink) -> {
				if (left[0] <= 0) {
					buffer.release();
					return;
				}
				if (buffer.readableBytes() > left[0]) {
					buffer.writerIndex(buffer.readerIndex() + (int) left[0]);
				}
				left[0] -= buffer.readableBytes();
				sink.next(buffer);
			})
				.concatWith(Mono.defer(() -> (left[0] > 0)
						? Mono.error(new CgiHead.Malformed(
								"output ended " + left[0] + " bytes short of its Content-Length " + length))
						: Mono.empty()));
		}

		private Mono<Void> localRedirect(CgiHead head, Scheduler loop) {
			String location = head.location();
			int mark = location.indexOf('?');
			String query = (mark >= 0) ? location.substring(mark + 1) : "";
			String path = LocalPaths.decode((mark >= 0) ? location.substring(0, mark) : location);
			if (path == null || this.depth >= MAX_LOCAL_REDIRECTS) {
				throw new CgiHead.Malformed(
						(path == null) ? "local redirect to an unsafe path" : "local redirect loop");
			}
			Target next = new Target("GET", location, path, query, false);
			var site = this.exchange.site();
			var nextLocation = site.locate(path);
			CgiLocation nextCgi = this.blocks.location(site, nextLocation);
			try {
				Script nextScript = (nextCgi != null) ? Script.resolve(site, nextLocation, nextCgi, path) : null;
				if (nextScript != null) {
					Run run = new Run(this.exchange, nextCgi, nextScript, next, this.blocks, this.depth + 1);
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
			int status;
			if (this.bodyTooLarge) {
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
			Run inner = this.redirected;
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

		private void kill(Run run) {
			ScriptProcess running = run.process;
			if (running != null) {
				CgiRunner.this.executor.execute(running::killGroup);
			}
		}

		/** Once the flow ended: make sure the script is gone, then report. */
		void finish(SignalType signal, Consumer<CgiOutcome> finished) {
			if (this.outcome == null) {
				this.outcome = (signal == SignalType.CANCEL) ? CgiOutcome.CLIENT_GONE : CgiOutcome.FAILED;
			}
			Disposable feeding = this.stdin;
			if (feeding != null && this.outcome != CgiOutcome.OK) {
				feeding.dispose();
			}
			ScriptProcess running = this.process;
			CgiOutcome result = this.outcome;
			if (running == null) {
				finished.accept(result);
				return;
			}
			long graceMillis = this.cgi.timeout().toMillis();
			try {
				CgiRunner.this.executor.execute(() -> {
					try {
						// a script that closed stdout may still be running: it keeps its
						// place until it exits, within its timeout
						if (result == CgiOutcome.OK && !running.process().waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
							logger.warn("site {}: cgi {}: still running after its output ended; killed",
									this.exchange.site().name(), this.script.scriptName());
						}
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					if (result != CgiOutcome.OK || running.process().isAlive()) {
						running.killGroup();
					}
					running.closeQuietly();
					CgiRunner.this.live.remove(running);
					finished.accept(result);
				});
			}
			catch (RuntimeException ex) {
				running.killGroup();
				CgiRunner.this.live.remove(running);
				finished.accept(result);
			}
		}

	}

	/** A script that could not be started. */
	static final class StartFailed extends IOException {

		StartFailed(IOException cause) {
			super(cause.getMessage(), cause);
		}

	}

}
