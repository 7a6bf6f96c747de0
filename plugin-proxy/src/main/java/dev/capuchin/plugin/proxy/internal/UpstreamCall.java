package dev.capuchin.plugin.proxy.internal;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.capuchin.core.spi.Exchange;
import dev.capuchin.plugin.proxy.ProxyOutcome;
import dev.capuchin.plugin.proxy.Timeouts;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.netty.ByteBufFlux;

/**
 * One request to one server over a pooled connection of the request's own worker loop:
 * the head goes out through Netty's {@code HttpClientCodec} (with the body, if any,
 * streamed as the client sends it, one piece in flight), and the answer comes back as a
 * {@link Head}: a retry (the answer was read to its end and the connection returned), a
 * small body gathered whole (to leave with the head in one write), or a body to stream.
 * Timeouts (first byte, idle between reads, total) are one timer per call on the loop.
 * The connection returns to its pool once the request was written and the answer read to
 * its end with keep-alive; in every other case it is closed, so none is left behind.
 */
final class UpstreamCall {

	/** What the server's answer asks of the handler. */
	enum Kind {

		/** The answer was discarded: try the next server. */
		RETRY,

		/** The whole body is in {@link Head#body()}. */
		GATHERED,

		/** The body streams through {@link Head#stream()}. */
		STREAM

	}

	/** The server's answer, as far as it decides what happens next. */
	record Head(Kind kind, @Nullable HttpResponse response, @Nullable ByteBuf body, @Nullable ResponseBody stream) {
	}

	private enum State {

		ACQUIRING, SENDING, DISCARDING, GATHERING, STREAMING, DONE

	}

	private final ProxyHandler.Try current;

	private final Exchange exchange;

	private final UpstreamPool pool;

	private final EventLoop loop;

	private final HttpMethod method;

	private final String uri;

	private final boolean hasBody;

	private final Timeouts timeouts;

	private final long start;

	private @Nullable MonoSink<Head> sink;

	private @Nullable Channel channel;

	private State state = State.ACQUIRING;

	private boolean requestWritten;

	private boolean keepAlive;

	private boolean informational;

	private boolean paused;

	private long sentAt;

	private long lastRead;

	private @Nullable HttpResponse response;

	private @Nullable ByteBuf gathered;

	private @Nullable ResponseBody stream;

	private @Nullable BodySender sender;

	private @Nullable ScheduledFuture<?> timer;

	UpstreamCall(ProxyHandler.Try current, UpstreamPool pool, EventLoop loop, String uri, boolean hasBody) {
		this.current = current;
		this.exchange = current.attempt.exchange;
		this.pool = pool;
		this.loop = loop;
		this.method = this.exchange.request().method();
		this.uri = uri;
		this.hasBody = hasBody;
		this.timeouts = current.attempt.route.upstream().upstream().timeouts();
		this.start = System.nanoTime();
	}

	/**
	 * Send the request.
	 * @return the server's answer, once it decides what comes next
	 */
	Mono<Head> start() {
		return Mono.create((created) -> {
			this.sink = created;
			created.onCancel(() -> onLoop(this::cancel));
			onLoop(this::acquire);
		});
	}

	private void onLoop(Runnable task) {
		if (this.loop.inEventLoop()) {
			task.run();
		}
		else {
			this.loop.execute(task);
		}
	}

	private void acquire() {
		if (this.state == State.DONE) {
			return;
		}
		// the first look comes when a first byte could be late at the earliest
		schedule(Math.min(this.timeouts.total().toNanos(), this.timeouts.firstByte().toNanos()));
		Future<Channel> acquired = this.pool.acquire();
		if (acquired.isDone()) {
			acquired(acquired);
		}
		else {
			acquired.addListener((future) -> acquired(acquired));
		}
	}

	private void acquired(Future<Channel> acquired) {
		if (!acquired.isSuccess()) {
			fail(acquired.cause());
			return;
		}
		Channel ch = acquired.getNow();
		if (this.state == State.DONE) {
			this.pool.release(ch);
			return;
		}
		this.channel = ch;
		UpstreamConnection.of(ch).call(this);
		SslHandler tls = ch.pipeline().get(SslHandler.class);
		if (tls == null || tls.handshakeFuture().isSuccess()) {
			send(ch);
			return;
		}
		// a TLS handshake that fails is a connect failure: the request has not gone out
		tls.handshakeFuture().addListener((future) -> {
			if (this.state != State.ACQUIRING || this.channel != ch) {
				return;
			}
			if (future.isSuccess()) {
				send(ch);
			}
			else {
				fail(future.cause());
			}
		});
	}

