package dev.capuchin.core.autoconfigure;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.capuchin.core.internal.fdt.FdtSettings;
import dev.capuchin.core.internal.server.Http2Limits;
import dev.capuchin.core.internal.server.Limits;
import dev.capuchin.core.internal.server.ListenerSettings;
import dev.capuchin.core.internal.server.ServerSettings;
import dev.capuchin.core.internal.tls.TlsEngineSelection;
import dev.capuchin.core.internal.tls.TlsSettings;
import dev.capuchin.core.spi.Addresses;
import dev.capuchin.core.spi.CertificateProvider;
import dev.capuchin.core.spi.TlsCertificate;
import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.internal.worker.Balancing;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The {@code capuchin.*} configuration of the data plane. Every value is checked when it
 * is bound, and a bad one stops the start with a message that names its key.
 * <p>
 * The defaults are written once, as named constants of the kernel's settings records
 * ({@link Limits}, {@link FdtSettings}, {@link ListenerSettings}, {@link ServerSettings},
 * {@link Balancing}), and referenced here: the kernel builds its own defaults without
 * Spring (tests, embedding), and the {@code @DefaultValue}s still carry them into the
 * configuration metadata.
 *
 * @param sitesDir the directory of site files ({@code *.yml}), relative to the working
 * directory
 * @param server the data-plane server
 */
@ConfigurationProperties("capuchin")
public record CapuchinProperties(@DefaultValue("config/sites") Path sitesDir, @DefaultValue Server server) {

	/**
	 * The data-plane server.
	 *
	 * @param enabled whether the data plane runs in this application
	 * @param listeners the listening sockets; default one on {@code 0.0.0.0:2001}
	 * @param workers the number of worker event loops; default the number of cores
	 * @param transport {@code auto} (the default: epoll where available, else NIO),
	 * {@code epoll}, {@code io-uring} or {@code nio}
	 * @param balancing {@code least-loaded} (one acceptor hands each connection to the
	 * worker with the fewest) or {@code reuseport} (one SO_REUSEPORT socket per worker)
	 * @param limits connection and request limits
	 * @param fdt the per-worker open-file table
	 * @param shutdownTimeout how long in-flight requests may take to finish at shutdown
	 * @param tls the TLS engine, session tickets and certificate reloads of every TLS
	 * listener
	 */
	public record Server(@DefaultValue("true") boolean enabled, List<Listener> listeners, Integer workers,
			@DefaultValue(ServerSettings.DEFAULT_TRANSPORT) TransportChoice transport,
			@DefaultValue(Balancing.DEFAULT_NAME) Balancing balancing, @DefaultValue LimitsProperties limits,
			@DefaultValue Fdt fdt,
			@DefaultValue(ServerSettings.DEFAULT_SHUTDOWN_TIMEOUT_SECONDS + "s") Duration shutdownTimeout,
			@DefaultValue ServerTls tls) {

		public Server {
			listeners = (listeners != null && !listeners.isEmpty()) ? List.copyOf(listeners)
					: List.of(new Listener(ListenerSettings.DEFAULT_ADDRESS, null, ListenerSettings.DEFAULT_HTTP2,
							ListenerSettings.DEFAULT_TCP_NO_DELAY, ListenerSettings.DEFAULT_BACKLOG,
							ListenerSettings.DEFAULT_REUSE_PORT, ListenerSettings.DEFAULT_FAST_OPEN,
							Duration.ofSeconds(ListenerSettings.DEFAULT_DEFER_ACCEPT_SECONDS)));
			if (workers == null) {
				workers = Runtime.getRuntime().availableProcessors();
			}
			if (workers < 1 || workers > 1024) {
				throw new IllegalArgumentException("capuchin.server.workers: " + workers + " (expected: 1..1024)");
			}
			if (shutdownTimeout.isNegative()) {
				throw new IllegalArgumentException(
						"capuchin.server.shutdown-timeout: " + shutdownTimeout + " (expected: >= 0)");
			}
		}

		/**
		 * The kernel settings these properties describe.
		 * @return the settings
		 */
		public ServerSettings toSettings() {
			List<ListenerSettings> sockets = new ArrayList<>();
			for (int i = 0; i < this.listeners.size(); i++) {
				sockets.add(this.listeners.get(i).toSettings(i));
			}
			return new ServerSettings(sockets, this.workers, this.transport.configName(), this.balancing,
					this.limits.toLimits(), this.fdt.toSettings(), this.shutdownTimeout, this.tls.toSettings());
		}

	}

