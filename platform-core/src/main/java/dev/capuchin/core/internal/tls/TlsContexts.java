package dev.capuchin.core.internal.tls;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import dev.capuchin.core.spi.CertificateProvider;
import dev.capuchin.core.spi.TlsCertificate;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.tcp.SslProvider;

/**
 * The TLS contexts of a node: one per certificate (and ALPN offer), shared by every
 * worker and listener, built with Capuchin's protocol and cipher policy on the chosen
 * engine. Certificates are read off the event loops: at start, when a site table is
 * installed, by a periodic check of the files' modification times, and on
 * {@link #reload()}. A reloaded certificate applies to new handshakes; open connections
 * keep the context they shook hands with, so none is dropped. On the OpenSSL engine, a
 * certificate that names an OCSP responder gets its answer stapled ({@link OcspStapler});
 * a reloaded certificate gets a stapler of its own. Certificates a CA issued are kept
 * apart ({@link #issued}): one per name, the renewed one retiring the one it replaces.
 */
public final class TlsContexts {

	private static final Logger logger = LoggerFactory.getLogger(TlsContexts.class);

	/**
	 * How long a retired context is kept before its reference is released: a handshake
	 * that was handed it just before the renewal still makes its engine from it. The
	 * engines made from it hold references of their own, so the context lives on as long
	 * as a connection uses it.
	 */
	static final Duration RETIRED_RELEASE_DELAY = Duration.ofSeconds(10);

	/** TLS 1.3 and 1.2 only: 1.0 and 1.1 are deprecated (RFC 8996). */
	static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

	/**
	 * TLS 1.3's suites, then ECDHE with AEAD ciphers only for TLS 1.2 (forward secrecy,
	 * no CBC), ECDSA before RSA and AES-128 before AES-256 as Mozilla's "intermediate"
	 * profile orders them. Suites an engine lacks are left out.
	 */
	static final List<String> CIPHERS = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
			"TLS_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
			"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
			"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
			"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

	/** The key-exchange groups the OpenSSL engine offers, in preference order. */
	static final String[] GROUPS = { "X25519", "P-256" };

	private static final ApplicationProtocolConfig ALPN_H2 = new ApplicationProtocolConfig(
			ApplicationProtocolConfig.Protocol.ALPN, ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
			ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2,
			ApplicationProtocolNames.HTTP_1_1);

	private static final ApplicationProtocolConfig ALPN_HTTP11 = new ApplicationProtocolConfig(
			ApplicationProtocolConfig.Protocol.ALPN, ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
			ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_1_1);

	// RFC 8737, section 6.2: a TLS-ALPN-01 validation negotiates acme-tls/1 and nothing
	// else
	private static final ApplicationProtocolConfig ALPN_ACME_TLS_1 = new ApplicationProtocolConfig(
			ApplicationProtocolConfig.Protocol.ALPN, ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
			ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, CertificateProvider.ACME_TLS_1);

	private final TlsSettings settings;

	// chosen when first needed: choosing loads the OpenSSL engine's native library, which
	// a node without TLS listeners never needs
	private volatile @Nullable TlsEngineSelection selection;

	// made with the first context: a ticket key is a tcnative object, and a node without
	// TLS listeners never loads tcnative
	private volatile @Nullable TicketKeys ticketKeys;

	private final Object ticketKeysLock = new Object();

	private final Map<Key, Loaded> contexts = new ConcurrentHashMap<>();

	// the certificates a CA issued, by name: never looked at by the reload check, as each
	// issue is a new file pair that its provider removes once it is replaced
	private final Map<IssuedKey, Issued> issued = new ConcurrentHashMap<>();

	// what the last look at each changed certificate saw: a renewal writes the
	// certificate and the key one after the other, so a pair is loaded only once two
	// looks in a row saw the same files, never a new certificate with its old key
	private final Map<Key, Stamp> settling = new ConcurrentHashMap<>();

	private @Nullable ScheduledExecutorService scheduler;

	private final Clock clock;

	// the OCSP fetches' control thread and client, made when a certificate first needs
	// them
	private @Nullable ScheduledExecutorService ocspScheduler;

