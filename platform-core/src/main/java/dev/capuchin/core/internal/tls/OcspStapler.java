package dev.capuchin.core.internal.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslHandler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OCSP stapling for one certificate on the OpenSSL engine: asks the responder named in
 * the certificate's Authority Information Access for its status, verifies the answer
 * ({@link OcspVerifier}) and hands it to every new engine (the client then need not ask
 * the responder itself). Everything runs on the TLS control thread and the HTTP client's
 * threads, never on an event loop, and never holds up the start or a handshake: until a
 * verified answer is there, and once the last one expired, handshakes go on without one.
 * The responder is asked again halfway to the answer's expiry, and after a failure with a
 * delay that doubles from {@link #FIRST_RETRY} to {@link #LAST_RETRY}. A reloaded
 * certificate gets a new stapler, so an answer is only ever stapled with the certificate
 * it is about.
 */
final class OcspStapler implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(OcspStapler.class);

	/** The longest a responder may take to answer, body included. */
	static final Duration TIMEOUT = Duration.ofSeconds(10);

	/**
	 * The largest answer read (stops a responder filling memory): real ones are ~2 KiB.
	 */
	static final int MAX_RESPONSE_SIZE = 64 * 1024;

	/** The first delay after a failure; it doubles with each further one. */
	static final Duration FIRST_RETRY = Duration.ofSeconds(10);

	/** The longest delay between two attempts after failures. */
	static final Duration LAST_RETRY = Duration.ofMinutes(10);

	/** The shortest delay between two refreshes of a good answer. */
	static final Duration MIN_REFRESH = Duration.ofMinutes(1);

	private final Path certificate;

	private final OcspVerifier verifier;

	private final HttpClient client;

	private final ScheduledExecutorService scheduler;

	private final Clock clock;

	private volatile OcspVerifier.@Nullable Verified current;

	private volatile OcspState state = OcspState.WAITING;

	private volatile @Nullable String lastFailure;

	private Duration retry = FIRST_RETRY;

	private @Nullable ScheduledFuture<?> next;

	private volatile boolean closed;

	private OcspStapler(Path certificate, OcspVerifier verifier, HttpClient client, ScheduledExecutorService scheduler,
			Clock clock) {
		this.certificate = certificate;
		this.verifier = verifier;
		this.client = client;
		this.scheduler = scheduler;
		this.clock = clock;
	}

	/**
	 * A stapler for a certificate chain file, asking its responder at once; {@code null}
	 * when the certificate names no responder, or (with a warning) its issuer is not in
	 * the file.
	 * @param certificate the PEM chain, leaf first, issuer next
	 * @param previous the stapler of the certificate this one replaces, whose answer is
	 * kept if it is about the same certificate (an unchanged file read again)
	 * @param client the HTTP client
	 * @param scheduler the control thread
	 * @param clock what says now
	 * @return the stapler, or {@code null}
	 */
	static @Nullable OcspStapler start(Path certificate, @Nullable OcspStapler previous, HttpClient client,
			ScheduledExecutorService scheduler, Clock clock) {
		@Nullable OcspVerifier verifier;
		try {
			verifier = OcspVerifier.of(read(certificate));
		}
		catch (OcspVerifier.OcspException | IOException | CertificateException ex) {
			logger.warn("OCSP stapling off for {}: {}", certificate, ex.getMessage());
			return null;
		}
		if (verifier == null) {
			// most certificates outside public CAs have none: not worth a line per reload
			logger.debug("OCSP stapling off for {}: the certificate names no http:// OCSP responder", certificate);
			return null;
		}
		OcspStapler stapler = new OcspStapler(certificate, verifier, client, scheduler, clock);
		OcspVerifier.Verified kept = (previous != null) ? previous.current : null;
		if (kept != null && previous.verifier.serial().equals(verifier.serial())) {
			try {
				// the same certificate read again: its answer still holds
				stapler.current = verifier.verify(kept.der(), clock);
				stapler.state = OcspState.STAPLING;
			}
			catch (OcspVerifier.OcspException ex) {
				// about another issuer, or expired: fetch a new one
			}
		}
		stapler.schedule(Duration.ZERO);
		return stapler;
	}

	/**
	 * The answer stapled to handshakes now.
	 * @return the DER answer, or {@code null} (none yet, or expired)
	 */
	byte @Nullable [] response() {
		OcspVerifier.Verified verified = this.current;
		if (verified == null || !this.clock.instant().isBefore(verified.expires())) {
			return null;
		}
		return verified.der();
	}

	/**
	 * Where stapling of this certificate stands.
	 * @return the state
	 */
	OcspState state() {
		return this.state;
	}

	/**
	 * Why the last attempt failed.
	 * @return the reason, or {@code null} when it succeeded or none was made
	 */
	@Nullable String lastFailure() {
		return this.lastFailure;
	}

	/**
	 * The responder's URL.
	 * @return the URL from the certificate
	 */
	String url() {
		return this.verifier.url();
	}

	/**
	 * Staple the current answer to a handshake about to start; a client that does not ask
	 * for it (no {@code status_request}) is sent nothing.
	 * @param handler the connection's TLS handler
	 */
	void staple(SslHandler handler) {
		byte[] response = response();
		if (response != null && handler.engine() instanceof ReferenceCountedOpenSslEngine engine) {
			engine.setOcspResponse(response);
		}
	}

	@Override
	public synchronized void close() {
		this.closed = true;
		if (this.next != null) {
			this.next.cancel(false);
		}
	}

	private synchronized void schedule(Duration delay) {
		if (this.closed) {
			return;
		}
		try {
			this.next = this.scheduler.schedule(this::fetch, delay.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// the server stopped: the answer held expires on its own
		}
	}

	private void fetch() {
		if (this.closed) {
			return;
		}
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.verifier.url()))
			.timeout(TIMEOUT)
			.header("Content-Type", "application/ocsp-request")
			.header("Accept", "application/ocsp-response")
			.POST(HttpRequest.BodyPublishers.ofByteArray(this.verifier.request()))
			.build();
		this.client.sendAsync(request, (info) -> new LimitedBody(MAX_RESPONSE_SIZE))
			.orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
			.whenComplete((response, failure) -> {
				try {
					this.scheduler.execute(() -> answered(response, failure));
				}
				catch (RejectedExecutionException ex) {
					// the server stopped
				}
			});
	}

	private void answered(@Nullable HttpResponse<byte[]> response, @Nullable Throwable failure) {
		if (this.closed) {
			return;
		}
		if (failure != null) {
			failed((failure.getCause() != null) ? failure.getCause().toString() : failure.toString());
			return;
		}
		if (response.statusCode() != 200) {
			failed("HTTP status " + response.statusCode());
			return;
		}
		try {
			OcspVerifier.Verified verified = this.verifier.verify(response.body(), this.clock);
			this.current = verified;
			this.retry = FIRST_RETRY;
			this.lastFailure = null;
			Instant now = this.clock.instant();
			Duration refresh = Duration.between(now, verified.expires()).dividedBy(2);
			if (refresh.compareTo(MIN_REFRESH) < 0) {
				refresh = MIN_REFRESH;
			}
			change(OcspState.STAPLING, "answer '" + verified.status() + "' from " + url() + " valid until "
					+ verified.expires() + ", asked again in " + refresh);
			schedule(refresh);
			scheduleExpiry(verified);
		}
		catch (OcspVerifier.OcspException ex) {
			failed("answer refused: " + ex.getMessage());
		}
	}

	private void failed(String reason) {
		this.lastFailure = reason;
		Duration delay = this.retry;
		this.retry = (delay.multipliedBy(2).compareTo(LAST_RETRY) > 0) ? LAST_RETRY : delay.multipliedBy(2);
		OcspState next = (response() != null) ? OcspState.RETRYING : OcspState.UNAVAILABLE;
		change(next, "responder " + url() + " failed (" + reason + "), asked again in " + delay);
		schedule(delay);
	}

	// drop the answer when it expires, even while the responder stays down, and say so
	private void scheduleExpiry(OcspVerifier.Verified verified) {
		Duration left = Duration.between(this.clock.instant(), verified.expires());
		try {
			this.scheduler.schedule(() -> {
				if (!this.closed && this.current == verified && response() == null) {
					change(OcspState.UNAVAILABLE, "answer expired at " + verified.expires() + ", no longer stapled");
				}
			}, Math.max(0, left.toMillis()), TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// the server stopped
		}
	}

	private void change(OcspState next, String detail) {
		OcspState previous = this.state;
		this.state = next;
		if (previous != next) {
			if (next == OcspState.STAPLING) {
				logger.info("OCSP stapling for {}: {}", this.certificate, detail);
			}
			else {
				logger.warn("OCSP stapling for {} {}: {}", this.certificate, next.name().toLowerCase(Locale.ROOT),
						detail);
			}
		}
		else {
			logger.debug("OCSP stapling for {}: {}", this.certificate, detail);
		}
	}

	private static List<X509Certificate> read(Path chain) throws IOException, CertificateException {
		CertificateFactory factory = CertificateFactory.getInstance("X.509");
		List<X509Certificate> certificates = new ArrayList<>();
		try (InputStream in = Files.newInputStream(chain)) {
			factory.generateCertificates(in).forEach((certificate) -> certificates.add((X509Certificate) certificate));
		}
		return certificates;
	}

	/** A response body read into memory up to a limit; beyond it the exchange fails. */
	private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {

		private final int limit;

		private final ByteArrayOutputStream out = new ByteArrayOutputStream();

		private final CompletableFuture<byte[]> body = new CompletableFuture<>();

		private Flow.@Nullable Subscription subscription;

		LimitedBody(int limit) {
			this.limit = limit;
		}

		@Override
		public CompletionStage<byte[]> getBody() {
			return this.body;
		}

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			this.subscription = subscription;
			subscription.request(Long.MAX_VALUE);
		}

		@Override
		public void onNext(List<ByteBuffer> items) {
			if (this.body.isDone()) {
				return;
			}
			for (ByteBuffer item : items) {
				if (this.out.size() + item.remaining() > this.limit) {
					this.subscription.cancel();
					this.body.completeExceptionally(new IOException("answer larger than " + this.limit + " bytes"));
					return;
				}
				byte[] bytes = new byte[item.remaining()];
				item.get(bytes);
				this.out.writeBytes(bytes);
			}
		}

		@Override
		public void onError(Throwable failure) {
			this.body.completeExceptionally(failure);
		}

		@Override
		public void onComplete() {
			this.body.complete(this.out.toByteArray());
		}

	}

}
