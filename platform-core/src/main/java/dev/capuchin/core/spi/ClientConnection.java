package dev.capuchin.core.spi;

import java.net.InetSocketAddress;

import org.jspecify.annotations.Nullable;

/**
 * A client connection as plugins see it at {@link Stage#CONNECT} and {@link Stage#CLOSE},
 * and through {@link Exchange#connection()} for each of its requests.
 * <h2>Connection attributes</h2> A plugin may keep values on the connection under its own
 * {@link ConnectionKey keys}: {@link #attribute(ConnectionKey)} and
 * {@link #attribute(ConnectionKey, Object)}. They are for remembering work that a client
 * repeats on a keep-alive connection, such as the last credential verified and what it
 * verified to, so that the next request carrying the same bytes skips the work. Their
 * limits:
 * <ul>
 * <li>They belong to one connection: never shared with another, even of the same client.
 * They are dropped once the {@link Stage#CLOSE} plugins have run; after that, reads give
 * {@code null} and writes are ignored.</li>
 * <li>Over HTTP/2 there is one set per connection, shared by all its streams. All the
 * streams of a connection run on the connection's event loop, so two of them never run at
 * the same instant, but their steps interleave: a value one stream set may be replaced by
 * another stream's before the first one's next step. Read a value once per step and treat
 * it as connection-wide, never as the request's own; a gateway that multiplexes many
 * users' requests over one connection is then merely not helped by a memo, never confused
 * by it.</li>
 * <li>A value is a memo, not an authority: a value that vouches for something must carry
 * what it was checked against, and the plugin checks again on every request whatever can
 * change in time (an expiry, a revocation, a new configuration).</li>
 * <li>Reads and writes may come from any thread (a plugin that completes on another
 * thread may write); a write is seen by later reads on the connection's event loop.
 * Values should therefore be immutable. A read on the event loop takes no lock and
 * allocates nothing; a write copies the connection's few slots.</li>
 * <li>At most {@value #MAX_ATTRIBUTES} keys per connection.</li>
 * </ul>
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

	/**
	 * The most keys one connection holds values for: keys are created by plugins once, so
	 * more means a plugin creates a key per request, which would grow every connection.
	 */
	int MAX_ATTRIBUTES = 32;

	/**
	 * The value a plugin keeps on this connection under a key (see the class
	 * description).
	 * @param key the key
	 * @param <T> the value's type
	 * @return the value, or {@code null} when none was set, it was removed, or the
	 * connection has closed
	 */
	<T> @Nullable T attribute(ConnectionKey<T> key);

	/**
	 * Keep a value on this connection under a key, replacing the one before; ignored once
	 * the connection has closed (see the class description).
	 * @param key the key
	 * @param value the value, or {@code null} to remove it
	 * @param <T> the value's type
	 * @throws ClassCastException when the value is not of the key's type
	 * @throws IllegalStateException when the connection already holds values for
	 * {@value #MAX_ATTRIBUTES} other keys
	 */
	<T> void attribute(ConnectionKey<T> key, @Nullable T value);

}