	/**
	 * One listening socket.
	 *
	 * @param address {@code host:port}, e.g. {@code 0.0.0.0:2001} or {@code [::1]:2001}
	 * @param tls the listener's default certificate, for TLS
	 * @param http2 whether HTTP/2 is offered (h2 by ALPN with TLS, h2c without)
	 * @param tcpNoDelay whether TCP_NODELAY is set on accepted sockets
	 * @param backlog the accept queue length
	 * @param reusePort whether SO_REUSEPORT is set
	 * @param fastOpen the TCP_FASTOPEN queue length; 0 for off
	 * @param deferAccept TCP_DEFER_ACCEPT time; 0 for off
	 */
	public record Listener(String address, Tls tls, @DefaultValue("" + ListenerSettings.DEFAULT_HTTP2) boolean http2,
			@DefaultValue("" + ListenerSettings.DEFAULT_TCP_NO_DELAY) boolean tcpNoDelay,
			@DefaultValue("" + ListenerSettings.DEFAULT_BACKLOG) int backlog,
			@DefaultValue("" + ListenerSettings.DEFAULT_REUSE_PORT) boolean reusePort,
			@DefaultValue("" + ListenerSettings.DEFAULT_FAST_OPEN) int fastOpen,
			@DefaultValue(ListenerSettings.DEFAULT_DEFER_ACCEPT_SECONDS + "s") Duration deferAccept) {

		ListenerSettings toSettings(int index) {
			String key = "capuchin.server.listeners[" + index + "]";
			if (this.address == null) {
				throw new IllegalArgumentException(key + ".address: missing (expected: host:port)");
			}
			InetSocketAddress socket = Addresses.parse(this.address, key + ".address");
			TlsCertificate certificate = null;
			if (this.tls != null && this.tls.acme()) {
				if (this.tls.certificate() != null || this.tls.privateKey() != null) {
					throw new IllegalArgumentException(
							key + ".tls: acme: true takes no certificate or private-key (the CA issues them)");
				}
				certificate = TlsCertificate.acme(CertificateProvider.LISTENER);
			}
			else if (this.tls != null) {
				if (this.tls.certificate() == null || this.tls.privateKey() == null) {
					throw new IllegalArgumentException(key + ".tls: both certificate and private-key are required");
				}
				certificate = new TlsCertificate(this.tls.certificate(), this.tls.privateKey());
				certificate.validate(key + ".tls");
			}
			if (this.backlog < 1) {
				throw new IllegalArgumentException(key + ".backlog: " + this.backlog + " (expected: > 0)");
			}
			if (this.fastOpen < 0) {
				throw new IllegalArgumentException(key + ".fast-open: " + this.fastOpen + " (expected: >= 0)");
			}
			return new ListenerSettings(socket, certificate, this.http2, this.tcpNoDelay, this.backlog, this.reusePort,
					this.fastOpen, (int) this.deferAccept.toSeconds());
		}

	}

	/**
	 * A PEM certificate chain and private key, or certificates from an ACME CA.
	 *
	 * @param certificate the certificate chain file
	 * @param privateKey the PKCS#8 private key file
	 * @param acme whether the listener's certificates come from the ACME CA
	 * ({@code capuchin.acme.*}), one per site by SNI; clients that name no site get a
	 * self-signed pending certificate
	 */
	public record Tls(Path certificate, Path privateKey, boolean acme) {

	}

	/**
	 * TLS for every TLS listener.
	 *
	 * @param engine {@code auto} (the default: OpenSSL/BoringSSL where its native library
	 * loads, else the JDK's), {@code openssl} or {@code jdk}; the choice is logged at
	 * start
	 * @param ticketKeyRotation how often a new session-ticket key is made; the previous
	 * key still resumes sessions for one more period
	 * @param reloadInterval how often the certificate files are checked for a change; 0
	 * checks only on a reload request
	 * @param ocspStapling whether certificates that name an OCSP responder get its answer
	 * stapled to handshakes (OpenSSL engine only)
	 */
	public record ServerTls(@DefaultValue(TlsSettings.DEFAULT_ENGINE) String engine,
			@DefaultValue(TlsSettings.DEFAULT_TICKET_KEY_ROTATION_MINUTES + "m") Duration ticketKeyRotation,
			@DefaultValue(TlsSettings.DEFAULT_RELOAD_INTERVAL_SECONDS + "s") Duration reloadInterval,
			@DefaultValue("" + TlsSettings.DEFAULT_OCSP_STAPLING) boolean ocspStapling) {

		public ServerTls {
			// the name only: whether OpenSSL loads is seen when a TLS listener starts
			TlsEngineSelection.wanted(engine);
			new TlsSettings(engine, ticketKeyRotation, reloadInterval);
		}

		TlsSettings toSettings() {
			return new TlsSettings(this.engine, this.ticketKeyRotation, this.reloadInterval, this.ocspStapling);
		}

	}

