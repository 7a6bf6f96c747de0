package dev.capuchin.plugin.auth.internal;

import java.time.Duration;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;

/**
 * One fetch from an issuer shared by every request that needs it at the same time, and a
 * short memory of its failure: while an issuer is down, requests within
 * {@code retryAfterFailure} of the last failure get the same error at once instead of
 * each opening a connection.
 *
 * @param <T> what is fetched
 */
final class SharedFetch<T> {

	private final Supplier<Mono<T>> source;

	private final long retryNanos;

	private Mono<T> inflight;

	private IssuerUnavailableException failure;

	private long failedAt;

	SharedFetch(Supplier<Mono<T>> source, Duration retryAfterFailure) {
		this.source = source;
		this.retryNanos = retryAfterFailure.toNanos();
	}

	synchronized Mono<T> fetch() {
		if (this.failure != null && System.nanoTime() - this.failedAt < this.retryNanos) {
			return Mono.error(this.failure);
		}
		if (this.inflight == null) {
			this.inflight = Mono.defer(this.source)
				.doOnSuccess((value) -> finished(null))
				.doOnError((ex) -> finished(unavailable(ex)))
				.onErrorMap(SharedFetch::unavailable)
				.cache();
		}
		return this.inflight;
	}

	private synchronized void finished(IssuerUnavailableException ex) {
		this.inflight = null;
		this.failure = ex;
		this.failedAt = System.nanoTime();
	}

	static IssuerUnavailableException unavailable(Throwable ex) {
		if (ex instanceof IssuerUnavailableException unavailable) {
			return unavailable;
		}
		return new IssuerUnavailableException(
				ex.getClass().getSimpleName() + ((ex.getMessage() != null) ? ": " + ex.getMessage() : ""));
	}

}
