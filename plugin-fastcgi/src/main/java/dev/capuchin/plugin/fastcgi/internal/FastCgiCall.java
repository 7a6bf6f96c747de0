package dev.capuchin.plugin.fastcgi.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One request on a {@link FastCgiConnection}: writes the begin and params records and
 * streams the request body as {@code FCGI_STDIN} (one write in flight, so the client's
 * upload goes at the server's pace), then reads the response: the CGI headers first
 * ({@link #head()}), then the body ({@link #body()}), handed on as it arrives and read
 * from the server only as fast as the client takes it. {@code FCGI_STDERR} goes to the
 * given consumer line by line; {@code FCGI_END_REQUEST} gives the connection back to its
 * pool, reusable when the request completed and its body was fully sent.
 * <p>
 * Records arrive on the connection's event loop; the methods the request side calls
 * ({@link #abort()}, the body's demand) may run on another, and hop over.
 */
public final class FastCgiCall {

	/** The id of every request: one request per connection at a time. */
	static final int REQUEST_ID = 1;

	private static final int HEAD = 0;

	private static final int BODY = 1;

	private static final int DONE = 2;

	private final FastCgiConnection connection;

	private final Channel channel;

	private final boolean keepConnection;

	private final long readTimeoutNanos;

	private final int maxHeaderSize;

	private final Consumer<String> stderr;

	private final Sinks.One<ResponseHead> head = Sinks.one();

	private final ArrayDeque<ByteBuf> pending = new ArrayDeque<>();

	/** The head, parsed and kept until the read that completed it ends. */
	private @Nullable ResponseHead parsedHead;

	private ByteBuf headBytes;

	private volatile int state = HEAD;

	private FluxSink<ByteBuf> body;

	private @Nullable Throwable bodyError;

	private boolean bodyComplete;

	private volatile boolean stdinDone;

	private volatile Disposable stdin;

	private long lastRead;

	/**
	 * Since when the client has taken nothing while the answer waits for it (0: it is
	 * taking, or the server is the side awaited); reset by the body's demand, on any
	 * thread.
	 */
	private volatile long stalledSince;

	private long bodyBytes;

	/**
	 * The pending timeout check, cancelled when the call ends: an event loop keeps a
	 * scheduled task (and with it this call, its exchange and its request) until the
	 * task's time, so an uncancelled check per request would hold a read timeout's worth
	 * of finished requests on the heap.
	 */
	private @Nullable ScheduledFuture<?> timeout;

	/** Whether the connection carried a request before this one. */
	private boolean reused;

	/** Whether any record of the answer arrived. */
	private boolean received;

	/**
	 * Create a call on an acquired connection.
	 * @param connection the connection
	 * @param keepConnection whether to ask the server to keep the connection
	 * @param readTimeout the longest silence of the server while a response is awaited
	 * @param maxHeaderSize the most bytes of CGI headers
	 * @param stderr where {@code FCGI_STDERR} lines go
	 */
	public FastCgiCall(FastCgiConnection connection, boolean keepConnection, Duration readTimeout, int maxHeaderSize,
			Consumer<String> stderr) {
		this.connection = connection;
		this.channel = connection.channel();
		this.keepConnection = keepConnection;
		this.readTimeoutNanos = readTimeout.toNanos();
		this.maxHeaderSize = maxHeaderSize;
		this.stderr = stderr;
	}

	/**
	 * Send the request: begin, params, and the body from the given stream (or none).
	 * @param params the params, in order
	 * @param requestBody the body's buffers, each released once written, or {@code null}
	 * for a request without a body
	 */
	public void start(List<Map.Entry<String, String>> params, @Nullable Flux<ByteBuf> requestBody) {
		this.reused = this.connection.begin(this);
		ByteBufAllocator alloc = this.channel.alloc();
		// begin, params and (without a body) the stdin's end: one buffer, one write
		ChannelFuture written = this.channel
			.writeAndFlush(RecordEncoder.request(alloc, REQUEST_ID, this.keepConnection, params, requestBody != null));
		if (requestBody == null) {
			this.stdinDone = true;
		}
		else {
			this.stdin = requestBody
				.concatMap((chunk) -> write(RecordEncoder.stream(alloc, RecordType.STDIN, REQUEST_ID, chunk)), 1)
				.then(Mono.defer(() -> write(RecordEncoder.end(alloc, RecordType.STDIN, REQUEST_ID))))
				.subscribe(null, (ex) -> fail(
						new FastCgiFailure(FastCgiFailure.Kind.BAD_RESPONSE, "request body not passed on: " + ex)),
						() -> this.stdinDone = true);
		}
		written.addListener((future) -> {
			if (!future.isSuccess()) {
				lost("cannot write to " + this.connection + ": " + future.cause());
			}
		});
		this.channel.eventLoop().execute(() -> {
			if (this.state == DONE) {
				// a reused connection was reading already (to notice a close while
				// idle), and the whole answer came before this task ran
				return;
			}
			this.lastRead = System.nanoTime();
			scheduleTimeout(this.readTimeoutNanos);
			this.channel.read();
		});
	}

	private Mono<Void> write(ByteBuf records) {
		return Mono.create((sink) -> this.channel.writeAndFlush(records).addListener((future) -> {
			if (future.isSuccess()) {
				sink.success();
			}
			else {
				sink.error(future.cause());
			}
		}));
	}

	/**
	 * The response's CGI headers, once they have all arrived.
	 * @return the head; fails with {@link FastCgiFailure}
	 */
	public Mono<ResponseHead> head() {
		return this.head.asMono();
	}

	/**
	 * The response body after the head, as the server sends it. Subscribe once, after the
	 * head; cancelling it aborts the call.
	 * @return the body's buffers
	 */
	public Flux<ByteBuf> body() {
		return Flux.<ByteBuf>create((sink) -> this.channel.eventLoop().execute(() -> {
			this.body = sink;
			sink.onRequest((n) -> {
				this.stalledSince = 0;
				this.channel.read();
			});
			sink.onCancel(this::abort);
			drain();
		})).doOnNext((chunk) -> this.bodyBytes += chunk.readableBytes());
	}

	/** Called on the event loop for each record of this call. */
	void onRecord(FastCgiRecord record) {
		this.lastRead = System.nanoTime();
		this.received = true;
		if (this.state == DONE) {
			record.release();
			return;
		}
		RecordType type = record.type();
		if (type == RecordType.STDOUT) {
			stdout(record.content());
		}
		else if (type == RecordType.STDERR) {
			String text = record.content().toString(StandardCharsets.UTF_8);
			record.release();
			for (String line : text.split("\n")) {
				if (!line.isBlank()) {
					this.stderr.accept(line.strip());
				}
			}
		}
		else if (type == RecordType.END_REQUEST) {
			ByteBuf content = record.content();
			int protocolStatus = (content.readableBytes() >= 5) ? content.getUnsignedByte(content.readerIndex() + 4)
					: -1;
			record.release();
			end(protocolStatus);
		}
		else {
			record.release();
			fail(new FastCgiFailure(FastCgiFailure.Kind.BAD_RESPONSE, "unexpected record " + record));
		}
	}

	private void stdout(ByteBuf content) {
		if (this.state == BODY) {
			if (content.isReadable()) {
				this.pending.add(content);
				drain();
			}
			else {
				content.release();
			}
			return;
		}
		if (this.headBytes == null) {
			this.headBytes = this.channel.alloc().buffer(Math.min(8192, this.maxHeaderSize));
		}
		this.headBytes.writeBytes(content);
		content.release();
		int end = ResponseHead.end(this.headBytes);
		if (end < 0) {
			if (this.headBytes.readableBytes() > this.maxHeaderSize) {
				fail(new FastCgiFailure(FastCgiFailure.Kind.BAD_RESPONSE,
						"response headers longer than " + this.maxHeaderSize + " bytes"));
			}
			return;
		}
		ResponseHead parsed;
		try {
			parsed = ResponseHead.parse(this.headBytes.slice(this.headBytes.readerIndex(), end));
		}
		catch (IllegalArgumentException ex) {
			fail(new FastCgiFailure(FastCgiFailure.Kind.BAD_RESPONSE, "bad response headers: " + ex.getMessage()));
			return;
		}
		this.headBytes.readerIndex(end);
		if (this.headBytes.isReadable()) {
			this.pending.add(this.headBytes);
		}
		else {
			this.headBytes.release();
		}
		this.headBytes = null;
		this.state = BODY;
		// emitted when this read ends (or the answer does, if sooner): an answer that
		// came
		// whole in one read is then known to be whole, and goes out in one write
		this.parsedHead = parsed;
	}

	private void emitHead() {
		ResponseHead parsed = this.parsedHead;
		if (parsed != null) {
			this.parsedHead = null;
			this.head.tryEmitValue(parsed);
		}
	}

	/**
	 * The whole body, when the answer had ended by the time its head was handed on (a
	 * small answer read at once): the caller sends it with its length, in one write, and
	 * {@link #body()} is not used. Call on the connection's event loop only; elsewhere,
	 * and for an answer still arriving, {@code null}.
	 * @return the body (the caller releases it), or {@code null} to stream
	 * {@link #body()}
	 */
	public @Nullable ByteBuf wholeBody() {
		if (!this.channel.eventLoop().inEventLoop() || !this.bodyComplete || this.body != null
				|| this.bodyError != null) {
			return null;
		}
		int parts = this.pending.size();
		if (parts == 0) {
			return Unpooled.EMPTY_BUFFER;
		}
		if (parts == 1) {
			return this.pending.poll();
		}
		CompositeByteBuf whole = this.channel.alloc().compositeBuffer(parts);
		ByteBuf part;
		while ((part = this.pending.poll()) != null) {
			whole.addComponent(true, part);
		}
		return whole;
	}

	private void end(int protocolStatus) {
		if (this.state == HEAD) {
			String why = switch (protocolStatus) {
				case 1 -> "the server cannot multiplex";
				case 2 -> "the server is overloaded";
				case 3 -> "the server does not know the responder role";
				default -> "the response ended before its headers";
			};
			fail(new FastCgiFailure(FastCgiFailure.Kind.BAD_RESPONSE, why));
			return;
		}
		this.state = DONE;
		this.bodyComplete = true;
		finish(protocolStatus == 0 && this.keepConnection && this.stdinDone);
		emitHead();
		drain();
	}

	/**
	 * Called on the event loop when a read ends: read on while the response is awaited.
	 */
	void onReadComplete() {
		emitHead();
		if (this.state == HEAD || (this.state == BODY && this.body != null && this.body.requestedFromDownstream() > 0
				&& this.pending.isEmpty())) {
			this.channel.read();
		}
	}

	private void drain() {
		FluxSink<ByteBuf> sink = this.body;
		if (sink == null) {
			return;
		}
		ByteBuf chunk;
		while ((chunk = this.pending.poll()) != null) {
			sink.next(chunk);
		}
		if (this.bodyError != null) {
			sink.error(this.bodyError);
			this.bodyError = null;
		}
		else if (this.bodyComplete) {
			sink.complete();
		}
	}

	/**
	 * Fail the call: the head or the body signals the failure, the connection closes.
	 * Called on any thread.
	 * @param failure why
	 */
	void fail(Throwable failure) {
		if (!this.channel.eventLoop().inEventLoop()) {
			this.channel.eventLoop().execute(() -> fail(failure));
			return;
		}
		int was = this.state;
		if (was == DONE) {
			return;
		}
		this.state = DONE;
		finish(false);
		if (was == HEAD || this.parsedHead != null) {
			// the head was not handed on yet: the request fails as a whole
			this.parsedHead = null;
			releasePending();
			this.head.tryEmitError(failure);
		}
		else {
			this.bodyError = failure;
			drain();
		}
	}

	/**
	 * The connection broke (closed, or a write failed). On a kept-alive connection,
	 * before any byte of the answer, the server closed it as it was handed over: the
	 * failure is {@code STALE}, which the plugin may pass once more on a new connection.
	 * Called on any thread.
	 * @param why what happened
	 */
	void lost(String why) {
		if (!this.channel.eventLoop().inEventLoop()) {
			this.channel.eventLoop().execute(() -> lost(why));
			return;
		}
		if (this.state == HEAD && this.reused && !this.received) {
			fail(new FastCgiFailure(FastCgiFailure.Kind.STALE, "kept connection closed by the server: " + why));
		}
		else {
			fail(new FastCgiFailure(FastCgiFailure.Kind.BAD_RESPONSE, why));
		}
	}

	/**
	 * The client went away: stop reading, close the connection (php-fpm ignores
	 * {@code FCGI_ABORT_REQUEST}; a closed connection is what it notices), free its slot.
	 * Called on any thread.
	 */
	public void abort() {
		if (!this.channel.eventLoop().inEventLoop()) {
			this.channel.eventLoop().execute(this::abort);
			return;
		}
		if (this.state != DONE) {
			this.state = DONE;
			finish(false);
		}
		releasePending();
	}

	private void finish(boolean reusable) {
		ScheduledFuture<?> check = this.timeout;
		if (check != null) {
			this.timeout = null;
			check.cancel(false);
		}
		Disposable upload = this.stdin;
		if (upload != null && !this.stdinDone) {
			upload.dispose();
		}
		if (this.headBytes != null) {
			this.headBytes.release();
			this.headBytes = null;
		}
		this.connection.end(this);
		this.connection.pool().release(this.connection, reusable);
	}

	private void releasePending() {
		ByteBuf chunk;
		while ((chunk = this.pending.poll()) != null) {
			chunk.release();
		}
	}

	private void scheduleTimeout(long delayNanos) {
		this.timeout = this.channel.eventLoop().schedule(this::checkTimeout, delayNanos, TimeUnit.NANOSECONDS);
	}

	private void checkTimeout() {
		if (this.state == DONE) {
			return;
		}
		long now = System.nanoTime();
		boolean awaiting = this.state == HEAD
				|| (this.body != null && this.body.requestedFromDownstream() > 0 && this.pending.isEmpty());
		if (!awaiting) {
			// the client is the slow side: the server is not waited for, but a client
			// that
			// takes nothing for as long holds the server's connection (and its php-fpm
			// child) no longer than a silent server would
			long stalled = this.stalledSince;
			if (stalled == 0) {
				this.stalledSince = now;
			}
			else if (now - stalled >= this.readTimeoutNanos) {
				fail(new FastCgiFailure(FastCgiFailure.Kind.TIMEOUT, "the client took nothing of the answer for "
						+ TimeUnit.NANOSECONDS.toMillis(now - stalled) + " ms"));
				return;
			}
			this.lastRead = now;
		}
		else {
			this.stalledSince = 0;
		}
		long silent = now - this.lastRead;
		if (silent >= this.readTimeoutNanos) {
			fail(new FastCgiFailure(FastCgiFailure.Kind.TIMEOUT, "no answer from " + this.connection.pool().address()
					+ " for " + TimeUnit.NANOSECONDS.toMillis(silent) + " ms"));
			return;
		}
		scheduleTimeout(this.readTimeoutNanos - silent);
	}

	/**
	 * Body bytes handed on so far.
	 * @return the bytes
	 */
	public long bodyBytes() {
		return this.bodyBytes;
	}

}