	/**
	 * Connection and request limits; see the README for the attack each one stops.
	 *
	 * @param maxRequestLine longest request line (414 beyond)
	 * @param maxHeaderSize largest header block (431 beyond)
	 * @param maxHeaderCount most header fields (431 beyond)
	 * @param maxBodySize largest request body (413 beyond)
	 * @param keepAliveTimeout idle time before a keep-alive connection is closed
	 * @param requestReadTimeout time to receive a request's headers (408 beyond)
	 * @param maxRequestsPerConnection requests before a connection is closed
	 * @param maxConnections open connections in all
	 * @param maxConnectionsPerClient open connections per client address
	 * @param http2 limits of HTTP/2 connections
	 * @param stageTimeout time a REQUEST or HANDLE plugin may take to answer or start its
	 * response (504 beyond)
	 * @param blockedLoopWarning time a worker loop may be blocked before a warning names
	 * the code it is stuck in
	 */
	public record LimitsProperties(@DefaultValue(Limits.DEFAULT_MAX_REQUEST_LINE + "B") DataSize maxRequestLine,
			@DefaultValue(Limits.DEFAULT_MAX_HEADER_SIZE + "B") DataSize maxHeaderSize,
			@DefaultValue("" + Limits.DEFAULT_MAX_HEADER_COUNT) int maxHeaderCount,
			@DefaultValue(Limits.DEFAULT_MAX_BODY_SIZE + "B") DataSize maxBodySize,
			@DefaultValue(Limits.DEFAULT_KEEP_ALIVE_TIMEOUT_SECONDS + "s") Duration keepAliveTimeout,
			@DefaultValue(Limits.DEFAULT_REQUEST_READ_TIMEOUT_SECONDS + "s") Duration requestReadTimeout,
			@DefaultValue("" + Limits.DEFAULT_MAX_REQUESTS_PER_CONNECTION) int maxRequestsPerConnection,
			@DefaultValue("" + Limits.DEFAULT_MAX_CONNECTIONS) int maxConnections,
			@DefaultValue("" + Limits.DEFAULT_MAX_CONNECTIONS_PER_CLIENT) int maxConnectionsPerClient,
			@DefaultValue Http2 http2, @DefaultValue(Limits.DEFAULT_STAGE_TIMEOUT_SECONDS + "s") Duration stageTimeout,
			@DefaultValue(Limits.DEFAULT_BLOCKED_LOOP_WARNING_MILLIS + "ms") Duration blockedLoopWarning) {

		public LimitsProperties {
			toLimits(maxRequestLine, maxHeaderSize, maxHeaderCount, maxBodySize, keepAliveTimeout, requestReadTimeout,
					maxRequestsPerConnection, maxConnections, maxConnectionsPerClient)
				.withStageTimeout(stageTimeout)
				.withBlockedLoopWarning(blockedLoopWarning);
		}

		Limits toLimits() {
			return toLimits(this.maxRequestLine, this.maxHeaderSize, this.maxHeaderCount, this.maxBodySize,
					this.keepAliveTimeout, this.requestReadTimeout, this.maxRequestsPerConnection, this.maxConnections,
					this.maxConnectionsPerClient)
				.withHttp2(this.http2.toLimits())
				.withStageTimeout(this.stageTimeout)
				.withBlockedLoopWarning(this.blockedLoopWarning);
		}

		private static Limits toLimits(DataSize requestLine, DataSize headerSize, int headerCount, DataSize bodySize,
				Duration keepAlive, Duration requestRead, int requests, int connections, int perClient) {
			if (requestLine.toBytes() > Integer.MAX_VALUE || headerSize.toBytes() > Integer.MAX_VALUE) {
				throw new IllegalArgumentException(
						"capuchin.server.limits: request line and header size must be < 2 GB");
			}
			return new Limits((int) requestLine.toBytes(), (int) headerSize.toBytes(), headerCount, bodySize.toBytes(),
					keepAlive, requestRead, requests, connections, perClient);
		}

	}

