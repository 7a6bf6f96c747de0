package dev.capuchin.plugin.mandril;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import dev.capuchin.core.spi.RequestResult;
import dev.capuchin.core.spi.ConnectResult;
import dev.capuchin.core.spi.SiteTable;
import dev.capuchin.core.spi.ClientConnection;
import dev.capuchin.core.spi.Exchange;
import dev.capuchin.core.spi.Plugin;
import dev.capuchin.core.spi.Stage;
import dev.capuchin.plugin.mandril.internal.AddressSet;
import dev.capuchin.plugin.mandril.internal.CompiledRules;
import dev.capuchin.plugin.mandril.internal.ConnectionLimiter;
import dev.capuchin.plugin.mandril.internal.ForwardedClient;
import dev.capuchin.plugin.mandril.internal.IpFilter;
import dev.capuchin.plugin.mandril.internal.IpLiterals;
import dev.capuchin.plugin.mandril.internal.PreparedSites;
import dev.capuchin.plugin.mandril.internal.RateLimiter;
import dev.capuchin.plugin.mandril.internal.SiteRules;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Monkey's Mandril: security rules at the first two stages.
 * <ul>
 * <li>{@link Stage#CONNECT}: global and per-listener address rules on the socket peer,
 * and the per-address connection limit. A refused connection is closed before a byte of
 * it is read.</li>
 * <li>{@link Stage#REQUEST}: the real client behind trusted proxies, site and location
 * address rules (403), the request rate per client (429 with {@code Retry-After}), path
 * rules (403) and hotlink rules (403), in that order.</li>
 * <li>{@link Stage#CLOSE}, only with a connection limit: uncounts the connection.</li>
 * </ul>
 * With no rules configured a request costs two lookups and no allocation.
 */
public final class MandrilPlugin implements Plugin {

	/** The plugin's name and its key in site files. */
	public static final String NAME = "mandril";

	/** Runs before other REQUEST plugins (authentication among them). */
	public static final int ORDER = -1000;

	/** How often rate state of clients whose buckets are full again is dropped. */
	static final long SWEEP_SECONDS = 10;

	private static final Logger logger = LoggerFactory.getLogger(MandrilPlugin.class);

	private final MandrilSettings settings;

	private final Set<Stage> stages;

	private final IpFilter global;

	private final ListenerRules[] listeners;

	private final IpFilter[] listenerFilters;

	private final boolean connectRules;

	private final AddressSet trusted;

	private final RateLimiter rate;

	private final ConnectionLimiter connections;

	private final ConcurrentHashMap<String, RateLimiter> siteLimiters = new ConcurrentHashMap<>();

	private final LongAdder deniedConnections = new LongAdder();

	private final LongAdder limitedConnections = new LongAdder();

	private final LongAdder deniedRequests = new LongAdder();

	private final LongAdder rateLimitedRequests = new LongAdder();

	private final LongSupplier nanoTime;

	private ScheduledExecutorService sweeper;

	/**
	 * A plugin with the given global settings; site rules come from each site table.
	 * @param settings the global settings
	 */
	public MandrilPlugin(MandrilSettings settings) {
		this(settings, System::nanoTime);
	}

	/**
	 * A plugin whose rate limits read the time from a given source, so that a test can
	 * let a client's bucket refill without waiting for it.
	 * @param settings the global settings
	 * @param nanoTime the time in nanoseconds, as {@link System#nanoTime()}
	 */
	public MandrilPlugin(MandrilSettings settings, LongSupplier nanoTime) {
		this.settings = Objects.requireNonNull(settings, "settings");
		this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
		this.stages = stages(settings.maxConnectionsPerIp());
		this.global = IpFilter.of(settings.global().ip());
		this.listeners = settings.listeners().toArray(ListenerRules[]::new);
		this.listenerFilters = new IpFilter[this.listeners.length];
		for (int i = 0; i < this.listeners.length; i++) {
			this.listenerFilters[i] = IpFilter.of(this.listeners[i].ip());
		}
		this.connectRules = this.global != null || this.listeners.length > 0;
		this.trusted = settings.trustedProxies().isEmpty() ? null : AddressSet.of(settings.trustedProxies());
		this.rate = settings.global().rate().isOn()
				? new RateLimiter(settings.global().rate(), settings.maxClients(), nanoTime) : null;
		this.connections = (settings.maxConnectionsPerIp() > 0) ? new ConnectionLimiter(settings.maxConnectionsPerIp())
				: null;
	}

	/**
	 * The stages the plugin takes part in for a connection limit.
	 * @param maxConnectionsPerIp the limit, 0 for none
	 * @return CONNECT and REQUEST, and CLOSE with a limit
	 */
	public static Set<Stage> stages(int maxConnectionsPerIp) {
		return (maxConnectionsPerIp > 0) ? Set.copyOf(EnumSet.of(Stage.CONNECT, Stage.REQUEST, Stage.CLOSE))
				: Set.copyOf(EnumSet.of(Stage.CONNECT, Stage.REQUEST));
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public Set<Stage> stages() {
		return this.stages;
	}

	@Override
	public int order() {
		return ORDER;
	}

	/**
	 * The global settings.
	 * @return the settings
	 */
	public MandrilSettings settings() {
		return this.settings;
	}

	@Override
	public Object prepare(SiteTable sites) {
		Set<String> used = new HashSet<>();
		PreparedSites prepared = PreparedSites.prepare(sites, this.settings.global(), (site, limit) -> {
			used.add(site);
			return this.siteLimiters.compute(site,
					(key, existing) -> (existing != null && existing.limit().equals(limit)) ? existing
							: new RateLimiter(limit, this.settings.maxClients(), this.nanoTime));
		});
		this.siteLimiters.keySet().retainAll(used);
		return prepared;
	}

	@Override
	public synchronized void start() {
		if (this.sweeper == null) {
			this.sweeper = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "capuchin-mandril-sweeper");
				thread.setDaemon(true);
				return thread;
			});
			this.sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_SECONDS, SWEEP_SECONDS, TimeUnit.SECONDS);
		}
	}

	@Override
	public synchronized void stop() {
		if (this.sweeper != null) {
			this.sweeper.shutdownNow();
			this.sweeper = null;
		}
	}

	private void sweep() {
		try {
			if (this.rate != null) {
				this.rate.sweep();
			}
			for (RateLimiter limiter : this.siteLimiters.values()) {
				limiter.sweep();
			}
		}
		catch (RuntimeException ex) {
			logger.warn("mandril: sweeping rate state failed", ex);
		}
	}

	@Override
	public ConnectResult onConnect(ClientConnection connection) {
		if (this.connectRules) {
			byte[] peer = IpLiterals.bytes(connection.remoteAddress().getAddress());
			if (!connectionRulesPermit(connection, peer)) {
				this.deniedConnections.increment();
				logger.debug("connection {}: {} denied by address rules", connection.id(), connection.remoteAddress());
				return ConnectResult.CLOSE;
			}
		}
		if (this.connections != null && !this.connections.open(connection)) {
			this.limitedConnections.increment();
			logger.debug("connection {}: {} holds max-connections-per-ip already", connection.id(),
					connection.remoteAddress());
			return ConnectResult.CLOSE;
		}
		return ConnectResult.CONTINUE;
	}

	@Override
	public void onClose(ClientConnection connection) {
		if (this.connections != null) {
			this.connections.close(connection);
		}
	}

	private boolean connectionRulesPermit(ClientConnection connection, byte[] address) {
		if (this.global != null && !this.global.permits(address)) {
			return false;
		}
		for (int i = 0; i < this.listeners.length; i++) {
			if (this.listenerFilters[i] != null
					&& this.listeners[i].appliesTo(connection.localAddress(), connection.listenerAddress())
					&& !this.listenerFilters[i].permits(address)) {
				return false;
			}
		}
		return true;
	}

	@Override
	public Mono<RequestResult> onRequest(Exchange exchange) {
		InetSocketAddress client = exchange.clientAddress();
		byte[] address = null;
		if (this.trusted != null) {
			InetSocketAddress real = forwardedClient(exchange);
			if (real != null) {
				exchange.clientAddress(real);
				client = real;
				address = IpLiterals.bytes(real.getAddress());
				if (this.connectRules && !connectionRulesPermit(exchange.connection(), address)) {
					return forbidden(exchange, "forwarded client " + real.getAddress().getHostAddress() + " denied");
				}
			}
		}
		PreparedSites prepared = exchange.state(this);
		SiteRules rules = (prepared != null) ? prepared.rules(exchange.site()) : null;
		CompiledRules location = (rules != null) ? rules.location(exchange.location()) : null;
		if (rules != null && (rules.site.ip != null || (location != null && location.ip != null))) {
			if (address == null) {
				address = IpLiterals.bytes(client.getAddress());
			}
			if ((rules.site.ip != null && !rules.site.ip.permits(address))
					|| (location != null && location.ip != null && !location.ip.permits(address))) {
				return forbidden(exchange, "client " + client.getAddress().getHostAddress() + " denied");
			}
		}
		if (this.rate != null) {
			long wait = this.rate.acquire(client.getAddress());
			if (wait > 0) {
				return tooManyRequests(exchange, wait);
			}
		}
		if (rules == null) {
			return CONTINUE;
		}
		if (rules.rate != null) {
			long wait = rules.rate.acquire(client.getAddress());
			if (wait > 0) {
				return tooManyRequests(exchange, wait);
			}
		}
		String path = exchange.path();
		PathRule uri = CompiledRules.firstMatch(rules.site.uriDeny, path);
		if (uri == null && location != null) {
			uri = CompiledRules.firstMatch(location.uriDeny, path);
		}
		if (uri != null) {
			return forbidden(exchange, "path matches uri rule '" + uri + "'");
		}
		PathRule hotlink = CompiledRules.firstMatch(rules.site.hotlinkDeny, path);
		if (hotlink == null && location != null) {
			hotlink = CompiledRules.firstMatch(location.hotlinkDeny, path);
		}
		if (hotlink != null) {
			HttpHeaders headers = exchange.request().requestHeaders();
			String referer = headers.get(HttpHeaderNames.REFERER);
			if (referer != null && !rules.names.isOwn(referer, headers.get(HttpHeaderNames.HOST))) {
				return forbidden(exchange, "hotlink rule '" + hotlink + "' from foreign referer");
			}
		}
		return CONTINUE;
	}

	private InetSocketAddress forwardedClient(Exchange exchange) {
		InetAddress peer = exchange.connection().remoteAddress().getAddress();
		if (!this.trusted.contains(IpLiterals.bytes(peer))) {
			return null;
		}
		return ForwardedClient.resolve(exchange.request().requestHeaders(), this.trusted);
	}

	private Mono<RequestResult> forbidden(Exchange exchange, String reason) {
		this.deniedRequests.increment();
		return refuse(exchange, 403, reason);
	}

	private Mono<RequestResult> tooManyRequests(Exchange exchange, long waitNanos) {
		this.rateLimitedRequests.increment();
		exchange.response()
			.header(HttpHeaderNames.RETRY_AFTER, Long.toString(RateLimiter.retryAfterSeconds(waitNanos)));
		return refuse(exchange, 429,
				"client " + exchange.clientAddress().getAddress().getHostAddress() + " over the request rate");
	}

	private Mono<RequestResult> refuse(Exchange exchange, int status, String reason) {
		String message = NAME + ": " + reason;
		exchange.attribute(Exchange.ERROR_REASON, message);
		logger.debug("connection {}: {} for {}: {}", exchange.connection().id(), status, exchange.path(), message);
		return exchange.sendError(status).thenReturn(RequestResult.DONE);
	}

	/**
	 * Connections closed at CONNECT by address rules.
	 * @return the count since start
	 */
	public long deniedConnections() {
		return this.deniedConnections.sum();
	}

	/**
	 * Connections closed at CONNECT by {@code max-connections-per-ip}.
	 * @return the count since start
	 */
	public long limitedConnections() {
		return this.limitedConnections.sum();
	}

	/**
	 * Requests answered 403 by address, path or hotlink rules.
	 * @return the count since start
	 */
	public long deniedRequests() {
		return this.deniedRequests.sum();
	}

	/**
	 * Requests answered 429 by a rate limit.
	 * @return the count since start
	 */
	public long rateLimitedRequests() {
		return this.rateLimitedRequests.sum();
	}

	/**
	 * Connections open from one address, as counted for {@code max-connections-per-ip}.
	 * @param client the address
	 * @return the count; 0 without a limit
	 */
	public int openConnections(InetAddress client) {
		return (this.connections != null) ? this.connections.openConnections(client) : 0;
	}

}
