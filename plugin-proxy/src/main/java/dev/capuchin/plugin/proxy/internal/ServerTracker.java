package dev.capuchin.plugin.proxy.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import dev.capuchin.plugin.proxy.HealthCheck;
import dev.capuchin.plugin.proxy.ServerCondition;
import dev.capuchin.plugin.proxy.UpstreamServer;
import dev.capuchin.plugin.proxy.UpstreamState.HealthResult;
import dev.capuchin.plugin.proxy.UpstreamState.ServerError;
import dev.capuchin.plugin.proxy.UpstreamState.ServerState;
import org.jspecify.annotations.Nullable;

/**
 * The live state of one server of one upstream, shared by every worker and carried across
 * site tables (keyed by upstream name and server URL): requests in flight, counters,
 * passive failures (Monkey's {@code AttemptsCount} within {@code OfflineTimeOut}) and the
 * active health verdict.
 */
public final class ServerTracker {

	private final String upstream;

	private final String url;

	private final Clock clock;

	private final AtomicInteger inFlight = new AtomicInteger();

	private final LongAdder requests = new LongAdder();

	private final LongAdder failures = new LongAdder();

	private final MinuteCounter requestsPerMinute = new MinuteCounter();

	private final MinuteCounter failuresPerMinute = new MinuteCounter();

	// passive failures: guarded by this
	private int windowFailures;

	private long windowStart;

	private volatile long offlineUntil;

	// active checks: written by the health checker's thread only
	private volatile boolean healthy = true;

	private int successesInRow;

	private int failuresInRow;

	private volatile @Nullable HealthResult lastHealthCheck;

	private volatile @Nullable ServerError lastError;

	ServerTracker(String upstream, String url, Clock clock) {
		this.upstream = upstream;
		this.url = url;
		this.clock = clock;
	}

	/**
	 * The upstream's name.
	 * @return the name
	 */
	public String upstream() {
		return this.upstream;
	}

	/**
	 * The server's URL.
	 * @return the URL
	 */
	public String url() {
		return this.url;
	}

	/**
	 * Requests in flight now.
	 * @return the count
	 */
	public int inFlight() {
		return this.inFlight.get();
	}

	/**
	 * Whether the server may get a request now: not offline after failures and not out by
	 * health checks (drain is a setting of the table, checked by the caller).
	 * @return {@code true} when available
	 */
	public boolean available() {
		return this.healthy && (this.offlineUntil == 0 || this.clock.millis() >= this.offlineUntil);
	}

	@Nullable String lastErrorMessage() {
		ServerError error = this.lastError;
		return (error != null) ? error.message() : null;
	}

	void started() {
		this.inFlight.incrementAndGet();
		this.requests.increment();
		this.requestsPerMinute.add(this.clock.millis());
	}

	void finished() {
		this.inFlight.decrementAndGet();
	}

	/**
	 * A try succeeded: passive failures are forgotten and an offline server is back.
	 */
	synchronized void succeeded() {
		this.windowFailures = 0;
		this.offlineUntil = 0;
	}

	/**
	 * A try failed; {@code maxFails} failures within {@code failTimeoutMillis} put the
	 * server offline for {@code failTimeoutMillis}.
	 * @return {@code true} when this failure put the server offline
	 */
	synchronized boolean failed(String message, int maxFails, long failTimeoutMillis) {
		long now = this.clock.millis();
		this.failures.increment();
		this.failuresPerMinute.add(now);
		this.lastError = new ServerError(Instant.ofEpochMilli(now), message);
		if (maxFails == 0) {
			return false;
		}
		if (now - this.windowStart > failTimeoutMillis) {
			this.windowStart = now;
			this.windowFailures = 0;
		}
		this.windowFailures++;
		if (this.windowFailures >= maxFails && this.offlineUntil <= now) {
			this.offlineUntil = now + failTimeoutMillis;
			this.windowFailures = 0;
			return true;
		}
		return false;
	}

	/**
	 * Record an active check.
	 * @return {@code true} when the verdict changed
	 */
	boolean checked(HealthCheck check, boolean success, String outcome) {
		this.lastHealthCheck = new HealthResult(this.clock.instant(), success, outcome);
		if (success) {
			this.failuresInRow = 0;
			this.successesInRow++;
			if (!this.healthy && this.successesInRow >= check.rise()) {
				this.healthy = true;
				synchronized (this) {
					this.offlineUntil = 0;
				}
				return true;
			}
		}
		else {
			this.successesInRow = 0;
			this.failuresInRow++;
			if (this.healthy && this.failuresInRow >= check.fall()) {
				this.healthy = false;
				return true;
			}
		}
		return false;
	}

	/**
	 * The server's condition.
	 * @param drain whether the table drains it
	 * @return the condition
	 */
	public ServerCondition condition(boolean drain) {
		if (drain) {
			return ServerCondition.DRAINING;
		}
		return available() ? ServerCondition.UP : ServerCondition.DOWN;
	}

	ServerState state(UpstreamServer server) {
		long now = this.clock.millis();
		long until = this.offlineUntil;
		return new ServerState(this.url, condition(server.drain()), (until > now) ? Instant.ofEpochMilli(until) : null,
				server.backup(), server.weight(), this.inFlight.get(), this.requests.sum(), this.failures.sum(),
				this.requestsPerMinute.sum(now), this.failuresPerMinute.sum(now), this.lastHealthCheck, this.lastError);
	}

}