	/**
	 * Limits of HTTP/2 connections; see {@link Http2Limits} for the attack each one
	 * stops.
	 *
	 * @param maxConcurrentStreams streams open at once on one connection
	 * @param initialWindowSize request body a client may send on a stream before the
	 * server reads it
	 * @param maxFrameSize largest frame payload
	 * @param headerTableSize size of the HPACK dynamic table
	 * @param maxResetsPerWindow {@code RST_STREAM} frames a client may send within the
	 * window before its connection is closed
	 * @param resetWindow the window resets are counted in
	 */
	public record Http2(@DefaultValue("" + Http2Limits.DEFAULT_MAX_CONCURRENT_STREAMS) int maxConcurrentStreams,
			@DefaultValue(Http2Limits.DEFAULT_INITIAL_WINDOW_SIZE + "B") DataSize initialWindowSize,
			@DefaultValue(Http2Limits.DEFAULT_MAX_FRAME_SIZE + "B") DataSize maxFrameSize,
			@DefaultValue(Http2Limits.DEFAULT_HEADER_TABLE_SIZE + "B") DataSize headerTableSize,
			@DefaultValue("" + Http2Limits.DEFAULT_MAX_RESETS_PER_WINDOW) int maxResetsPerWindow,
			@DefaultValue(Http2Limits.DEFAULT_RESET_WINDOW_SECONDS + "s") Duration resetWindow) {

		public Http2 {
			toLimits(maxConcurrentStreams, initialWindowSize, maxFrameSize, headerTableSize, maxResetsPerWindow,
					resetWindow);
		}

		Http2Limits toLimits() {
			return toLimits(this.maxConcurrentStreams, this.initialWindowSize, this.maxFrameSize, this.headerTableSize,
					this.maxResetsPerWindow, this.resetWindow);
		}

		private static Http2Limits toLimits(int streams, DataSize window, DataSize frame, DataSize table, int resets,
				Duration resetWindow) {
			return new Http2Limits(streams, bytes("initial-window-size", window), bytes("max-frame-size", frame),
					bytes("header-table-size", table), resets, resetWindow);
		}

		private static int bytes(String key, DataSize size) {
			if (size.toBytes() > Integer.MAX_VALUE) {
				throw new IllegalArgumentException(
						"capuchin.server.limits.http2." + key + ": " + size + " (expected: < 2GB)");
			}
			return (int) size.toBytes();
		}

	}

	/**
	 * The per-worker open-file table.
	 *
	 * @param buckets hash buckets per worker
	 * @param slots entries per bucket
	 * @param retainIdle whether entries stay open after their last reader, revalidated by
	 * size and modification time
	 * @param idleTimeout how long a retained entry may stay open unused
	 * @param valid how long a resolved file is trusted without a new check
	 */
	public record Fdt(@DefaultValue("" + FdtSettings.DEFAULT_BUCKETS) int buckets,
			@DefaultValue("" + FdtSettings.DEFAULT_SLOTS) int slots,
			@DefaultValue("" + FdtSettings.DEFAULT_RETAIN_IDLE) boolean retainIdle,
			@DefaultValue(FdtSettings.DEFAULT_IDLE_TIMEOUT_SECONDS + "s") Duration idleTimeout,
			@DefaultValue(FdtSettings.DEFAULT_VALID_SECONDS + "s") Duration valid) {

		public Fdt {
			toSettings(buckets, slots, retainIdle, idleTimeout, valid);
		}

		FdtSettings toSettings() {
			return toSettings(this.buckets, this.slots, this.retainIdle, this.idleTimeout, this.valid);
		}

		private static FdtSettings toSettings(int buckets, int slots, boolean retain, Duration idle, Duration valid) {
			try {
				return new FdtSettings(buckets, slots, retain, idle, valid);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("capuchin.server." + ex.getMessage(), ex);
			}
		}

	}

	/**
	 * The transport the data plane is asked for: one of the kernel's {@link Transport}s,
	 * or {@code auto} to take the best this machine offers.
	 */
	public enum TransportChoice {

		/**
		 * Epoll where it is available, else NIO; the choice and its reason are logged.
		 */
		AUTO(null),

		/** Linux epoll. */
		EPOLL(Transport.EPOLL),

		/** Linux io_uring. */
		IO_URING(Transport.IO_URING),

		/** Java NIO, on every system. */
		NIO(Transport.NIO);

		private final Transport transport;

		TransportChoice(Transport transport) {
			this.transport = transport;
		}

		/**
		 * The name the kernel's settings take.
		 * @return {@code auto} or the transport's name
		 */
		public String configName() {
			return (this.transport != null) ? this.transport.configName() : ServerSettings.DEFAULT_TRANSPORT;
		}

	}

}
