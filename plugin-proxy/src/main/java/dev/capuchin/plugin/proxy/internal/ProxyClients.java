package dev.capuchin.plugin.proxy.internal;

import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

import dev.capuchin.core.spi.NodeContext;
import dev.capuchin.plugin.proxy.ProxySettings;
import dev.capuchin.plugin.proxy.Upstream;
import dev.capuchin.plugin.proxy.UpstreamServer;
import dev.capuchin.plugin.proxy.UpstreamTls;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.pool.AbstractChannelPoolHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.EventExecutor;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * The proxy's connections to its servers: per server, one pool of keep-alive connections
 * per worker loop (Netty channels with its HTTP/1.1 client codec, see
 * {@link UpstreamCall}), so that a request proxied from a worker gets a connection of
 * that worker and never changes threads. WebSocket upgrades and health checks use Reactor
 * Netty's HTTP client instead, with one connection pool per worker too. Callers off the
 * workers use the first worker's pools, or the node's client loops in rotation.
 */
public final class ProxyClients {

	private static final Logger logger = LoggerFactory.getLogger(ProxyClients.class);

	/**
	 * How long closing the pools may take at a stop: a close on a running loop is quick,
	 * the bound only keeps a stuck loop from holding the stop.
	 */
	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

	private final EventExecutor[] loops;

	private final HttpClient[] perLoop;

	private final HttpClient offLoop;

	private final List<ConnectionProvider> providers = new ArrayList<>();

	private final LoopResources loopResources;

	private final ProxySettings settings;

	// the proxy's connection pools, per server address and TLS settings: one pool per
	// worker loop, so that a request gets a connection of its own loop; shared by every
	// site table that names the server, so that a new table reuses the warm connections
	private final Map<PoolKey, UpstreamPool[]> pools = new ConcurrentHashMap<>();

	// derived clients per upstream configuration and loop: the upstream's TLS and connect
	// timeout are client options, and every option change makes a new client
	private final Map<ClientKey, HttpClient[]> derived = new ConcurrentHashMap<>();

	/**
	 * Create a client per worker.
	 * @param node the node
	 * @param settings the pool settings
	 */
	public ProxyClients(NodeContext node, ProxySettings settings) {
		this.loopResources = node.clientLoops();
		this.settings = settings;
		EventLoopGroup group = node.clientLoops().onClient(node.nativeTransport());
		List<EventExecutor> executors = new ArrayList<>();
		group.iterator().forEachRemaining(executors::add);
		this.loops = executors.toArray(EventExecutor[]::new);
		this.perLoop = new HttpClient[this.loops.length];
		for (int i = 0; i < this.loops.length; i++) {
			ConnectionProvider provider = provider("capuchin-proxy-" + i, settings);
			this.providers.add(provider);
			EventLoopGroup single = (EventLoopGroup) this.loops[i];
			this.perLoop[i] = base(HttpClient.create(provider).runOn(new SingleLoop(single), node.nativeTransport()));
		}
		ConnectionProvider shared = provider("capuchin-proxy-off-loop", settings);
		this.providers.add(shared);
		this.offLoop = base(HttpClient.create(shared).runOn(node.clientLoops(), node.nativeTransport()));
	}

	private static ConnectionProvider provider(String name, ProxySettings settings) {
		return ConnectionProvider.builder(name)
			.maxConnections(settings.maxConnections())
			.pendingAcquireTimeout(settings.pendingAcquireTimeout())
			.pendingAcquireMaxCount(settings.maxConnections() * 4)
			.maxIdleTime(settings.maxIdleTime())
			.evictInBackground(settings.maxIdleTime())
			.build();
	}

	private static HttpClient base(HttpClient client) {
		// what goes to the server is decided per request: no redirects followed, no
		// compression asked for, no headers of the client's own
		return client.followRedirect(false).compress(false).keepAlive(true);
	}

	/**
	 * The client for an upstream on the calling thread's loop.
	 * @param upstream the upstream
	 * @param server the server
	 * @return the client
	 */
	public HttpClient client(Upstream upstream, UpstreamServer server) {
		return this.derived.computeIfAbsent(key(upstream, server), this::derive)[loopIndex()];
	}

