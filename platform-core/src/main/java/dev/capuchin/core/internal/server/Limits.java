package dev.capuchin.core.internal.server;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits every connection and request is held to. Each stops a way of exhausting the
 * server; the defaults suit a public server on one machine.
 *
 * @param maxRequestLine longest request line in bytes; longer ones get 414 (stops huge
 * targets from filling buffers)
 * @param maxHeaderSize largest header block in bytes; larger ones get 431
 * @param maxHeaderCount most header fields; more get 431 (stops hash-flooding and slow
 * parsing)
 * @param maxBodySize largest request body in bytes; a larger declared length gets 413
 * @param keepAliveTimeout how long an idle keep-alive connection stays open between
 * requests
 * @param requestReadTimeout how long a client may take to send a request's headers once
 * it started; slower clients get 408 and are closed (stops slowloris)
 * @param maxRequestsPerConnection requests served on one connection before it is closed
 * @param maxConnections open connections in all; more are refused with 503
 * @param maxConnectionsPerClient open connections from one client address; more are
 * refused
 * @param http2 the limits of HTTP/2 connections (streams, windows, frames, resets)
 * @param stageTimeout how long a REQUEST or HANDLE plugin may take to give its result or
 * start its response; a slower one is cancelled and the request answered 504 (stops a
 * plugin that never answers from holding requests and connections for ever); a response
 * already started is left to the plugin's own backend timeouts
 * @param blockedLoopWarning how long a worker loop may go without running its heartbeat
 * before a warning names the worker and the code it is stuck in (finds a plugin that
 * blocks the event loop)
 */
