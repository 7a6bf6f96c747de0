package dev.capuchin.app.certificates;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import dev.capuchin.app.audit.AuditLog;
import dev.capuchin.app.identity.MasterKey;
import dev.capuchin.core.spi.CertificateProvider;
import dev.capuchin.core.spi.NodeContext;
import dev.capuchin.core.spi.Plugin;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.SiteTable;
import dev.capuchin.core.spi.Stage;
import dev.capuchin.core.spi.TlsCertificate;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeRateLimitedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Certificates from an ACME CA for every site with {@code tls: {acme: true}}, served by
 * the kernel as a {@link CertificateProvider}. A thread of its own looks every
 * {@code capuchin.acme.check-interval} at each such site: it orders a certificate when
 * none is stored or the names changed, renews at two thirds of the lifetime (less a
 * random part of up to a twentieth, so that certificates issued together are not renewed
 * together), and after a failure waits {@code retry-min}, doubled with each further
 * failure up to {@code retry-max}; the certificate in place keeps serving meanwhile. A CA
 * that cannot be reached never holds up the start: the first look runs once the server is
 * up. Issued certificates are written to {@code capuchin.acme.storage} under their serial
 * number, so that a renewed one is a new file pair and applies to the next handshake.
 */
public final class AcmeCertificates implements Plugin, CertificateProvider {

	private static final Logger logger = LoggerFactory.getLogger(AcmeCertificates.class);

	/** Who the audit log names for orders made by the node itself. */
	static final String ACTOR = "acme";

	private final AcmeProperties properties;

	private final CertificateStore store;

	private final MasterKey masterKey;

	private final AuditLog audit;

	private final Clock clock;

	private final AcmeClient client;

	private final Path storage;

	/**
	 * The sites that want a certificate, with the names to order, from the site table.
	 */
	private volatile Map<String, List<String>> wanted = Map.of();

	/** The certificate each site is served with, by site name. */
	private final Map<String, Served> served = new ConcurrentHashMap<>();

	private @Nullable ScheduledExecutorService scheduler;

	private volatile @Nullable MeterRegistry meters;

	/** The sites whose expiry gauge is registered. */
	private final Set<String> gauged = ConcurrentHashMap.newKeySet();

	/** The node's id, which holds the order leases; set at start. */
	private volatile String nodeId = "unstarted";

	/**
	 * Certificates from the CA in {@code properties}.
	 * @param properties the CA and the schedule
	 * @param store where certificates, account and challenges are kept
	 * @param masterKey what encrypts the keys in the store
	 * @param audit where issuances and failures are recorded
	 * @param clock the time
	 */
	public AcmeCertificates(AcmeProperties properties, CertificateStore store, MasterKey masterKey, AuditLog audit,
			Clock clock) {
		this.properties = properties;
		this.store = store;
		this.masterKey = masterKey;
		this.audit = audit;
		this.clock = clock;
		this.client = new AcmeClient(properties, store, masterKey, clock);
		this.storage = properties.storage().toAbsolutePath();
	}

	@Override
	public String name() {
		return "acme";
	}

	@Override
	public Set<Stage> stages() {
		return Set.of();
	}

	@Override
	public @Nullable Object prepare(SiteTable sites) {
		Map<String, List<String>> next = new LinkedHashMap<>();
		for (Site site : sites.sites()) {
			if (site.tls() == null || !site.tls().acme()) {
				continue;
			}
			boolean wildcards = this.properties.dnsHook() != null;
			List<String> names = orderable(site.serverNames(), wildcards);
			if (names.isEmpty()) {
				logger.warn("Site {}: tls.acme: no server name a CA validates (addresses are left out, and "
						+ "wildcards too without capuchin.acme.dns-hook)", site.name());
				continue;
			}
			if (!wildcards && site.serverNames().stream().anyMatch((name) -> name.startsWith("*."))) {
				logger.warn("Site {}: tls.acme: wildcard names left out (expected: capuchin.acme.dns-hook, to "
						+ "prove them by DNS-01)", site.name());
			}
			next.put(site.name(), names);
		}
		boolean changed = !next.equals(this.wanted);
		this.wanted = Map.copyOf(next);
		ScheduledExecutorService executor = this.scheduler;
		if (changed && executor != null) {
			// a new site or new names are ordered now, not at the next period
			executor.execute(this::check);
		}
		return null;
	}