	private HttpClient[] derive(ClientKey key) {
		HttpClient[] clients = new HttpClient[this.loops.length + 1];
		for (int i = 0; i <= this.loops.length; i++) {
			HttpClient client = (i < this.loops.length) ? this.perLoop[i] : this.offLoop;
			client = client.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) key.connect().toMillis());
			clients[i] = key.secure() ? configureTls(client, key.tls()) : client;
		}
		return clients;
	}

	/**
	 * The connection pool of one server of an upstream on the calling thread's loop (a
	 * caller off the workers gets the first worker's, whose loop then runs the exchange).
	 * Kept in the prepared upstream, so a request costs no map lookup.
	 * @param upstream the upstream
	 * @param index the server's position
	 * @return the pool
	 */
	UpstreamPool pool(PreparedUpstream upstream, int index) {
		UpstreamPool[] made = upstream.pools(this, index);
		if (made == null) {
			UpstreamServer server = upstream.upstream().servers().get(index);
			PoolKey key = new PoolKey(key(upstream.upstream(), server), address(server), server.host(), server.port());
			made = this.pools.computeIfAbsent(key, this::pools);
			upstream.pools(this, index, made);
		}
		int loop = loopIndex();
		return made[(loop < made.length) ? loop : 0];
	}

	private UpstreamPool[] pools(PoolKey key) {
		SslContext ssl = key.client().secure() ? sslContext(key.client().tls()) : null;
		UpstreamPool[] made = new UpstreamPool[this.loops.length];
		for (int i = 0; i < made.length; i++) {
			EventLoop loop = (EventLoop) this.loops[i];
			Bootstrap bootstrap = new Bootstrap().group(loop)
				.channel(this.loopResources.onChannelClass(SocketChannel.class, loop))
				.remoteAddress(key.address())
				.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) key.client().connect().toMillis())
				.option(ChannelOption.TCP_NODELAY, true);
			made[i] = new UpstreamPool(bootstrap, new PoolHandler(ssl, key), loop, this.settings.maxConnections(),
					this.settings.pendingAcquireTimeout().toMillis(), this.settings.maxIdleTime().toNanos());
		}
		return made;
	}

	/**
	 * The TLS context of an upstream's {@code https://} servers: certificates verified
	 * against the JDK's trust store or the {@code ca-file}, or not at all when
	 * {@code verify: false}.
	 */
	static SslContext sslContext(UpstreamTls tls) {
		try {
			SslContextBuilder builder = SslContextBuilder.forClient();
			if (!tls.verify()) {
				builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
			}
			else if (tls.caFile() != null) {
				builder.trustManager(new File(tls.caFile()));
			}
			return builder.build();
		}
		catch (SSLException ex) {
			throw new IllegalStateException("tls: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Sets up each new connection of a pool: TLS for {@code https://} servers (SNI from
	 * the URL's host or {@code server-name}, host names checked unless
	 * {@code verify: false}), Netty's HTTP/1.1 client codec, and the handler that passes
	 * the server's answer to the exchange in progress.
	 */
	private static final class PoolHandler extends AbstractChannelPoolHandler {

		/** Longest status line, header block and body piece read from a server. */
		private static final HttpDecoderConfig DECODER = new HttpDecoderConfig().setMaxInitialLineLength(4096)
			.setMaxHeaderSize(16 * 1024)
			.setMaxChunkSize(64 * 1024);

		private final @Nullable SslContext ssl;

		private final PoolKey key;

		PoolHandler(@Nullable SslContext ssl, PoolKey key) {
			this.ssl = ssl;
			this.key = key;
		}

		@Override
		public void channelCreated(Channel channel) {
			ChannelPipeline pipeline = channel.pipeline();
			if (this.ssl != null) {
				UpstreamTls tls = this.key.client().tls();
				SslHandler handler = this.ssl.newHandler(channel.alloc(), this.key.host(), this.key.port());
				SSLEngine engine = handler.engine();
				SSLParameters parameters = engine.getSSLParameters();
				parameters.setEndpointIdentificationAlgorithm(tls.verify() ? "HTTPS" : null);
				if (tls.serverName() != null) {
					parameters.setServerNames(List.of(new SNIHostName(tls.serverName())));
				}
				engine.setSSLParameters(parameters);
				pipeline.addLast(handler);
			}
			pipeline.addLast(new HttpClientCodec(DECODER, false, false));
			pipeline.addLast(UpstreamConnection.install(channel));
		}

	}

	private record PoolKey(ClientKey client, SocketAddress address, String host, int port) {
	}

	private int loopIndex() {
		for (int i = 0; i < this.loops.length; i++) {
			if (this.loops[i].inEventLoop()) {
				return i;
			}
		}
		return this.loops.length;
	}

	/**
	 * A server's address: an IP literal as it is (no lookup), a host name unresolved, so
	 * that each new connection resolves it afresh and TLS names it for SNI.
	 */
	static SocketAddress address(UpstreamServer server) {
		String host = server.host();
		byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
		if (literal != null) {
			try {
				return new InetSocketAddress(InetAddress.getByAddress(host, literal), server.port());
			}
			catch (UnknownHostException ex) {
				// only for a wrong length, which a parsed literal does not have
			}
		}
		return InetSocketAddress.createUnresolved(host, server.port());
	}

	private static ClientKey key(Upstream upstream, UpstreamServer server) {
		return new ClientKey(upstream.timeouts().connect(), upstream.tls(), server.secure());
	}

	/**
	 * Apply an upstream's TLS settings to a client: verification by default, SNI from the
	 * URL's host or {@code server-name}, an optional CA file.
	 * @param client the client
	 * @param tls the settings
	 * @return the client, secured for {@code https://} URLs
	 */
	static HttpClient configureTls(HttpClient client, UpstreamTls tls) {
		Http11SslContextSpec spec = Http11SslContextSpec.forClient().configure((builder) -> {
			if (!tls.verify()) {
				builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
			}
			else if (tls.caFile() != null) {
				builder.trustManager(new File(tls.caFile()));
			}
		});
		return client.secure((ssl) -> ssl.sslContext(spec).handlerConfigurator((handler) -> {
			SSLEngine engine = handler.engine();
			SSLParameters parameters = engine.getSSLParameters();
			if (!tls.verify()) {
				parameters.setEndpointIdentificationAlgorithm(null);
			}
			else {
				parameters.setEndpointIdentificationAlgorithm("HTTPS");
			}
			if (tls.serverName() != null) {
				parameters.setServerNames(List.of(new SNIHostName(tls.serverName())));
			}
			engine.setSSLParameters(parameters);
		}));
	}

	/**
	 * Close every pool, waiting (up to {@link #CLOSE_TIMEOUT}) for their connections to
	 * close: called while the worker loops they live on still run. A pool already closed
	 * is left alone.
	 */
	public void dispose() {
		// the kernel stops its loops before its plugins: connections on them are gone
		// already, and closing them again may be refused
		for (UpstreamPool[] made : this.pools.values()) {
			for (UpstreamPool pool : made) {
				try {
					pool.closeAsync();
				}
				catch (RejectedExecutionException ex) {
					// its loop has stopped, and closed the pool's connections with it
				}
			}
		}
		List<Mono<Void>> closes = new ArrayList<>();
		for (ConnectionProvider provider : this.providers) {
			if (!provider.isDisposed()) {
				closes.add(provider.disposeLater().onErrorResume((error) -> Mono.empty()));
			}
		}
		try {
			Mono.when(closes).block(CLOSE_TIMEOUT);
		}
		catch (IllegalStateException ex) {
			logger.warn("connections to backends still closing after {} ms", CLOSE_TIMEOUT.toMillis());
		}
	}

	private record ClientKey(Duration connect, UpstreamTls tls, boolean secure) {
	}

	/** One worker's loop as a client's loop resources; disposes of nothing. */
	private record SingleLoop(EventLoopGroup loop) implements LoopResources {

		@Override
		public EventLoopGroup onServer(boolean useNative) {
			throw new UnsupportedOperationException("client loops only");
		}

		@Override
		public EventLoopGroup onClient(boolean useNative) {
			return this.loop;
		}

		@Override
		public Mono<Void> disposeLater(Duration quietPeriod, Duration timeout) {
			return Mono.empty();
		}

		@Override
		public boolean daemon() {
			return true;
		}

	}

	@Nullable EventExecutor[] loops() {
		return this.loops;
	}

}
