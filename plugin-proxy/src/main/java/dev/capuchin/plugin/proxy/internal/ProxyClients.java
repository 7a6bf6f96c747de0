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

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import dev.capuchin.core.spi.NodeContext;
import dev.capuchin.plugin.proxy.ProxySettings;
import dev.capuchin.plugin.proxy.Upstream;
import dev.capuchin.plugin.proxy.UpstreamServer;
import dev.capuchin.plugin.proxy.UpstreamTls;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
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
 * The proxy's HTTP clients: one connection pool per worker, each client bound to its
 * worker's loop, so a request proxied from a worker gets a connection of that worker and
 * never changes threads (a pool shared by all workers would hand out idle connections of
 * any loop). Callers off the workers use the node's client loops in rotation.
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

	// derived clients per upstream configuration and loop: the upstream's TLS and connect
	// timeout are client options, and every option change makes a new client
	private final Map<ClientKey, HttpClient[]> derived = new ConcurrentHashMap<>();

	/**
	 * Create a client per worker.
	 * @param node the node
	 * @param settings the pool settings
	 */
	public ProxyClients(NodeContext node, ProxySettings settings) {
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
	 * The client for one server of an upstream on the calling thread's loop, aimed at the
	 * server's address, so that a request names only its path: an absolute URL would be
	 * parsed (with a regular expression) and its address looked up on every request. Kept
	 * in the prepared upstream, so a request costs no map lookup either.
	 * @param upstream the upstream
	 * @param index the server's position
	 * @return the client
	 */
	public HttpClient client(PreparedUpstream upstream, int index) {
		HttpClient[] clients = upstream.clients(this, index);
		if (clients == null) {
			UpstreamServer server = upstream.upstream().servers().get(index);
			SocketAddress address = address(server);
			HttpClient[] base = this.derived.computeIfAbsent(key(upstream.upstream(), server), this::derive);
			clients = new HttpClient[base.length];
			for (int i = 0; i < base.length; i++) {
				clients[i] = base[i].remoteAddress(() -> address);
			}
			upstream.clients(this, index, clients);
		}
		return clients[loopIndex()];
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