public record Limits(int maxRequestLine, int maxHeaderSize, int maxHeaderCount, long maxBodySize,
		Duration keepAliveTimeout, Duration requestReadTimeout, int maxRequestsPerConnection, int maxConnections,
		int maxConnectionsPerClient, Http2Limits http2, Duration stageTimeout, Duration blockedLoopWarning) {

	// The defaults are compile-time constants so that the @DefaultValue of the
	// capuchin.server.limits properties (and so their metadata) can name them: these are
	// the only place each default is written.

	/** Default longest request line in bytes: 8 KiB. */
	public static final int DEFAULT_MAX_REQUEST_LINE = 8192;

	/** Default largest header block in bytes: 16 KiB. */
	public static final int DEFAULT_MAX_HEADER_SIZE = 16384;

	/** Default most header fields: 100. */
	public static final int DEFAULT_MAX_HEADER_COUNT = 100;

	/** Default largest request body in bytes: 1 MiB. */
	public static final long DEFAULT_MAX_BODY_SIZE = 1024 * 1024;

	/** Default keep-alive idle timeout in seconds: 15. */
	public static final int DEFAULT_KEEP_ALIVE_TIMEOUT_SECONDS = 15;

	/** Default keep-alive idle timeout: 15 s. */
	public static final Duration DEFAULT_KEEP_ALIVE_TIMEOUT = Duration.ofSeconds(DEFAULT_KEEP_ALIVE_TIMEOUT_SECONDS);

	/** Default request-read timeout in seconds: 20. */
	public static final int DEFAULT_REQUEST_READ_TIMEOUT_SECONDS = 20;

	/** Default request-read timeout: 20 s. */
	public static final Duration DEFAULT_REQUEST_READ_TIMEOUT = Duration
		.ofSeconds(DEFAULT_REQUEST_READ_TIMEOUT_SECONDS);

	/** Default requests per connection: 1000. */
	public static final int DEFAULT_MAX_REQUESTS_PER_CONNECTION = 1000;

	/** Default open connections in all: 10,000. */
	public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

	/** Default open connections per client address: 256. */
	public static final int DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 256;

	/**
	 * Default stage time limit in seconds: 120, longer than the CGI timeout and the
	 * FastCGI read timeout (60 s each by default), so that a backend's own timeout
	 * answers first.
	 */
	public static final int DEFAULT_STAGE_TIMEOUT_SECONDS = 120;

	/** Default stage time limit: 120 s. */
	public static final Duration DEFAULT_STAGE_TIMEOUT = Duration.ofSeconds(DEFAULT_STAGE_TIMEOUT_SECONDS);

	/** Default blocked-loop warning in milliseconds: 1000. */
	public static final int DEFAULT_BLOCKED_LOOP_WARNING_MILLIS = 1000;

	/** Default blocked-loop warning: 1 s. */
	public static final Duration DEFAULT_BLOCKED_LOOP_WARNING = Duration.ofMillis(DEFAULT_BLOCKED_LOOP_WARNING_MILLIS);

	/** The defaults. */
	public static final Limits DEFAULTS = new Limits(DEFAULT_MAX_REQUEST_LINE, DEFAULT_MAX_HEADER_SIZE,
			DEFAULT_MAX_HEADER_COUNT, DEFAULT_MAX_BODY_SIZE, DEFAULT_KEEP_ALIVE_TIMEOUT, DEFAULT_REQUEST_READ_TIMEOUT,
			DEFAULT_MAX_REQUESTS_PER_CONNECTION, DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS_PER_CLIENT,
			Http2Limits.DEFAULTS, DEFAULT_STAGE_TIMEOUT, DEFAULT_BLOCKED_LOOP_WARNING);

	public Limits {
		positive("max-request-line", maxRequestLine);
		positive("max-header-size", maxHeaderSize);
		positive("max-header-count", maxHeaderCount);
		if (maxBodySize < 0) {
			throw new IllegalArgumentException(
					"capuchin.server.limits.max-body-size: " + maxBodySize + " (expected: >= 0)");
		}
		positive("keep-alive-timeout", keepAliveTimeout);
		positive("request-read-timeout", requestReadTimeout);
		positive("max-requests-per-connection", maxRequestsPerConnection);
		positive("max-connections", maxConnections);
		positive("max-connections-per-client", maxConnectionsPerClient);
		Objects.requireNonNull(http2, "http2");
		positive("stage-timeout", stageTimeout);
		positive("blocked-loop-warning", blockedLoopWarning);
	}

	/**
	 * Limits with the default stage time limit and blocked-loop warning.
	 * @param maxRequestLine longest request line in bytes
	 * @param maxHeaderSize largest header block in bytes
	 * @param maxHeaderCount most header fields
	 * @param maxBodySize largest request body in bytes
	 * @param keepAliveTimeout idle keep-alive timeout
	 * @param requestReadTimeout time to receive a request's headers
	 * @param maxRequestsPerConnection requests served on one connection
	 * @param maxConnections open connections in all
	 * @param maxConnectionsPerClient open connections from one client address
	 * @param http2 the limits of HTTP/2 connections
	 */
	public Limits(int maxRequestLine, int maxHeaderSize, int maxHeaderCount, long maxBodySize,
			Duration keepAliveTimeout, Duration requestReadTimeout, int maxRequestsPerConnection, int maxConnections,
			int maxConnectionsPerClient, Http2Limits http2) {
		this(maxRequestLine, maxHeaderSize, maxHeaderCount, maxBodySize, keepAliveTimeout, requestReadTimeout,
				maxRequestsPerConnection, maxConnections, maxConnectionsPerClient, http2, DEFAULT_STAGE_TIMEOUT,
				DEFAULT_BLOCKED_LOOP_WARNING);
	}

	/**
	 * Limits with the default HTTP/2 limits.
	 * @param maxRequestLine longest request line in bytes
	 * @param maxHeaderSize largest header block in bytes
	 * @param maxHeaderCount most header fields
	 * @param maxBodySize largest request body in bytes
	 * @param keepAliveTimeout idle keep-alive timeout
	 * @param requestReadTimeout time to receive a request's headers
	 * @param maxRequestsPerConnection requests served on one connection
	 * @param maxConnections open connections in all
	 * @param maxConnectionsPerClient open connections from one client address
	 */
	public Limits(int maxRequestLine, int maxHeaderSize, int maxHeaderCount, long maxBodySize,
			Duration keepAliveTimeout, Duration requestReadTimeout, int maxRequestsPerConnection, int maxConnections,
			int maxConnectionsPerClient) {
		this(maxRequestLine, maxHeaderSize, maxHeaderCount, maxBodySize, keepAliveTimeout, requestReadTimeout,
				maxRequestsPerConnection, maxConnections, maxConnectionsPerClient, Http2Limits.DEFAULTS);
	}

	/**
	 * A copy with other HTTP/2 limits.
	 * @param other the HTTP/2 limits
	 * @return the copy
	 */
	public Limits withHttp2(Http2Limits other) {
		return new Limits(this.maxRequestLine, this.maxHeaderSize, this.maxHeaderCount, this.maxBodySize,
				this.keepAliveTimeout, this.requestReadTimeout, this.maxRequestsPerConnection, this.maxConnections,
				this.maxConnectionsPerClient, other, this.stageTimeout, this.blockedLoopWarning);
	}

	/**
	 * A copy with another stage time limit.
	 * @param timeout how long a REQUEST or HANDLE plugin may take
	 * @return the copy
	 */
	public Limits withStageTimeout(Duration timeout) {
		return new Limits(this.maxRequestLine, this.maxHeaderSize, this.maxHeaderCount, this.maxBodySize,
				this.keepAliveTimeout, this.requestReadTimeout, this.maxRequestsPerConnection, this.maxConnections,
				this.maxConnectionsPerClient, this.http2, timeout, this.blockedLoopWarning);
	}

	/**
	 * A copy with another blocked-loop warning.
	 * @param warning how long a worker loop may go without its heartbeat
	 * @return the copy
	 */
	public Limits withBlockedLoopWarning(Duration warning) {
		return new Limits(this.maxRequestLine, this.maxHeaderSize, this.maxHeaderCount, this.maxBodySize,
				this.keepAliveTimeout, this.requestReadTimeout, this.maxRequestsPerConnection, this.maxConnections,
				this.maxConnectionsPerClient, this.http2, this.stageTimeout, warning);
	}

	private static void positive(String key, long value) {
		if (value <= 0) {
			throw new IllegalArgumentException("capuchin.server.limits." + key + ": " + value + " (expected: > 0)");
		}
	}

	private static void positive(String key, Duration value) {
		Objects.requireNonNull(value, key);
		if (value.isZero() || value.isNegative()) {
			throw new IllegalArgumentException("capuchin.server.limits." + key + ": " + value + " (expected: > 0)");
		}
	}

}
