package dev.capuchin.core.internal.server;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import dev.capuchin.core.spi.NodeContext;
import dev.capuchin.core.spi.SiteTable;
import dev.capuchin.core.spi.Plugin;
import dev.capuchin.core.spi.TlsCertificate;
import dev.capuchin.core.internal.tls.TlsContexts;
import dev.capuchin.core.internal.transport.ServerSocketOptions;
import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.internal.transport.TransportSelection;
import dev.capuchin.core.internal.worker.Balancing;
import dev.capuchin.core.internal.worker.LoopWatchdog;
import dev.capuchin.core.internal.worker.Worker;
import dev.capuchin.core.internal.worker.WorkerGroup;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.ConnectionObserver;
import reactor.netty.DisposableServer;
import reactor.netty.NettyPipeline;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * The data-plane kernel: binds the listeners on the worker group, runs every request
 * through the {@link Dispatcher}, and serves from the current {@link SiteTable} snapshot,
 * which {@link #sites(SiteTable)} replaces atomically.
 */
public final class CapuchinServer {

	private static final Logger logger = LoggerFactory.getLogger(CapuchinServer.class);

	/** The name of the handler that coalesces an HTTP/2 connection's flushes. */
	static final String FLUSH_CONSOLIDATION = "capuchin.flushConsolidation";

	/** Flushes coalesced at most before one goes out during a read. */
	private static final int FLUSH_LIMIT = 256;

	private final ServerSettings settings;

	private final AtomicReference<SiteTable> sites;

	private final PluginChain plugins;

	private final List<DisposableServer> bound = new ArrayList<>();

	private final List<InetSocketAddress> addresses = new ArrayList<>();

	private final String nodeId;

	/** The bound addresses for plugins, replaced whole once every listener is bound. */
	private volatile List<InetSocketAddress> listening = List.of();

	private TransportSelection selection;

	private WorkerGroup workers;

	private volatile @Nullable LoopWatchdog watchdog;

	private Balancing balancing;

	private ChannelGroup channels;

	/**
	 * The bound port of the first TLS listener, where plain HTTP is redirected; 0 for
	 * none.
	 */
	private volatile int httpsPort;

	/** The TLS contexts of every listener, once started. */
	private TlsContexts tls;

	private volatile boolean running;

	private final RefusedRequests refusals = new RefusedRequests(Clock.systemUTC());

	/** Writes the summary of refused requests after a quiet period, too. */
	private ScheduledFuture<?> refusalSummary;

	/**
	 * Create a server; nothing is bound until {@link #start()}.
	 * @param settings the server settings
	 * @param sites the first site table
	 * @param plugins the plugins, in any order
	 */
	public CapuchinServer(ServerSettings settings, SiteTable sites, List<Plugin> plugins) {
		this(settings, sites, plugins, NodeIds.generate());
	}

	/**
	 * Create a server with a node id; nothing is bound until {@link #start()}.
	 * @param settings the server settings
	 * @param sites the first site table
	 * @param plugins the plugins, in any order
	 * @param nodeId the node's id ({@code capuchin.node.id})
	 */
	public CapuchinServer(ServerSettings settings, SiteTable sites, List<Plugin> plugins, String nodeId) {
		this.nodeId = NodeIds.check(nodeId);
		this.settings = Objects.requireNonNull(settings, "settings");
		this.plugins = new PluginChain(plugins);
		this.sites = new AtomicReference<>(this.plugins.prepare(Objects.requireNonNull(sites, "sites")));
		warnUnavailable(sites);
	}

	// once per table, so that a site answering 503 is explained without a line per
	// request
	private static void warnUnavailable(SiteTable table) {
		table.unavailable()
			.forEach((site, reason) -> logger.warn("Site {} is unavailable and answers 503: {}", site, reason));
	}

	/**
	 * Start the workers, the plugins and every listener. A plugin that fails to start, or
	 * a listener that cannot bind, stops the whole start and releases what was started.
	 * @throws IllegalStateException naming the plugin that failed to start, or the
	 * listener that could not bind
	 */
	public synchronized void start() {
		if (this.running) {
			return;
		}
		this.selection = TransportSelection.select(this.settings.transport());
		Transport transport = this.selection.transport();
		this.balancing = this.settings.balancing();
		if (this.balancing == Balancing.REUSEPORT && transport.serverSocketOptions().reusePort() == null) {
			logger.warn("balancing reuseport needs SO_REUSEPORT, which {} lacks: using least-loaded",
					transport.configName());
			this.balancing = Balancing.LEAST_LOADED;
		}
		this.workers = WorkerGroup.start(transport, this.settings.workers(), this.balancing, this.settings.fdt());
		this.watchdog = LoopWatchdog.start(this.workers.workers(), this.settings.limits().blockedLoopWarning(),
				pluginPackages());
		this.channels = new DefaultChannelGroup("capuchin", GlobalEventExecutor.INSTANCE);
		try {
			this.tls = startTls();
			this.plugins
				.start(new Node(this.nodeId, () -> this.listening, this.workers.clientLoops(), transport.isNative()));
			ConnectionGate.ConnectionCounters counters = new ConnectionGate.ConnectionCounters();
			Dispatcher dispatcher = new Dispatcher(this.sites, this.plugins, this.settings.limits(), this.refusals,
					() -> this.httpsPort);
			long period = RefusedRequests.PERIOD.toMillis();
			this.refusalSummary = GlobalEventExecutor.INSTANCE.scheduleAtFixedRate(this.refusals::flush, period, period,
					TimeUnit.MILLISECONDS);
			for (ListenerSettings listener : this.settings.listeners()) {
				bind(listener, transport, dispatcher, counters);
			}
		}
		catch (RuntimeException ex) {
			this.running = true;
			stop();
			throw ex;
		}
		this.running = true;
		this.listening = List.copyOf(this.addresses);
		logger.info("Capuchin node {} data plane on {} with {} workers ({}){}: {}", this.nodeId, transport.configName(),
				this.settings.workers(), this.balancing.configName(),
				(this.selection.fallbackReason() != null) ? " because " + this.selection.fallbackReason() : "",
				this.addresses);
	}

	private TlsContexts startTls() {
		TlsContexts contexts = new TlsContexts(this.settings.tls());
		if (this.settings.listeners().stream().noneMatch((listener) -> listener.tls() != null)) {
			return contexts;
		}
		logger.info("TLS engine {}", contexts.describe());
		contexts.start();
		preloadCertificates(contexts, this.sites.get());
		return contexts;
	}

	private void preloadCertificates(TlsContexts contexts, SiteTable table) {
		List<TlsCertificate> inUse = new ArrayList<>();
		for (ListenerSettings listener : this.settings.listeners()) {
			if (listener.tls() != null) {
				List<TlsCertificate> certificates = new ArrayList<>();
				if (!listener.tls().acme()) {
					certificates.add(listener.tls());
				}
				// ACME certificates are read when a client first names them
				table.sites()
					.stream()
					.filter((site) -> site.tls() != null && !site.tls().acme())
					.forEach((site) -> certificates.add(site.tls()));
				contexts.preload(certificates, listener.http2());
				inUse.addAll(certificates);
			}
		}
		contexts.retainOnly(inUse);
	}

	/**
	 * Read every TLS certificate file again (what a SIGHUP asks for): new handshakes get
	 * the new certificates, open connections keep theirs and are not dropped. A
	 * certificate that cannot be read keeps its previous context, with a log line. Runs
	 * on the caller's thread, which must not be an event loop.
	 * @return how many certificates were reloaded
	 */
	public int reloadCertificates() {
		TlsContexts contexts = this.tls;
		return (contexts != null) ? contexts.reload() : 0;
	}

	/**
	 * The TLS contexts, once started.
	 * @return the contexts, or {@code null} before the start
	 */
	public TlsContexts tls() {
		return this.tls;
	}

	private void bind(ListenerSettings listener, Transport transport, Dispatcher dispatcher,
			ConnectionGate.ConnectionCounters counters) {
		boolean reusePort = listener.reusePort() || this.balancing == Balancing.REUSEPORT;
		InetSocketAddress address = listener.address();
		for (LoopResources loops : this.workers.bindings()) {
			ListenerSettings current = listener.withAddress(address);
			ConnectionGate gate = new ConnectionGate(this.workers, current, this.settings.limits(), this.plugins,
					counters);
			HttpServer server = configure(HttpServer.create(), current, transport, reusePort, gate)
				.runOn(loops, transport.isNative())
				.handle(dispatcher);
			DisposableServer disposable;
			try {
				disposable = server.bindNow();
			}
			catch (RuntimeException ex) {
				throw new IllegalStateException(
						"capuchin.server.listeners: cannot bind " + address + ": " + rootMessage(ex), ex);
			}
			this.bound.add(disposable);
			// first, before Reactor Netty's acceptor, which swallows accept failures
			disposable.channel()
				.pipeline()
				.addFirst("capuchin.acceptFailures", new AcceptFailureHandler(disposable.address()));
			if (listener.tls() != null && this.httpsPort == 0) {
				this.httpsPort = ((InetSocketAddress) disposable.address()).getPort();
			}
			// port 0 binds once, then every reuseport socket shares the port it got; the
			// configured host stays, as IP- and port-based sites are matched against it
			// (a wildcard bind reports the IPv6 wildcard on a dual-stack socket)
			address = new InetSocketAddress(address.getAddress(), ((InetSocketAddress) disposable.address()).getPort());
		}
		this.addresses.add(address);
	}

	private HttpServer configure(HttpServer server, ListenerSettings listener, Transport transport, boolean reusePort,
			ConnectionGate gate) {
		Limits limits = this.settings.limits();
		ServerSocketOptions options = transport.serverSocketOptions();
		HttpDecoderConfig decoder = Http1ServerCodec.decoderConfig(limits);
		TlsSupport tls = (listener.tls() != null)
				? new TlsSupport(listener, this.sites, this.tls, this.plugins.certificates()) : null;
		HttpServer configured = server.bindAddress(listener::address)
			.httpRequestDecoder((spec) -> spec.maxInitialLineLength(decoder.getMaxInitialLineLength())
				.maxHeaderSize(decoder.getMaxHeaderSize())
				.validateHeaders(true))
			.maxKeepAliveRequests(limits.maxRequestsPerConnection())
			.channelGroup(this.channels)
			.option(ChannelOption.SO_BACKLOG, listener.backlog())
			.childOption(ChannelOption.TCP_NODELAY, listener.tcpNoDelay())
			.doOnChannelInit((observer, channel, remote) -> {
				initChannel(channel, gate, limits, decoder);
				if (tls != null) {
					tls.addAlpnChallenges(channel);
				}
			});
		if (reusePort && options.reusePort() != null) {
			configured = configured.option(options.reusePort(), true);
		}
		if (listener.fastOpen() > 0 && options.fastOpen() != null) {
			configured = configured.option(options.fastOpen(), listener.fastOpen());
		}
		if (listener.deferAcceptSeconds() > 0 && options.deferAccept() != null) {
			configured = configured.option(options.deferAccept(), listener.deferAcceptSeconds());
		}
		if (tls != null) {
			configured = configured.secure(tls::configure);
			configured = listener.http2() ? configured.protocol(HttpProtocol.HTTP11, HttpProtocol.H2)
					: configured.protocol(HttpProtocol.HTTP11);
		}
		else if (listener.http2()) {
			configured = configured.protocol(HttpProtocol.HTTP11, HttpProtocol.H2C);
		}
		if (listener.http2()) {
			configured = configured.http2Settings((spec) -> limits.http2().configure(spec, limits.maxHeaderSize()));
			// HTTP/1.x connections keep their own clocks (RequestReadTimeout); HTTP/2
			// ones are
			// closed by Reactor Netty when idle
			configured = configured.idleTimeout(limits.keepAliveTimeout());
			if (this.plugins.allowsDirectAnswers()) {
				configured = configured.childObserve((connection, state) -> {
					if (state == ConnectionObserver.State.CONNECTED
							&& connection.channel() instanceof Http2StreamChannel stream) {
						takeStream(stream, limits);
					}
				});
			}
		}
		return configured;
	}

	/**
	 * Gives an HTTP/2 connection its direct answers when its first stream arrives: that
	 * stream gets them just after Reactor Netty's codec that makes an HTTP/1.1 request of
	 * its frames (Reactor Netty tells the observers a stream is connected once its
	 * pipeline is built, before its first frame is read), and the connection gets them in
	 * front of the multiplexer, where every later plain request is answered without a
	 * stream channel. A later stream reaches its channel only when the connection's
	 * handler declined it, and is not asked again.
	 */
	private void takeStream(Http2StreamChannel stream, Limits limits) {
		ChannelPipeline pipeline = stream.pipeline();
		Channel parent = stream.parent();
		if (pipeline.get(NettyPipeline.H2ToHttp11Codec) == null
				|| parent.attr(Http2DirectFileHandler.KEY).get() != null) {
			return;
		}
		ConnectionState connection = ConnectionState.of(parent);
		if (connection == null) {
			return;
		}
		DirectAnswers answers = new DirectAnswers(this.sites, this.plugins, limits, connection);
		Http2DirectFileHandler handler = new Http2DirectFileHandler(answers);
		parent.attr(Http2DirectFileHandler.KEY).set(handler);
		pipeline.addAfter(NettyPipeline.H2ToHttp11Codec, Http2DirectFileHandler.NAME, handler);
		ChannelPipeline connectionPipeline = parent.pipeline();
		if (connectionPipeline.get(NettyPipeline.H2MultiplexHandler) != null) {
			connectionPipeline.addBefore(NettyPipeline.H2MultiplexHandler, Http2ConnectionDirectHandler.NAME,
					new Http2ConnectionDirectHandler(answers));
		}
	}

	private void initChannel(Channel channel, ConnectionGate gate, Limits limits, HttpDecoderConfig decoder) {
		if (channel.parent() != null && channel.parent().attr(ConnectionState.KEY).get() != null) {
			// an HTTP/2 stream: its connection was initialized already
			return;
		}
		gate.register(channel);
		ChannelPipeline pipeline = channel.pipeline();
		pipeline.addFirst(ConnectionGate.NAME, gate);
		// an HTTP/1.1-only connection has its codec from the start; an h2 listener
		// negotiates its codec later, and an h2c listener's may still give way to HTTP/2
		boolean http1Only = pipeline.get(NettyPipeline.HttpTrafficHandler) != null
				&& pipeline.get(NettyPipeline.H2CUpgradeHandler) == null;
		RequestReadTimeout timeout = new RequestReadTimeout(limits.requestReadTimeout(), limits.keepAliveTimeout(),
				!http1Only, this.refusals);
		ConnectionState.of(channel).readTimeout(timeout);
		String below = (pipeline.get(NettyPipeline.SslHandler) != null) ? NettyPipeline.SslHandler
				: ConnectionGate.NAME;
		pipeline.addAfter(below, RequestReadTimeout.NAME, timeout);
		if (!http1Only) {
			// HTTP/2 answers many streams per read, each ending in a flush: one flush per
			// read (or per FLUSH_LIMIT) means one TLS record batch and one write instead
			pipeline.addAfter(below, FLUSH_CONSOLIDATION, new FlushConsolidationHandler(FLUSH_LIMIT, false));
		}
		if (http1Only) {
			takeHttp1(pipeline, limits, decoder);
		}
		else if (pipeline.get(NettyPipeline.SslHandler) != null) {
			// on a TLS listener that offers h2, ALPN decides at the end of the handshake;
			// most HTTPS clients that are not browsers (curl without --http2, load
			// balancers' checks, libraries) settle on HTTP/1.1 there
			pipeline.addBefore(NettyPipeline.ReactiveBridge, NegotiatedHttp1.NAME,
					new NegotiatedHttp1((negotiated) -> takeHttp1(negotiated, limits, decoder)));
		}
	}

	/**
	 * Gives an HTTP/1.1 connection Capuchin's codec, which reads request lines strictly,
	 * writes header names in their registered case and takes direct answers. An h2c
	 * listener keeps Reactor Netty's, which its protocol switch is built around; so does
	 * a connection that ALPN gave HTTP/2 (no HTTP/1.1 codec is found then).
	 */
	private void takeHttp1(ChannelPipeline pipeline, Limits limits, HttpDecoderConfig decoder) {
		if (pipeline.get(NettyPipeline.HttpCodec) instanceof HttpServerCodec
				&& pipeline.get(NettyPipeline.H2CUpgradeHandler) == null) {
			pipeline.replace(NettyPipeline.HttpCodec, NettyPipeline.HttpCodec, new Http1ServerCodec(decoder));
			if (this.plugins.allowsDirectAnswers()) {
				pipeline.addBefore(NettyPipeline.HttpTrafficHandler, DirectFileHandler.NAME,
						new DirectFileHandler(this.sites, this.plugins, limits, this.selection.transport().tcpCork()));
			}
		}
	}

	/**
	 * How many times a worker loop was found blocked for longer than
	 * {@code capuchin.server.limits.blocked-loop-warning} since the start.
	 * @return the number of stalls, 0 when not started
	 */
	public long blockedLoopStalls() {
		LoopWatchdog current = this.watchdog;
		return (current != null) ? current.stalls() : 0;
	}

	// the package of each plugin's class, for the watchdog to name the plugin a blocked
	// loop is stuck in
	private Map<String, String> pluginPackages() {
		Map<String, String> packages = new HashMap<>();
		for (Plugin plugin : this.plugins.plugins()) {
			packages.putIfAbsent(plugin.getClass().getPackageName(), plugin.name());
		}
		return packages;
	}

	/**
	 * Stop in the {@link StopPhase phases}, in order: stop accepting; give requests in
	 * flight up to the shutdown timeout to finish; let the plugins drain while the worker
	 * loops still run; stop the loops, which run the last LOG and CLOSE events; stop the
	 * plugins.
	 */
	public synchronized void stop() {
		if (!this.running) {
			return;
		}
		this.running = false;
		long started = System.nanoTime();
		if (this.refusalSummary != null) {
			this.refusalSummary.cancel(false);
			this.refusalSummary = null;
		}
		phase(StopPhase.STOP_ACCEPTING, started);
		CompletableFuture<Void> finished = stopAccepting();
		phase(StopPhase.FINISH_REQUESTS, started);
		finished.join();
		this.bound.clear();
		this.addresses.clear();
		this.httpsPort = 0;
		if (this.tls != null) {
			this.tls.stop();
		}
		this.listening = List.of();
		phase(StopPhase.DRAIN_PLUGINS, started);
		this.plugins.drain();
		phase(StopPhase.STOP_LOOPS, started);
		if (this.watchdog != null) {
			this.watchdog.close();
		}
		if (this.workers != null) {
			this.workers.shutdown(this.settings.shutdownTimeout());
		}
		phase(StopPhase.STOP_PLUGINS, started);
		this.plugins.stop();
		logger.info("Capuchin data plane stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
	}

	/**
	 * Close every listener and let the requests in flight on their connections finish, up
	 * to the shutdown timeout. Reactor Netty's {@code disposeNow} closes a listener, then
	 * waits for its connections' requests and closes the idle ones: the listeners go
	 * through it at once, each on a thread of its own, so that none keeps accepting while
	 * another waits.
	 * @return completes once every listener drained or timed out
	 */
	private CompletableFuture<Void> stopAccepting() {
		Duration timeout = this.settings.shutdownTimeout();
		List<CompletableFuture<Void>> disposals = new ArrayList<>();
		for (DisposableServer server : this.bound) {
			disposals.add(CompletableFuture.runAsync(() -> {
				try {
					server.disposeNow(timeout);
				}
				catch (RuntimeException ex) {
					logger.warn("listener {} did not drain within {}: {}", server.address(), timeout, ex.getMessage());
				}
			}, (task) -> {
				Thread thread = new Thread(task, "capuchin-stop-" + server.address());
				thread.setDaemon(true);
				thread.start();
			}));
		}
		return CompletableFuture.allOf(disposals.toArray(CompletableFuture[]::new));
	}

	private static void phase(StopPhase phase, long started) {
		if (logger.isDebugEnabled()) {
			logger.debug("stopping: {} after {} ms", phase, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
		}
	}

	/**
	 * Replace the site table once every plugin has accepted it. Requests already
	 * dispatched finish on the table they started with.
	 * @param table the new table
	 * @throws IllegalArgumentException when a plugin refuses the table; the running table
	 * stays
	 */
	public void sites(SiteTable table) {
		install(prepare(table));
	}

	/**
	 * Let every plugin check and compile its settings in a table, without installing it:
	 * the first half of a change that must be validated before it is stored.
	 * @param table the candidate table
	 * @return the table carrying the plugins' states, ready for
	 * {@link #install(SiteTable)}
	 * @throws IllegalArgumentException when a plugin refuses the table
	 */
	public SiteTable prepare(SiteTable table) {
		return this.plugins.prepare(Objects.requireNonNull(table, "table"));
	}

	/**
	 * Swap in a table returned by {@link #prepare(SiteTable)}.
	 * @param prepared the prepared table
	 */
	public void install(SiteTable prepared) {
		this.sites.set(Objects.requireNonNull(prepared, "prepared"));
		warnUnavailable(prepared);
		TlsContexts contexts = this.tls;
		if (contexts != null && this.running) {
			// a new table may name new certificates, or renewed ones: read them here, off
			// the event loops
			contexts.reloadChanged();
			preloadCertificates(contexts, prepared);
		}
	}

	/**
	 * The current site table.
	 * @return the table
	 */
	public SiteTable sites() {
		return this.sites.get();
	}

	/**
	 * Whether the server is running.
	 * @return {@code true} between start and stop
	 */
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * The transport in use, once started.
	 * @return the selection
	 */
	public TransportSelection transport() {
		return this.selection;
	}

	/**
	 * The balancing mode in use, once started: the configured one, or least-loaded where
	 * the transport cannot share a port.
	 * @return the mode
	 */
	public Balancing balancing() {
		return (this.balancing != null) ? this.balancing : this.settings.balancing();
	}

	/**
	 * The workers, once started.
	 * @return the workers
	 */
	public List<Worker> workers() {
		return (this.workers != null) ? this.workers.workers() : List.of();
	}

	/**
	 * The addresses the listeners are bound to, in configuration order.
	 * @return the bound addresses
	 */
	public List<InetSocketAddress> boundAddresses() {
		return List.copyOf(this.addresses);
	}

	/**
	 * The node's id.
	 * @return the id
	 */
	public String nodeId() {
		return this.nodeId;
	}

	/**
	 * The plugins, in order.
	 * @return the plugins
	 */
	public List<Plugin> plugins() {
		return this.plugins.plugins();
	}

	/**
	 * The settings the server was created with.
	 * @return the settings
	 */
	public ServerSettings settings() {
		return this.settings;
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root.getMessage();
	}

	private record Node(String nodeId, Supplier<List<InetSocketAddress>> bound, LoopResources clientLoops,
			boolean nativeTransport) implements NodeContext {

		@Override
		public List<InetSocketAddress> listeners() {
			return this.bound.get();
		}

	}

}