	private @Nullable HttpClient ocspClient;

	/**
	 * Check the engine's name; the engine is chosen, and nothing is read or scheduled,
	 * until asked.
	 * @param settings the TLS settings
	 */
	public TlsContexts(TlsSettings settings) {
		this(settings, Clock.systemUTC());
	}

	TlsContexts(TlsSettings settings, Clock clock) {
		this.settings = Objects.requireNonNull(settings, "settings");
		TlsEngineSelection.wanted(settings.engine());
		this.clock = Objects.requireNonNull(clock, "clock");
	}

	/**
	 * Whether certificates that name an OCSP responder get its answer stapled: asked for,
	 * and the OpenSSL engine runs with OCSP support.
	 * @return whether OCSP stapling runs
	 */
	public boolean ocspStapling() {
		return this.settings.ocspStapling() && selection().engine() == TlsEngine.OPENSSL && OpenSsl.isOcspSupported();
	}

	/**
	 * The engine in use.
	 * @return the selection, with the reason when it is not the one asked for
	 */
	public TlsEngineSelection selection() {
		TlsEngineSelection chosen = this.selection;
		if (chosen == null) {
			// two threads may both choose: the outcome is the same
			chosen = TlsEngineSelection.select(this.settings.engine());
			this.selection = chosen;
		}
		return chosen;
	}

	private TicketKeys ticketKeys() {
		TicketKeys keys = this.ticketKeys;
		if (keys == null) {
			synchronized (this.ticketKeysLock) {
				keys = this.ticketKeys;
				if (keys == null) {
					keys = new TicketKeys();
					this.ticketKeys = keys;
				}
			}
		}
		return keys;
	}

	/**
	 * A line for the start-up log: the engine, its library, and why it differs from the
	 * one asked for.
	 * @return the description
	 */
	public String describe() {
		TlsEngineSelection chosen = selection();
		String engine = (chosen.engine() == TlsEngine.OPENSSL) ? "openssl (" + OpenSsl.versionString() + ")" : "jdk";
		return engine + ((chosen.fallbackReason() != null) ? " because " + chosen.fallbackReason() : "");
	}

