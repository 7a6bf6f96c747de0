package dev.capuchin.core.spi;

import java.net.InetSocketAddress;

/**
 * A client connection as plugins see it at {@link Stage#CONNECT} and {@link Stage#CLOSE}.
 */
public interface ClientConnection {

	/**
	 * A short identifier, unique per process, for log lines.
	 * @return the connection id
	 */
	String id();

	/**
	 * The client's address as seen on the socket.
	 * @return the remote address
	 */
	InetSocketAddress remoteAddress();

	/**
	 * The local address the connection arrived on.
	 * @return the local address
	 */
	InetSocketAddress localAddress();

	/**
	 * The configured address of the listener that accepted the connection.
	 * @return the listener address
	 */
	InetSocketAddress listenerAddress();

	/**
	 * Whether the connection is TLS.
	 * @return {@code true} over TLS
	 */
	boolean isSecure();

	/**
	 * The name of the worker that owns the connection.
	 * @return the worker name
	 */
	String worker();

}
