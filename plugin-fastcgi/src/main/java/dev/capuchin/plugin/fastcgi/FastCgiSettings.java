package dev.capuchin.plugin.fastcgi;

import java.time.Duration;
import java.util.Objects;

/**
 * The global defaults of the FastCGI plugin ({@code capuchin.plugins.fastcgi.*}); a
 * location's {@code fastcgi:} block overrides the timeouts and the connection maximum.
 *
 * @param connectTimeout how long opening a connection to an application server may take
 * before the next address is tried (or 502)
 * @param readTimeout how long the application server may stay silent while a response is
 * awaited (504 before the headers, a cut response after)
 * @param maxConnections the most connections open to one application server; php-fpm
 * gives each kept-alive connection a child of its own, so this should not exceed the
 * pool's {@code pm.max_children}
 * @param acquireTimeout how long a request waits for a connection when all are in use,
 * before it is answered 503
 * @param idleTimeout how long an idle kept-alive connection stays open
 * @param maxHeaderSize the most bytes of CGI headers read before the body (a larger head
 * is a 502)
 */
public record FastCgiSettings(Duration connectTimeout, Duration readTimeout, int maxConnections,
		Duration acquireTimeout, Duration idleTimeout, int maxHeaderSize) {

	/** Default connect timeout. */
	public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

	/** Default read timeout, nginx's {@code fastcgi_read_timeout}. */
	public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);

	/** Default maximum of connections per server: Debian's {@code pm.max_children}. */
	public static final int DEFAULT_MAX_CONNECTIONS = 5;

	/** The largest {@code max-connections} accepted. */
	public static final int MAX_CONNECTIONS_LIMIT = 4096;

	/** Default time a request waits for a free connection. */
	public static final Duration DEFAULT_ACQUIRE_TIMEOUT = Duration.ofSeconds(5);

	/** Default idle time of a kept-alive connection. */
	public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

	/** Default limit of the CGI headers' size. */
	public static final int DEFAULT_MAX_HEADER_SIZE = 64 * 1024;

	public FastCgiSettings {
		connectTimeout = positive("connect-timeout", connectTimeout);
		readTimeout = positive("read-timeout", readTimeout);
		acquireTimeout = positive("acquire-timeout", acquireTimeout);
		idleTimeout = positive("idle-timeout", idleTimeout);
		maxConnections(maxConnections);
		if (maxHeaderSize < 1024 || maxHeaderSize > 1024 * 1024) {
			throw new IllegalArgumentException("max-header-size: " + maxHeaderSize + " (expected: 1KB..1MB)");
		}
	}

	/**
	 * The defaults.
	 * @return the default settings
	 */
	public static FastCgiSettings defaults() {
		return new FastCgiSettings(DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, DEFAULT_MAX_CONNECTIONS,
				DEFAULT_ACQUIRE_TIMEOUT, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_HEADER_SIZE);
	}

	static int maxConnections(int value) {
		if (value < 1 || value > MAX_CONNECTIONS_LIMIT) {
			throw new IllegalArgumentException(
					"max-connections: " + value + " (expected: 1.." + MAX_CONNECTIONS_LIMIT + ")");
		}
		return value;
	}

	private static Duration positive(String key, Duration value) {
		Objects.requireNonNull(value, key);
		if (value.isNegative() || value.isZero() || value.compareTo(Duration.ofHours(1)) > 0) {
			throw new IllegalArgumentException(key + ": " + value + " (expected: > 0 and at most 1h)");
		}
		return value;
	}

}