	/**
	 * Start rotating the ticket keys and checking the certificate files, on a thread of
	 * their own (never an event loop).
	 */
	public synchronized void start() {
		if (this.scheduler != null) {
			return;
		}
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "capuchin-tls");
			thread.setDaemon(true);
			return thread;
		});
		long rotation = this.settings.ticketKeyRotation().toMillis();
		executor.scheduleAtFixedRate(guarded(this::rotateTicketKeys), rotation, rotation, TimeUnit.MILLISECONDS);
		long interval = this.settings.reloadInterval().toMillis();
		if (interval > 0) {
			executor.scheduleWithFixedDelay(guarded(this::reloadSettled), interval, interval, TimeUnit.MILLISECONDS);
		}
		this.scheduler = executor;
		if (!this.settings.ocspStapling()) {
			logger.info("OCSP stapling off (capuchin.server.tls.ocsp-stapling: false)");
		}
		else if (!ocspStapling()) {
			logger.info("OCSP stapling off: the {} engine does not staple (only OpenSSL with OCSP support does)",
					selection().engine().configName());
		}
		else {
			logger.info("OCSP stapling on for certificates that name a responder");
		}
	}

	// a task that throws is never run again by the executor: keep the schedule alive
	private static Runnable guarded(Runnable task) {
		return () -> {
			try {
				task.run();
			}
			catch (RuntimeException ex) {
				logger.warn("TLS maintenance failed, retried at the next period: {}", ex.toString());
			}
		};
	}

	/**
	 * Stop the schedule and the OCSP fetches; the contexts stay usable until they are
	 * dropped, with the OCSP answers they hold until those expire.
	 */
	public synchronized void stop() {
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
			this.scheduler = null;
		}
		this.contexts.values().forEach(Loaded::dropped);
		this.issued.values().forEach((entry) -> entry.loaded().dropped());
		if (this.ocspScheduler != null) {
			this.ocspScheduler.shutdownNow();
			this.ocspScheduler = null;
		}
	}

	/**
	 * Read the certificates not yet loaded, so that handshakes find them ready.
	 * @param certificates the certificates in use
	 * @param h2 whether h2 is offered by ALPN
	 */
	public void preload(Collection<TlsCertificate> certificates, boolean h2) {
		for (TlsCertificate certificate : certificates) {
			try {
				provider(certificate, h2);
			}
			catch (RuntimeException ex) {
				logger.warn("TLS certificate {} cannot be loaded: {}", certificate.certificate(), ex.getMessage());
			}
		}
	}

	/**
	 * Drop the contexts of certificates no longer in use (a site removed or given another
	 * certificate), so that they are neither kept nor checked for changes.
	 * @param inUse every certificate the listeners and sites name
	 */
	public synchronized void retainOnly(Collection<TlsCertificate> inUse) {
		Set<TlsCertificate> kept = Set.copyOf(inUse);
		this.contexts.entrySet().removeIf((entry) -> {
			boolean stale = !kept.contains(entry.getKey().certificate());
			if (stale) {
				ticketKeys().unregister(entry.getValue().context());
				entry.getValue().dropped();
			}
			return stale;
		});
		this.settling.keySet().removeIf((key) -> !kept.contains(key.certificate()));
		// the sites may have gone or changed: a certificate a CA issued is read again at
		// its next handshake
		this.issued.values().removeIf((entry) -> {
			retire(entry);
			return true;
		});
	}

	/**
	 * The provider for the certificate a CA issued under a name, built on first use and
	 * shared until another certificate is issued under that name. The one it replaces is
	 * retired: no new handshake gets it, the connections that shook hands with it go on,
	 * and its context is released once none uses it (engines hold references of their
	 * own). Its files are never checked for changes: a CA's certificate is a new file
	 * pair at each issue, and the provider removes the previous pair itself.
	 * @param name the name the certificate is issued under (a site's, or the listener's)
	 * @param certificate its files
	 * @param h2 whether h2 is offered by ALPN
	 * @return the provider
	 * @throws IllegalStateException when the certificate cannot be read
	 */
	public SslProvider issued(String name, TlsCertificate certificate, boolean h2) {
		IssuedKey key = new IssuedKey(name, h2);
		Issued current = this.issued.get(key);
		if (current != null && current.certificate().equals(certificate)) {
			return current.loaded().provider();
		}
		synchronized (this) {
			current = this.issued.get(key);
			if (current != null && current.certificate().equals(certificate)) {
				return current.loaded().provider();
			}
			Issued next = new Issued(certificate, load(new Key(certificate, h2)));
			this.issued.put(key, next);
			if (current != null) {
				retire(current);
				logger.info("TLS certificate {} replaced by {}", current.certificate().certificate(),
						certificate.certificate());
			}
			return next.loaded().provider();
		}
	}

	/**
	 * How many certificates a CA issued are loaded, retired ones not counted.
	 * @return the count
	 */
	int issuedCount() {
		return this.issued.size();
	}

	// no new handshake gets it; the reference taken at load is released after a delay,
	// and the context itself once the last engine made from it is closed
	private void retire(@Nullable Issued retired) {
		if (retired == null) {
			return;
		}
		SslContext context = retired.loaded().context();
		ticketKeys().unregister(context);
		retired.loaded().dropped();
		ScheduledExecutorService executor = this.scheduler;
		if (executor == null) {
			ReferenceCountUtil.release(context);
			return;
		}
		try {
			executor.schedule(() -> ReferenceCountUtil.release(context), RETIRED_RELEASE_DELAY.toMillis(),
					TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			ReferenceCountUtil.release(context);
		}
	}

	/**
	 * The provider for a certificate, built on first use and shared from then on.
	 * @param certificate the certificate
	 * @param h2 whether h2 is offered by ALPN
	 * @return the provider
	 * @throws IllegalStateException when the certificate cannot be read
	 */
	public SslProvider provider(TlsCertificate certificate, boolean h2) {
		return this.contexts.computeIfAbsent(new Key(certificate, h2), this::load).provider();
	}

	/**
	 * The context for a certificate, built on first use and shared from then on.
	 * @param certificate the certificate
	 * @param h2 whether h2 is offered by ALPN
	 * @return the context
	 */
	public SslContext context(TlsCertificate certificate, boolean h2) {
		return this.contexts.computeIfAbsent(new Key(certificate, h2), this::load).context();
	}

	/**
	 * A context for one TLS-ALPN-01 validation (RFC 8737): the challenge certificate on
	 * the node's engine, negotiating {@code acme-tls/1} only. Made anew for each
	 * validation and never kept: a challenge lives for seconds, and a CA makes only a few
	 * such handshakes per name.
	 * @param challenge the challenge certificate and its key
	 * @return the context
	 * @throws IllegalStateException when the engine refuses the key or the certificate
	 */
	public SslContext alpnChallengeContext(CertificateProvider.AlpnChallenge challenge) {
		try {
			return SslContextBuilder.forServer(challenge.privateKey(), challenge.certificate())
				.sslProvider(selection().engine().provider())
				.protocols(PROTOCOLS)
				.ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
				.applicationProtocolConfig(ALPN_ACME_TLS_1)
				.build();
		}
		catch (IOException | IllegalArgumentException ex) {
			throw new IllegalStateException("TLS-ALPN-01 challenge certificate: " + ex.getMessage(), ex);
		}
	}

	/**
	 * The OCSP stapler of a loaded certificate.
	 * @param certificate the certificate
	 * @param h2 whether h2 is offered by ALPN
	 * @return the stapler, or {@code null} (not loaded, or nothing to staple)
	 */
	@Nullable OcspStapler ocsp(TlsCertificate certificate, boolean h2) {
		Loaded loaded = this.contexts.get(new Key(certificate, h2));
		return (loaded != null) ? loaded.ocsp() : null;
	}

	/**
	 * Read every certificate again, whether or not its files changed: what a SIGHUP asks
	 * for. New handshakes get the new certificates; open connections are not touched. A
	 * certificate that cannot be read keeps its previous context, with a log line.
	 * @return how many certificates were reloaded
	 */
	public int reload() {
		return reload(Reload.ALL);
	}

	/**
	 * Read again the certificates whose files changed (modification time, size, or the
	 * file a symbolic link points to): what a new configuration asks for, once whoever
	 * changed it has put the files in place.
	 * @return how many certificates were reloaded
	 */
	public int reloadChanged() {
		return reload(Reload.CHANGED);
	}

	/**
	 * Read again the certificates whose files changed and have stayed the same since the
	 * previous call: what the periodic check does, as it may look between the writes of a
	 * certificate and of its key.
	 * @return how many certificates were reloaded
	 */
	public int reloadSettled() {
		return reload(Reload.SETTLED);
	}

	/** Make a new ticket key; the previous one still decrypts. */
	public void rotateTicketKeys() {
		ticketKeys().rotate();
	}

	/**
	 * The session-ticket key names in use, newest first.
	 * @return the names
	 */
	List<byte[]> ticketKeyNames() {
		return ticketKeys().names();
	}

	private synchronized int reload(Reload which) {
		int reloaded = 0;
		for (Map.Entry<Key, Loaded> entry : this.contexts.entrySet()) {
			Key key = entry.getKey();
			Loaded current = entry.getValue();
			try {
				if (which != Reload.ALL) {
					Stamp seen = Stamp.of(key.certificate());
					if (current.stamp().equals(seen)) {
						this.settling.remove(key);
						continue;
					}
					if (which == Reload.SETTLED && !seen.equals(this.settling.put(key, seen))) {
						continue;
					}
				}
				this.settling.remove(key);
				Loaded next = load(key, current.ocsp());
				this.contexts.put(key, next);
				ticketKeys().unregister(current.context());
				current.dropped();
				reloaded++;
				logger.info("TLS certificate {} reloaded", key.certificate().certificate());
			}
			catch (RuntimeException | IOException ex) {
				logger.warn("TLS certificate {} not reloaded, the previous one stays: {}",
						key.certificate().certificate(), ex.getMessage());
			}
		}
		return reloaded;
	}

	private Loaded load(Key key) {
		return load(key, null);
	}

	private Loaded load(Key key, @Nullable OcspStapler previous) {
		TlsCertificate certificate = key.certificate();
		try {
			Stamp stamp = Stamp.of(certificate);
			SslContextBuilder builder = SslContextBuilder
				.forServer(certificate.certificate().toFile(), certificate.privateKey().toFile())
				.sslProvider(selection().engine().provider())
				.protocols(PROTOCOLS)
				.ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
				.sessionTimeout(this.settings.ticketKeyRotation().toSeconds())
				.applicationProtocolConfig(key.h2() ? ALPN_H2 : ALPN_HTTP11);
			if (selection().engine() == TlsEngine.OPENSSL) {
				builder.option(OpenSslContextOption.GROUPS, GROUPS);
			}
			boolean ocsp = ocspStapling();
			if (ocsp) {
				// an answer is set per engine, and sent only to clients that ask for it
				builder.enableOcsp(true);
			}
			SslContext context = builder.build();
			ticketKeys().register(context);
			OcspStapler stapler = ocsp
					? OcspStapler.start(certificate.certificate(), previous, ocspClient(), ocspScheduler(), this.clock)
					: null;
			SslProvider provider = SslProvider.builder().sslContext(context).handlerConfigurator((handler) -> {
				preferServerCiphers(handler);
				if (stapler != null) {
					stapler.staple(handler);
				}
			}).build();
			return new Loaded(context, provider, stamp, stapler);
		}
		catch (IOException | IllegalArgumentException ex) {
			throw new IllegalStateException(
					"TLS certificate " + certificate.certificate() + " cannot be loaded: " + ex.getMessage(), ex);
		}
	}

	// OpenSSL contexts prefer the server's order already; the JDK's engine is told per
	// handshake
	private static void preferServerCiphers(SslHandler handler) {
		SSLEngine engine = handler.engine();
		SSLParameters parameters = engine.getSSLParameters();
		if (!parameters.getUseCipherSuitesOrder()) {
			parameters.setUseCipherSuitesOrder(true);
			engine.setSSLParameters(parameters);
		}
	}

	private enum Reload {

		/** Every certificate. */
		ALL,

		/** The certificates whose files changed. */
		CHANGED,

		/** The certificates whose files changed and then stayed the same. */
		SETTLED

	}

	private record Key(TlsCertificate certificate, boolean h2) {
	}

	private record IssuedKey(String name, boolean h2) {
	}

	private record Issued(TlsCertificate certificate, Loaded loaded) {
	}

	private synchronized ScheduledExecutorService ocspScheduler() {
		if (this.ocspScheduler == null) {
			this.ocspScheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "capuchin-ocsp");
				thread.setDaemon(true);
				return thread;
			});
		}
		return this.ocspScheduler;
	}

	private synchronized HttpClient ocspClient() {
		if (this.ocspClient == null) {
			// HTTP/1.1 only: responders such as openssl's answer no h2c upgrade
			this.ocspClient = HttpClient.newBuilder()
				.version(HttpClient.Version.HTTP_1_1)
				.connectTimeout(OcspStapler.TIMEOUT)
				.followRedirects(HttpClient.Redirect.NEVER)
				.build();
		}
		return this.ocspClient;
	}

	private record Loaded(SslContext context, SslProvider provider, Stamp stamp, @Nullable OcspStapler ocsp) {

		void dropped() {
			if (this.ocsp != null) {
				this.ocsp.close();
			}
		}

	}

	/** What tells a changed certificate file from the one loaded. */
	private record Stamp(Path certificate, long certificateModified, long certificateSize, Path privateKey,
			long privateKeyModified, long privateKeySize) {

		static Stamp of(TlsCertificate tls) throws IOException {
			Path certificate = tls.certificate().toRealPath();
			Path key = tls.privateKey().toRealPath();
			return new Stamp(certificate, Files.getLastModifiedTime(certificate).toMillis(), Files.size(certificate),
					key, Files.getLastModifiedTime(key).toMillis(), Files.size(key));
		}

	}

}
