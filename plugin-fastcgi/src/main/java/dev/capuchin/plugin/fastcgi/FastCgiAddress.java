package dev.capuchin.plugin.fastcgi;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.Objects;

import io.netty.channel.unix.DomainSocketAddress;
import org.jspecify.annotations.Nullable;

/**
 * The address of a FastCGI application server: a unix domain socket
 * ({@code unix:/run/php/php-fpm.sock}) or a TCP {@code host:port} ({@code [::1]:9000} for
 * IPv6).
 *
 * @param socketPath the unix socket's path, or {@code null} for TCP
 * @param host the host name or IP address, or {@code null} for a unix socket
 * @param port the TCP port, or 0 for a unix socket
 */
public record FastCgiAddress(@Nullable String socketPath, @Nullable String host, int port) {

	private static final String UNIX = "unix:";

	public FastCgiAddress {
		if ((socketPath == null) == (host == null)) {
			throw new IllegalArgumentException("exactly one of a socket path or a host is required");
		}
	}

	/**
	 * Read an address as written in a site file.
	 * @param text {@code unix:/path} or {@code host:port}
	 * @return the address
	 * @throws IllegalArgumentException saying what was expected
	 */
	public static FastCgiAddress parse(String text) {
		Objects.requireNonNull(text, "text");
		if (text.startsWith(UNIX)) {
			String path = text.substring(UNIX.length());
			if (!path.startsWith("/") || path.length() > 107 || path.indexOf('\0') >= 0) {
				throw new IllegalArgumentException("'" + text + "' (expected: unix: and an absolute path"
						+ " of at most 107 bytes, such as unix:/run/php/php-fpm.sock)");
			}
			return new FastCgiAddress(path, null, 0);
		}
		int colon = text.lastIndexOf(':');
		String host = (colon > 0) ? text.substring(0, colon) : "";
		if (host.startsWith("[") && host.endsWith("]")) {
			host = host.substring(1, host.length() - 1);
		}
		int port = -1;
		if (colon > 0) {
			try {
				port = Integer.parseInt(text.substring(colon + 1));
			}
			catch (NumberFormatException ex) {
				port = -1;
			}
		}
		if (host.isEmpty() || port < 1 || port > 65535 || host.chars().anyMatch(Character::isWhitespace)
				|| (host.indexOf(':') >= 0 && !text.startsWith("["))) {
			throw new IllegalArgumentException(
					"'" + text + "' (expected: unix:/path/to.sock or host:port, such as 127.0.0.1:9000)");
		}
		return new FastCgiAddress(null, host, port);
	}

	/**
	 * Whether this is a unix domain socket.
	 * @return {@code true} for {@code unix:}
	 */
	public boolean isUnix() {
		return this.socketPath != null;
	}

	/**
	 * The address to connect to. The native transports (epoll, io_uring) take Netty's
	 * {@link DomainSocketAddress}; NIO takes the JDK's {@link UnixDomainSocketAddress}
	 * (Java 16 and later).
	 * @param nio whether the connection is made on an NIO event loop
	 * @return the socket address; a host name is resolved when connecting
	 */
	public SocketAddress socketAddress(boolean nio) {
		if (this.socketPath != null) {
			return nio ? UnixDomainSocketAddress.of(this.socketPath) : new DomainSocketAddress(this.socketPath);
		}
		return InetSocketAddress.createUnresolved(this.host, this.port);
	}

	@Override
	public String toString() {
		if (this.socketPath != null) {
			return UNIX + this.socketPath;
		}
		return (this.host.indexOf(':') >= 0) ? "[" + this.host + "]:" + this.port : this.host + ":" + this.port;
	}

}