	/**
	 * The names of a site a CA validates: host names only, wildcards through DNS-01 when
	 * there is a hook for it; addresses are refused.
	 * @param serverNames the site's server names
	 * @param wildcards whether wildcard names can be proved (a DNS hook is set)
	 * @return the names to order, in the site's order
	 */
	static List<String> orderable(List<String> serverNames, boolean wildcards) {
		return serverNames.stream()
			.filter((name) -> (wildcards || !name.startsWith("*.")) && !name.matches("[0-9.]+|\\[.*]"))
			.toList();
	}

	@Override
	public synchronized void start(NodeContext node) {
		if (this.scheduler != null) {
			return;
		}
		this.nodeId = node.nodeId();
		serveStored();
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "capuchin-acme");
			thread.setDaemon(true);
			return thread;
		});
		long period = this.properties.checkInterval().toMillis();
		executor.scheduleWithFixedDelay(this::check, 0, period, TimeUnit.MILLISECONDS);
		this.scheduler = executor;
		logger.info("ACME certificates from {}, checked every {}", this.properties.directory(),
				this.properties.checkInterval());
	}

	@Override
	public synchronized void stop() {
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
			this.scheduler = null;
		}
	}

	@Override
	public @Nullable TlsCertificate certificate(String name) {
		Served current = this.served.get(name);
		return (current != null) ? current.files() : null;
	}

	@Override
	public Mono<String> challengeAnswer(String token) {
		// a look-up in the store: any node answers the tokens another node put there
		return Mono.fromCallable(() -> this.store.challenge(token)).subscribeOn(Schedulers.boundedElastic());
	}

	@Override
	public Mono<AlpnChallenge> alpnChallenge(String serverName) {
		// a look-up in the store, as for HTTP-01: whichever node the CA reaches shows
		// the certificate
		return Mono.fromCallable(() -> {
			CertificateStore.AlpnChallengeRow row = this.store.alpnChallenge(serverName);
			return (row != null) ? new AlpnChallenge(Pem.privateKey(this.masterKey.decrypt(row.privateKeyEncrypted())),
					Pem.certificate(row.certificatePem())) : null;
		}).subscribeOn(Schedulers.boundedElastic());
	}

	/**
	 * Publish {@value #EXPIRY_METRIC} per served certificate, tagged by site.
	 * @param registry the registry
	 */
	public void bindTo(MeterRegistry registry) {
		this.meters = registry;
		this.served.keySet().forEach((name) -> expiryGauge(registry, name));
	}

	/** Days until each served certificate expires, tagged by site. */
	public static final String EXPIRY_METRIC = "capuchin.certificates.expiry.days";

	// once per site: the gauge reads whichever certificate serves, so a renewal needs no
	// new one (and a second registration would only be refused with a warning)
	private void expiryGauge(MeterRegistry registry, String name) {
		if (!this.gauged.add(name)) {
			return;
		}
		Gauge.builder(EXPIRY_METRIC, this, (self) -> self.daysLeft(name))
			.tag("site", name)
			.description("Days until the site's certificate expires")
			.baseUnit("days")
			.register(registry);
	}

	private double daysLeft(String name) {
		Served current = this.served.get(name);
		if (current == null) {
			return Double.NaN;
		}
		return Duration.between(this.clock.instant(), current.notAfter()).toSeconds() / 86_400.0;
	}

	/**
	 * The names each site orders, by site.
	 * @return the sites with {@code tls: {acme: true}}
	 */
	public Map<String, List<String>> wanted() {
		return this.wanted;
	}

	/**
	 * Serve the certificates already in the store before the node takes connections, so
	 * that a restart shows them from its first handshake rather than the pending
	 * certificate; a store that cannot be read now is read again at the first look.
	 */
	private void serveStored() {
		for (String name : this.wanted.keySet()) {
			try {
				StoredCertificate row = this.store.find(name);
				if (row != null && row.issued()) {
					serve(row);
				}
			}
			catch (RuntimeException ex) {
				logger.warn("Site {}: stored certificate not served yet: {}", name, ex.toString());
			}
		}
	}

	/** One look at every site: pick up what other nodes stored, order what is due. */
	void check() {
		try {
			Login login = null;
			for (Map.Entry<String, List<String>> entry : this.wanted.entrySet()) {
				String name = entry.getKey();
				List<String> names = entry.getValue();
				StoredCertificate row = this.store.find(name);
				if (row != null && row.issued()) {
					serve(row);
				}
				if (!due(row, names)) {
					continue;
				}
				Instant now = this.clock.instant();
				// one node orders for a site at a time; the lease outlives an order that
				// hangs, and a node that died while holding it
				if (!this.store.lease(name, names, this.nodeId, now,
						now.plus(this.properties.timeout().multipliedBy(3)))) {
					continue;
				}
				try {
					// another node may have ordered between the look and the lease
					row = this.store.find(name);
					if (row != null && row.issued() && !due(row, names)) {
						serve(row);
						continue;
					}
					if (login == null) {
						login = this.client.login();
					}
					if (row != null && row.issued() && row.names().equals(names) && row.failures() == 0
							&& postponed(login, row)) {
						continue;
					}
					issue(name, names, (row != null && row.serial() == null && row.failures() == 0) ? null : row,
							login);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
				catch (Exception ex) {
					failed(name, names, row, ex);
				}
				finally {
					this.store.release(name, this.nodeId);
				}
			}
		}
		catch (RuntimeException ex) {
			// the store may be down: the next period tries again
			logger.warn("ACME check failed, retried in {}: {}", this.properties.checkInterval(), ex.toString());
		}
	}

	private boolean due(@Nullable StoredCertificate row, List<String> names) {
		if (row == null) {
			return true;
		}
		boolean renamed = !row.names().equals(names);
		return !this.clock.instant().isBefore(row.nextAttempt()) || (renamed && row.failures() == 0);
	}

	private void issue(String name, List<String> names, @Nullable StoredCertificate previous, Login login)
			throws Exception {
		logger.info("Site {}: ordering a certificate for {} from {}", name, names, this.properties.directory());
		X509Certificate replaced = (previous != null && previous.issued())
				? Pem.certificate(previous.certificateChain()) : null;
		AcmeClient.Issued issued = this.client.order(login, names, replaced);
		X509Certificate leaf = issued.leaf();
		Instant notBefore = leaf.getNotBefore().toInstant();
		Instant notAfter = leaf.getNotAfter().toInstant();
		Instant now = this.clock.instant();
		StoredCertificate row = new StoredCertificate(name, names, StoredCertificate.ACME,
				leaf.getIssuerX500Principal().getName(), leaf.getSerialNumber().toString(16), notBefore, notAfter,
				issued.chainPem(), this.masterKey.encrypt(issued.privateKeyPem()),
				renewal(login, leaf, notBefore, notAfter), 0, null, now);
		this.store.save(row);
		serve(row);
		this.audit.record(ACTOR, (previous != null && previous.issued()) ? "renewed" : "issued", "certificate " + name,
				(previous != null) ? previous.serial() : null,
				"serial " + row.serial() + " for " + String.join(", ", names) + " until " + notAfter);
		logger.info("Site {}: certificate {} issued by {} until {}, renewal from {}", name, row.serial(), row.issuer(),
				notAfter, row.nextAttempt());
	}

	private void failed(String name, List<String> names, @Nullable StoredCertificate previous, Exception ex) {
		int failures = (previous != null) ? previous.failures() + 1 : 1;
		Duration wait = wait(failures, ex);
		String error = abbreviate(error(ex));
		Instant now = this.clock.instant();
		StoredCertificate row = (previous != null && previous.issued())
				? new StoredCertificate(name, previous.names(), previous.source(), previous.issuer(), previous.serial(),
						previous.notBefore(), previous.notAfter(), previous.certificateChain(),
						previous.privateKeyEncrypted(), now.plus(wait), failures, error, now)
				: new StoredCertificate(name, names, StoredCertificate.ACME, null, null, null, null, null, null,
						now.plus(wait), failures, error, now);
		this.store.save(row);
		if (failures == 1) {
			this.audit.record(ACTOR, "failed", "certificate " + name, null, error);
		}
		logger.warn("Site {}: certificate order {} failed, next attempt in {}: {}", name, failures, wait, error);
	}

	/**
	 * When to renew a certificate just issued: in the window the CA suggests where it
	 * offers renewal information (RFC 9773), at two thirds of the lifetime otherwise.
	 */
	private Instant renewal(Login login, X509Certificate leaf, Instant notBefore, Instant notAfter) {
		Instant suggested = suggested(login, leaf, notAfter);
		return (suggested != null) ? suggested : renewal(notBefore, notAfter);
	}

	/**
	 * A renewal that fell due asks the CA's renewal information again: when the CA's
	 * window has not begun, the renewal waits for it (the CA may have moved it later);
	 * otherwise it goes ahead.
	 * @return whether the renewal was put off
	 */
	private boolean postponed(Login login, StoredCertificate row) {
		Instant now = this.clock.instant();
		AcmeClient.RenewalWindow window;
		try {
			window = this.client.renewalWindow(login, Pem.certificate(row.certificateChain()));
		}
		catch (AcmeException | RuntimeException ex) {
			logger.info("Site {}: renewal information: {}; renewing now", row.name(), ex.toString());
			return false;
		}
		if (window == null || !window.start().isAfter(now) || window.end().isBefore(window.start())
				|| (row.notAfter() != null && window.start().isAfter(row.notAfter()))) {
			return false;
		}
		Instant next = window.start()
			.plusMillis(ThreadLocalRandom.current()
				.nextLong(Math.max(1, Duration.between(window.start(), window.end()).toMillis())));
		this.store.save(new StoredCertificate(row.name(), row.names(), row.source(), row.issuer(), row.serial(),
				row.notBefore(), row.notAfter(), row.certificateChain(), row.privateKeyEncrypted(), next, 0, null,
				now));
		logger.info("Site {}: the CA suggests renewing between {} and {}; next attempt {}", row.name(), window.start(),
				window.end(), next);
		return true;
	}

	/**
	 * A random time in the CA's suggested renewal window, or {@code null} when it offers
	 * none, cannot be asked, or suggests a window past the expiry.
	 */
	private @Nullable Instant suggested(Login login, X509Certificate leaf, @Nullable Instant notAfter) {
		try {
			AcmeClient.RenewalWindow window = this.client.renewalWindow(login, leaf);
			if (window == null || window.end().isBefore(window.start())
					|| (notAfter != null && window.start().isAfter(notAfter))) {
				return null;
			}
			long span = Duration.between(window.start(), window.end()).toMillis();
			Instant chosen = window.start().plusMillis((span > 0) ? ThreadLocalRandom.current().nextLong(span) : 0);
			// RFC 9773, section 4.2: a window already open means renew now
			return chosen.isBefore(this.clock.instant()) ? this.clock.instant() : chosen;
		}
		catch (AcmeException | RuntimeException ex) {
			logger.info("Renewal information for {}: {}; renewing at two thirds of the lifetime",
					leaf.getSubjectX500Principal().getName(), ex.toString());
			return null;
		}
	}

	/**
	 * When to renew: at two thirds of the lifetime, less up to a twentieth of it at
	 * random.
	 */
	Instant renewal(Instant notBefore, Instant notAfter) {
		Duration lifetime = Duration.between(notBefore, notAfter);
		long jitter = ThreadLocalRandom.current().nextLong(Math.max(1, lifetime.toMillis() / 20));
		return notBefore.plus(lifetime.multipliedBy(2).dividedBy(3)).minusMillis(jitter);
	}

	/**
	 * The wait after a failure: the back-off, or longer when the CA asked for it (a rate
	 * limit with its Retry-After), so that the next attempt is no earlier than the CA
	 * asks; never longer than {@code retry-max}, so that a CA asking for weeks is still
	 * tried again within it.
	 */
	Duration wait(int failures, Throwable ex) {
		Duration wait = backoff(failures);
		Instant asked = retryAfter(ex);
		if (asked != null) {
			Duration untilAsked = Duration.between(this.clock.instant(), asked);
			if (untilAsked.compareTo(wait) > 0) {
				wait = (untilAsked.compareTo(this.properties.retryMax()) > 0) ? this.properties.retryMax() : untilAsked;
			}
		}
		return wait;
	}

	/**
	 * What a failure shows in the console, the API and the health endpoint: its message,
	 * and when the CA asked to be tried again.
	 */
	String error(Throwable ex) {
		String message = (ex.getMessage() != null) ? ex.getMessage() : ex.toString();
		Instant asked = retryAfter(ex);
		return (asked != null) ? message + " (the CA asks to retry after " + asked + ")" : message;
	}

	/**
	 * When the CA asked to be tried again, from the failure or one of its causes. acme4j
	 * reads Retry-After into {@link AcmeRateLimitedException}; on other errors it keeps
	 * none.
	 */
	private static @Nullable Instant retryAfter(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof AcmeRateLimitedException limited && limited.getRetryAfter().isPresent()) {
				return limited.getRetryAfter().get();
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return null;
	}

	/** The wait after the given number of failures in a row. */
	Duration backoff(int failures) {
		Duration wait = this.properties.retryMin();
		for (int i = 1; i < failures && wait.compareTo(this.properties.retryMax()) < 0; i++) {
			wait = wait.multipliedBy(2);
		}
		return (wait.compareTo(this.properties.retryMax()) > 0) ? this.properties.retryMax() : wait;
	}

	private void serve(StoredCertificate row) {
		Served current = this.served.get(row.name());
		if (current != null && current.serial().equals(row.serial())) {
			return;
		}
		try {
			Path directory = Files.createDirectories(this.storage.resolve(row.name()));
			Path certificate = directory.resolve(row.serial() + ".crt");
			Path key = directory.resolve(row.serial() + ".key");
			writePrivate(key, this.masterKey.decrypt(row.privateKeyEncrypted()));
			Files.writeString(certificate, row.certificateChain(), StandardCharsets.US_ASCII);
			this.served.put(row.name(), new Served(row.serial(), new TlsCertificate(certificate, key), row.notAfter()));
			MeterRegistry registry = this.meters;
			if (registry != null) {
				expiryGauge(registry, row.name());
			}
			removeOthers(directory, row.serial());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(
					"site " + row.name() + ": certificate files in " + this.storage + ": " + ex.getMessage(), ex);
		}
	}

	// the key is written to a new file that only the node's user reads, then moved in
	// place
	private static void writePrivate(Path key, String pem) throws IOException {
		Path temporary = key.resolveSibling(key.getFileName() + ".tmp");
		Files.deleteIfExists(temporary);
		if (temporary.getFileSystem().supportedFileAttributeViews().contains("posix")) {
			Files.createFile(temporary,
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		}
		Files.writeString(temporary, pem, StandardCharsets.US_ASCII);
		Files.move(temporary, key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

	// earlier serials' files: the contexts made from them keep their copy in memory
	private static void removeOthers(Path directory, String serial) throws IOException {
		List<Path> stale = new ArrayList<>();
		try (Stream<Path> files = Files.list(directory)) {
			files.filter((file) -> !file.getFileName().toString().startsWith(serial + ".")).forEach(stale::add);
		}
		for (Path file : stale) {
			Files.deleteIfExists(file);
		}
	}

	private static String abbreviate(String message) {
		return (message.length() > 1000) ? message.substring(0, 1000) + "..." : message;
	}

	private record Served(String serial, TlsCertificate files, Instant notAfter) {
	}

	/**
	 * Run a task on the certificates' own thread, after the look in progress, and wait
	 * for it: the console's and the API's actions (order now, revocation, an upload, the
	 * account's changes) never run beside an order of this node, and {@link #check()}
	 * called from the task orders what the action made due before the caller answers.
	 * Before the start (or after the stop) the task runs on the caller's thread.
	 * @param task the task
	 * @param timeout how long to wait for it
	 * @param <T> its result's type
	 * @return its result
	 * @throws Exception what the task threw, or {@link TimeoutException} when it takes
	 * longer than {@code timeout} (it carries on then)
	 */
	public <T> T exclusively(Callable<T> task, Duration timeout) throws Exception {
		ScheduledExecutorService executor;
		synchronized (this) {
			executor = this.scheduler;
		}
		if (executor == null) {
			return task.call();
		}
		Future<T> result;
		try {
			result = executor.submit(task);
		}
		catch (RejectedExecutionException ex) {
			return task.call();
		}
		try {
			return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof Exception cause) ? cause : ex;
		}
	}

}