	private void send(Channel ch) {
		ProxyHandler.Attempt attempt = this.current.attempt;
		this.state = State.SENDING;
		this.current.sent = true;
		HttpHeaders headers = new DefaultHttpHeaders();
		ForwardedHeaders.request(this.exchange, attempt.route, this.current.server.url().getRawAuthority(),
				this.current.handler().node().nodeId(), headers);
		this.current.handler().cacheHeaders(attempt, headers);
		if (!this.hasBody) {
			this.requestWritten = true;
			this.sentAt = System.nanoTime();
			ch.writeAndFlush(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, this.method, this.uri,
					Unpooled.EMPTY_BUFFER, headers, EmptyHttpHeaders.INSTANCE), ch.voidPromise());
			return;
		}
		attempt.bodyStarted = true;
		if (!headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
			// a chunked body (or an HTTP/2 one without a length) goes on chunked
			headers.set(HttpHeaderNames.TRANSFER_ENCODING, "chunked");
		}
		ch.write(new DefaultHttpRequest(HttpVersion.HTTP_1_1, this.method, this.uri, headers), ch.voidPromise());
		BodySender body = new BodySender(ch);
		this.sender = body;
		ByteBufFlux content = this.exchange.receiveBody();
		content.subscribe(body);
	}

	/** A message from the server's connection (on its loop). */
	void read(Object msg) {
		if (this.state == State.DONE || this.state == State.ACQUIRING) {
			ReferenceCountUtil.release(msg);
			return;
		}
		this.lastRead = System.nanoTime();
		if (((HttpObject) msg).decoderResult().isFailure()) {
			Throwable cause = ((HttpObject) msg).decoderResult().cause();
			ReferenceCountUtil.release(msg);
			fail(new IOException("the server's answer is not valid HTTP: " + cause.getMessage(), cause));
			return;
		}
		if (msg instanceof HttpResponse head) {
			head(head);
		}
		if (msg instanceof HttpContent content) {
			content(content);
		}
	}

	private void head(HttpResponse head) {
		int status = head.status().code();
		if (status >= 100 && status < 200) {
			// an interim answer (100 Continue, 103 Early Hints): the real one follows
			this.informational = true;
			return;
		}
		this.response = head;
		this.keepAlive = HttpUtil.isKeepAlive(head);
		ProxyHandler.Attempt attempt = this.current.attempt;
		boolean loop = status == 508;
		boolean bad = status == 502 || status == 503 || status == 504;
		// a 508 is the recursion case: the next server, whatever the retry budget;
		// either way only while the request's body has not gone to this server
		if (!attempt.bodyStarted && (loop || (bad && attempt.canRetry()))) {
			this.current.end(loop ? ProxyOutcome.LOOP : ProxyOutcome.BAD_STATUS, "answered " + status);
			if (loop) {
				attempt.loops++;
			}
			else {
				attempt.retried++;
			}
			// read the rest, so that the connection can go back to the pool
			this.state = State.DISCARDING;
			return;
		}
		long length = ProxyHandler.contentLength(head.headers());
		if (length >= 0 && length <= ProxyHandler.ONE_WRITE) {
			// a small body is gathered and leaves with the head in one write
			this.state = State.GATHERING;
			return;
		}
		this.state = State.STREAMING;
		ResponseBody body = new ResponseBody(this.loop, this);
		this.stream = body;
		resolve(new Head(Kind.STREAM, head, null, body));
	}

	private void content(HttpContent content) {
		if (this.informational) {
			content.release();
			if (content instanceof LastHttpContent) {
				this.informational = false;
			}
			return;
		}
		boolean last = content instanceof LastHttpContent;
		switch (this.state) {
			case DISCARDING -> {
				content.release();
				if (last) {
					finish();
					resolve(new Head(Kind.RETRY, null, null, null));
				}
			}
			case GATHERING -> {
				gather(content.content());
				if (last) {
					finish();
					ByteBuf body = this.gathered;
					this.gathered = null;
					resolve(new Head(Kind.GATHERED, this.response, (body != null) ? body : Unpooled.EMPTY_BUFFER,
							null));
				}
			}
			case STREAMING -> {
				ResponseBody body = this.stream;
				ByteBuf buffer = content.content();
				if (buffer.isReadable()) {
					body.offer(buffer);
				}
				else {
					buffer.release();
				}
				if (last) {
					finish();
					body.complete();
				}
			}
			default -> content.release();
		}
	}

	private void gather(ByteBuf buffer) {
		if (!buffer.isReadable()) {
			buffer.release();
			return;
		}
		ByteBuf held = this.gathered;
		if (held == null) {
			this.gathered = buffer;
		}
		else if (held instanceof CompositeByteBuf composite) {
			composite.addComponent(true, buffer);
		}
		else {
			CompositeByteBuf composite = buffer.alloc().compositeBuffer();
			composite.addComponent(true, held);
			composite.addComponent(true, buffer);
			this.gathered = composite;
		}
	}

	private void resolve(Head head) {
		MonoSink<Head> s = this.sink;
		if (s != null) {
			s.success(head);
		}
		else if (head.body() != null) {
			head.body().release();
		}
	}

	/**
	 * The answer was read to its end: the connection goes back to the pool when the
	 * request was written whole and both sides keep it alive, else it is closed.
	 */
	private void finish() {
		State before = this.state;
		this.state = State.DONE;
		boolean reusable = this.requestWritten && this.keepAlive && before != State.ACQUIRING;
		releaseChannel(!reusable);
	}

	private void releaseChannel(boolean close) {
		cancelTimer();
		BodySender body = this.sender;
		if (body != null && !this.requestWritten) {
			body.dispose();
		}
		Channel ch = this.channel;
		if (ch == null) {
			return;
		}
		this.channel = null;
		UpstreamConnection.of(ch).call(null);
		if (this.paused) {
			this.paused = false;
			ch.config().setAutoRead(true);
		}
		if (close) {
			ch.close();
		}
		this.pool.release(ch);
	}

	/** The server's connection closed (on its loop). */
	void closed() {
		if (this.state == State.DONE) {
			return;
		}
		fail(new ClosedChannelException());
	}

	/** A failure of the connection, the request body or a timeout (on its loop). */
	void fail(Throwable error) {
		if (!this.loop.inEventLoop()) {
			this.loop.execute(() -> fail(error));
			return;
		}
		if (this.state == State.DONE) {
			return;
		}
		State before = end();
		if (before == State.STREAMING && this.stream != null) {
			this.stream.fail(error);
		}
		else if (this.sink != null) {
			this.sink.error(error);
		}
	}

	/** The client went away or stopped reading the body: the connection is closed. */
	void cancel() {
		if (this.state == State.DONE) {
			return;
		}
		end();
	}

	/**
	 * End the call early: its connection is closed, a head being gathered is released.
	 * @return the state it was in
	 */
	private State end() {
		State before = this.state;
		this.state = State.DONE;
		releaseChannel(true);
		ByteBuf held = this.gathered;
		this.gathered = null;
		if (held != null) {
			held.release();
		}
		return before;
	}

	/** The client's side asks for nothing more for now: stop reading the server. */
	void pause() {
		Channel ch = this.channel;
		if (!this.paused && ch != null) {
			this.paused = true;
			ch.config().setAutoRead(false);
		}
	}

	/** The client's side asks for more: read the server again. */
	void resume() {
		Channel ch = this.channel;
		if (this.paused && ch != null) {
			this.paused = false;
			// time spent waiting for the client is not the server being idle
			this.lastRead = System.nanoTime();
			ch.config().setAutoRead(true);
		}
	}

	private void schedule(long delayNanos) {
		this.timer = this.loop.schedule(this::checkTime, Math.max(delayNanos, 1), TimeUnit.NANOSECONDS);
	}

	private void cancelTimer() {
		ScheduledFuture<?> t = this.timer;
		if (t != null) {
			this.timer = null;
			t.cancel(false);
		}
	}

	/**
	 * One timer per call: the total timeout from the start, the first-byte timeout from
	 * the request's end until the answer's head, then the idle timeout between reads (not
	 * while the client's side holds the reads back).
	 */
	private void checkTime() {
		this.timer = null;
		if (this.state == State.DONE) {
			return;
		}
		long now = System.nanoTime();
		long due = this.start + this.timeouts.total().toNanos();
		if (now - due >= 0) {
			fail(new TimeoutException("no complete answer within the total timeout"));
			return;
		}
		if (this.requestWritten && !this.paused) {
			long read = (this.response == null) ? this.sentAt + this.timeouts.firstByte().toNanos()
					: Math.max(this.lastRead, this.sentAt) + this.timeouts.idle().toNanos();
			if (now - read >= 0) {
				fail(ReadTimeoutException.INSTANCE);
				return;
			}
			due = Math.min(due, read);
		}
		else {
			// no read timeout runs while the request is still going out or the client's
			// side holds the reads back: look again after the shorter read timeout
			due = Math.min(due, now + Math.min(this.timeouts.firstByte().toNanos(), this.timeouts.idle().toNanos()));
		}
		schedule(due - now);
	}

	/**
	 * The client's request body to the server, one piece in flight: the next is asked for
	 * once the previous one was written, so a fast client cannot outrun a slow server.
	 */
	private final class BodySender extends BaseSubscriber<ByteBuf> {

		private final Channel ch;

		BodySender(Channel ch) {
			this.ch = ch;
		}

		@Override
		protected void hookOnSubscribe(Subscription subscription) {
			request(1);
		}

		@Override
		protected void hookOnNext(ByteBuf buffer) {
			buffer.retain();
			this.ch.writeAndFlush(new DefaultHttpContent(buffer)).addListener((future) -> {
				if (future.isSuccess()) {
					request(1);
				}
				else {
					fail(future.cause());
				}
			});
		}

		@Override
		protected void hookOnComplete() {
			this.ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, this.ch.voidPromise());
			onLoop(() -> {
				if (UpstreamCall.this.state != State.DONE && UpstreamCall.this.channel == this.ch) {
					UpstreamCall.this.requestWritten = true;
					UpstreamCall.this.sentAt = System.nanoTime();
				}
			});
		}

		@Override
		protected void hookOnError(Throwable error) {
			fail(error);
		}

	}

}
