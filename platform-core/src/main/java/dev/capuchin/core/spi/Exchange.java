package dev.capuchin.core.spi;

import java.net.InetSocketAddress;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * One request and its response as plugins see them at {@link Stage#REQUEST} and
 * {@link Stage#HANDLE}, and through {@link LogEvent#exchange()} at {@link Stage#LOG}. An
 * exchange is confined to its connection's event loop, apart from plugins that hop
 * threads and come back; none of its methods throws for a valid argument.
 */
public interface Exchange {

	/**
	 * Attribute holding why the kernel refused or failed the request ({@code String}),
	 * for the error log.
	 */
	String ERROR_REASON = "capuchin.error.reason";

	/**
	 * Attribute holding the name of the plugin whose failure produced a 500
	 * ({@code String}).
	 */
	String ERROR_PLUGIN = "capuchin.error.plugin";

	/**
	 * Attribute holding the name of the user a plugin authenticated ({@code String}): the
	 * access log's user, CGI's {@code REMOTE_USER}, the identity a proxied backend is
	 * told.
	 */
	String USER = "capuchin.user";

	/**
	 * Attribute holding how that user was authenticated ({@code String}, such as
	 * {@code Basic} or {@code Bearer}): CGI's {@code AUTH_TYPE}.
	 */
	String AUTH_TYPE = "capuchin.auth.type";

	/**
	 * Attribute holding the backend a handler passed the request to ({@code String}, such
	 * as {@code 127.0.0.1:9001}), for the access log.
	 */
	String UPSTREAM = "capuchin.upstream";

	/**
	 * The request.
	 * @return the request
	 */
	HttpServerRequest request();

	/**
	 * The response.
	 * @return the response
	 */
	HttpServerResponse response();

	/**
	 * The connection the request arrived on.
	 * @return the connection
	 */
	ClientConnection connection();

	/**
	 * The client's address: the socket's peer, or a trusted proxy's forwarded client once
	 * a plugin has {@link #clientAddress(InetSocketAddress) set} it.
	 * @return the client address
	 */
	InetSocketAddress clientAddress();

	/**
	 * Replace the client address (for a plugin that trusts a forwarding proxy).
	 * @param address the real client address
	 */
	void clientAddress(InetSocketAddress address);

	/**
	 * What a plugin {@link Plugin#prepare(dev.capuchin.core.spi.SiteTable) prepared} from
	 * the site table this request runs on.
	 * @param plugin the plugin
	 * @param <T> the state's type
	 * @return the state, or {@code null} when the plugin prepared none
	 */
	<T> @Nullable T state(Plugin plugin);

	/**
	 * The site the request resolved to.
	 * @return the site
	 */
	Site site();

	/**
	 * The location of the site that matched the path, or {@code null}.
	 * @return the location
	 */
	@Nullable Location location();

	/**
	 * The percent-decoded, normalized request path; it never contains {@code ..}
	 * segments.
	 * @return the path
	 */
	String path();

	/**
	 * The raw query string without {@code ?}, or {@code ""}.
	 * @return the query
	 */
	String query();

	/**
	 * When the request started, from {@link System#nanoTime()}.
	 * @return the start time
	 */
	long startNanos();

	/**
	 * The largest request body this request may send: the location's
	 * {@code max-body-size}, or the server's. The kernel refuses a larger declared
	 * {@code Content-Length} with 413 before any plugin runs; a handler that reads a
	 * chunked body counts the bytes against this and stops past it.
	 * @return the limit in bytes
	 */
	long maxBodySize();

	/**
	 * The request body, held to {@link #maxBodySize()}: past it, the flux ends with a
	 * {@link BodyTooLargeException}, which the kernel answers with 413. A handler that
	 * streams a body on (a proxy, a CGI script) reads it here rather than from
	 * {@code request().receive()}, so that a chunked body is bounded as a declared one
	 * is. Buffers are released after {@code onNext}, as Reactor Netty's own; retain them
	 * to keep them longer.
	 * @return the body
	 */
	ByteBufFlux receiveBody();

	/**
	 * Body bytes sent in the response so far, as recorded by the handler that produced
	 * it.
	 * @return the body bytes
	 */
	long bytesSent();

	/**
	 * Record the body bytes of the response.
	 * @param bytes the body bytes
	 */
	void bytesSent(long bytes);

	/**
	 * The name of the plugin or handler that produced the response.
	 * @return the handler name
	 */
	String handler();

	/**
	 * A value a plugin attached to this exchange.
	 * @param key the key
	 * @param <T> the value type
	 * @return the value, or {@code null}
	 */
	<T> @Nullable T attribute(String key);

	/**
	 * Attach a value to this exchange for later stages.
	 * @param key the key
	 * @param value the value
	 */
	void attribute(String key, Object value);

	/**
	 * Answer the request with an error status the way the kernel does: the site's error
	 * page for the status where it has one, else a short built-in page; no body for
	 * {@code HEAD}; {@code Connection: close} where the status ends the connection (400,
	 * 408, 411, 413, 414, 431, 501, 505).
	 * @param status the status, 400 to 599
	 * @return completes once the response is sent; it signals the write's failure, which
	 * costs the request like any plugin failure
	 * @throws IllegalArgumentException when the status is not 400 to 599
	 */
	Mono<Void> sendError(int status);

	/**
	 * Write a line to the site's error log: through the plugin that keeps error logs
	 * ({@link SiteErrorLog}, the logger), else to the application log at WARN with the
	 * site's name. For what a handler learns beside the response, such as a script's
	 * stderr. Never blocks, never throws; callable on any thread, also after the response
	 * ended; a line the log cannot keep up with is dropped and counted.
	 * @param message the line's text, without the time, client and site (the log adds
	 * them); control characters are escaped by the log
	 */
	void logError(String message);

}
