package dev.capuchin.core.internal.server;

import java.net.InetSocketAddress;
import java.util.Objects;

import dev.capuchin.core.spi.TlsCertificate;

/**
 * One listening socket.
 *
 * @param address the address to bind ({@code host:port}; port 0 picks a free port)
 * @param tls the default certificate for TLS on this listener, or {@code null} for plain
 * HTTP; SNI picks a site's own certificate when it has one
 * @param http2 whether HTTP/2 is offered: by ALPN ({@code h2}) with TLS, or as
 * {@code h2c} (prior knowledge and upgrade) without
 * @param tcpNoDelay whether {@code TCP_NODELAY} is set on accepted sockets
 * @param backlog the accept queue length
 * @param reusePort whether {@code SO_REUSEPORT} is set (always on in reuseport balancing)
 * @param fastOpen the {@code TCP_FASTOPEN} queue length, or 0 for off
 * @param deferAcceptSeconds {@code TCP_DEFER_ACCEPT} seconds, or 0 for off
 */
public record ListenerSettings(InetSocketAddress address, TlsCertificate tls, boolean http2, boolean tcpNoDelay,
		int backlog, boolean reusePort, int fastOpen, int deferAcceptSeconds) {

	/** Default address: every IPv4 interface, port 2001. */
	public static final String DEFAULT_ADDRESS = "0.0.0.0:2001";

	/** Whether HTTP/2 is offered by default. */
	public static final boolean DEFAULT_HTTP2 = false;

	/** Whether {@code TCP_NODELAY} is set by default. */
	public static final boolean DEFAULT_TCP_NO_DELAY = true;

	/** Default accept queue length. */
	public static final int DEFAULT_BACKLOG = 1024;

	/** Whether {@code SO_REUSEPORT} is set by default. */
	public static final boolean DEFAULT_REUSE_PORT = false;

	/** Default {@code TCP_FASTOPEN} queue length: off. */
	public static final int DEFAULT_FAST_OPEN = 0;

	/** Default {@code TCP_DEFER_ACCEPT} seconds: off. */
	public static final int DEFAULT_DEFER_ACCEPT_SECONDS = 0;

	public ListenerSettings {
		Objects.requireNonNull(address, "address");
		if (backlog < 1) {
			throw new IllegalArgumentException("backlog: " + backlog + " (expected: > 0)");
		}
		if (fastOpen < 0 || deferAcceptSeconds < 0) {
			throw new IllegalArgumentException("fast-open/defer-accept: expected >= 0");
		}
	}

	/**
	 * A plain HTTP/1.1 listener with default socket options.
	 * @param address the address to bind
	 * @return the settings
	 */
	public static ListenerSettings plain(InetSocketAddress address) {
		return new ListenerSettings(address, null, DEFAULT_HTTP2, DEFAULT_TCP_NO_DELAY, DEFAULT_BACKLOG,
				DEFAULT_REUSE_PORT, DEFAULT_FAST_OPEN, DEFAULT_DEFER_ACCEPT_SECONDS);
	}

	/**
	 * A copy with another address (the bound one, when port 0 was asked for).
	 * @param bound the new address
	 * @return the copy
	 */
	public ListenerSettings withAddress(InetSocketAddress bound) {
		return new ListenerSettings(bound, this.tls, this.http2, this.tcpNoDelay, this.backlog, this.reusePort,
				this.fastOpen, this.deferAcceptSeconds);
	}

	/**
	 * A copy with TLS and optional HTTP/2.
	 * @param certificate the default certificate
	 * @param h2 whether to offer h2 by ALPN
	 * @return the copy
	 */
	public ListenerSettings withTls(TlsCertificate certificate, boolean h2) {
		return new ListenerSettings(this.address, certificate, h2, this.tcpNoDelay, this.backlog, this.reusePort,
				this.fastOpen, this.deferAcceptSeconds);
	}

	/**
	 * A copy with HTTP/2 switched on or off.
	 * @param enabled whether to offer HTTP/2
	 * @return the copy
	 */
	public ListenerSettings withHttp2(boolean enabled) {
		return new ListenerSettings(this.address, this.tls, enabled, this.tcpNoDelay, this.backlog, this.reusePort,
				this.fastOpen, this.deferAcceptSeconds);
	}

}
