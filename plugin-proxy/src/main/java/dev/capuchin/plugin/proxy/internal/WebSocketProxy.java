package dev.capuchin.plugin.proxy.internal;

import java.time.Duration;

import dev.capuchin.core.spi.Exchange;
import dev.capuchin.plugin.proxy.ProxyOutcome;
import dev.capuchin.plugin.proxy.Upstream;
import dev.capuchin.plugin.proxy.UpstreamServer;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import reactor.core.publisher.Flux;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpServerCodec;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.NettyPipeline;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * WebSocket pass-through: the handshake with the server comes first (a server that fails
 * it is a connect failure, and the next one is tried), then the client's handshake is
 * accepted with the sub-protocol the server chose, and frames flow both ways with
 * back-pressure until either side closes or no frame passes within the upstream's
 * {@code upgrade-idle} timeout.
 */
final class WebSocketProxy {

	/** The largest frame passed on. */
	static final int MAX_FRAME = 1024 * 1024;

	private final ProxyHandler handler;

	WebSocketProxy(ProxyHandler handler) {
		this.handler = handler;
	}

	Mono<Void> proxy(ProxyHandler.Attempt attempt) {
		int index = this.handler.choose(attempt);
		if (index < 0) {
			return this.handler.fail(attempt);
		}
		PreparedUpstream prepared = attempt.route.upstream();
		Upstream upstream = prepared.upstream();
		UpstreamServer server = upstream.servers().get(index);
		ServerTracker tracker = prepared.tracker(index);
		Exchange exchange = attempt.exchange;
		exchange.attribute(Exchange.UPSTREAM, server.authority());
		String base = server.url().toString().replaceFirst("^http", "ws");
		String uri = base + attempt.route.upstreamUri(exchange.request().uri());
		String protocols = exchange.request().requestHeaders().get("Sec-WebSocket-Protocol");
		WebsocketClientSpec.Builder spec = WebsocketClientSpec.builder().maxFramePayloadLength(MAX_FRAME);
		if (protocols != null) {
			spec.protocols(protocols);
		}
		Duration idle = upstream.timeouts().upgradeIdle();
		ProxyHandler.Try current = this.handler.new Try(attempt, index, server, tracker, System.nanoTime());
		tracker.started();
		return this.handler.clients()
			.client(upstream, server)
			.headers((headers) -> copyHeaders(attempt, server, headers))
			.websocket(spec.build())
			.uri(uri)
			.handle((serverIn, serverOut) -> {
				current.sent = true;
				WebsocketServerSpec.Builder accept = WebsocketServerSpec.builder().maxFramePayloadLength(MAX_FRAME);
				String chosen = serverIn.selectedSubprotocol();
				if (chosen != null) {
					accept.protocols(chosen);
				}
				standardCodec(exchange);
				// sendWebsocket completes once the client's handshake is answered; the
				// server's connection must stay open until the frames stop
				Sinks.Empty<Void> done = Sinks.empty();
				return exchange.response()
					.sendWebsocket((clientIn, clientOut) -> pipe(clientIn, clientOut, serverIn, serverOut, idle)
						.doFinally((signal) -> done.tryEmitEmpty()), accept.build())
					.then(done.asMono());
			})
			.then()
			.doOnSuccess((ignored) -> current.end(ProxyOutcome.SUCCESS, null))
			.onErrorResume((error) -> {
				if (exchange.response().hasSentHeaders()) {
					current.end(ProxyOutcome.SUCCESS, null);
					return Mono.empty();
				}
				current.end(ProxyOutcome.CONNECT_FAILURE, "connect-failure: " + error.getMessage());
				return proxy(attempt);
			})
			.doFinally((signal) -> current.end(ProxyOutcome.CANCELLED, "cancelled"));
	}

	/**
	 * Netty's handshaker finds the HTTP codec by its class ({@code HttpServerCodec} or
	 * {@code HttpRequestDecoder}), and the kernel's own HTTP/1.1 codec for connections it
	 * may answer directly is neither: put a standard codec in its place for this
	 * connection, which leaves HTTP for good once the handshake is done.
	 */
	private static void standardCodec(Exchange exchange) {
		if (exchange.request() instanceof Connection connection) {
			ChannelPipeline pipeline = connection.channel().pipeline();
			if (pipeline.get(HttpServerCodec.class) == null && pipeline.get(HttpRequestDecoder.class) == null
					&& pipeline.get(NettyPipeline.HttpCodec) != null) {
				pipeline.replace(NettyPipeline.HttpCodec, NettyPipeline.HttpCodec, new HttpServerCodec());
			}
		}
	}

	private void copyHeaders(ProxyHandler.Attempt attempt, UpstreamServer server, HttpHeaders headers) {
		HttpHeaders copy = new io.netty.handler.codec.http.DefaultHttpHeaders();
		ForwardedHeaders.request(attempt.exchange, attempt.route, server.url().getRawAuthority(),
				this.handler.node().nodeId(), copy);
		copy.forEach((entry) -> {
			String name = entry.getKey().toLowerCase(java.util.Locale.ROOT);
			// the client's handshaker writes its own
			if (!name.startsWith("sec-websocket-")) {
				headers.add(entry.getKey(), entry.getValue());
			}
		});
	}

	private static Mono<Void> pipe(WebsocketInbound clientIn, WebsocketOutbound clientOut, WebsocketInbound serverIn,
			WebsocketOutbound serverOut, Duration idle) {
		Flux<WebSocketFrame> up = clientIn.receiveFrames().map(WebSocketFrame::retain);
		Flux<WebSocketFrame> down = serverIn.receiveFrames().map(WebSocketFrame::retain);
		Mono<Void> toServer = serverOut.sendObject(up.timeout(idle)).then();
		Mono<Void> toClient = clientOut.sendObject(down.timeout(idle)).then();
		// either side closing (or going idle) ends both
		return Mono.firstWithSignal(toServer, toClient).onErrorResume((error) -> Mono.empty());
	}

}
