package dev.capuchin.core.spi;

import java.net.InetSocketAddress;
import java.util.Objects;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.jspecify.annotations.Nullable;

/**
 * One answered request, as every {@link Stage#LOG} plugin receives it in
 * {@link Plugin#onLog(LogEvent)}: whether the stages answered it, with an
 * {@link Exchange}, or the kernel's direct path for plain files, without one. It carries
 * what an access log needs either way: the site, the request line, the client address,
 * the request headers, the status, the body bytes and the duration.
 * <p>
 * An event is built on the worker thread for the call and is valid during it only: a
 * plugin copies what it keeps.
 */
public final class LogEvent {

	private final Site site;

	private final String path;

	private final @Nullable SiteTable sites;

	private final ClientConnection connection;

	private final InetSocketAddress clientAddress;

	private final HttpMethod method;

	private final String target;

	private final HttpVersion protocol;

	private final HttpHeaders requestHeaders;

	private final int status;

	private final long bytes;

	private final long durationNanos;

	private final @Nullable Exchange exchange;

	private @Nullable Location location;

	private boolean located;

	private LogEvent(Site site, String path, @Nullable SiteTable sites, ClientConnection connection,
			InetSocketAddress clientAddress, HttpMethod method, String target, HttpVersion protocol,
			HttpHeaders requestHeaders, int status, long bytes, long durationNanos, @Nullable Exchange exchange) {
		this.site = site;
		this.path = path;
		this.sites = sites;
		this.connection = connection;
		this.clientAddress = clientAddress;
		this.method = method;
		this.target = target;
		this.protocol = protocol;
		this.requestHeaders = requestHeaders;
		this.status = status;
		this.bytes = bytes;
		this.durationNanos = durationNanos;
		this.exchange = exchange;
	}

	/**
	 * The event of a request the stages answered.
	 * @param exchange the finished exchange
	 * @param status the response status
	 * @param durationNanos the time from the request to the end of the response
	 * @return the event
	 */
	public static LogEvent of(Exchange exchange, int status, long durationNanos) {
		Objects.requireNonNull(exchange, "exchange");
		var request = exchange.request();
		return new LogEvent(exchange.site(), exchange.path(), null, exchange.connection(), exchange.clientAddress(),
				request.method(), request.uri(), request.version(), request.requestHeaders(), status,
				exchange.bytesSent(), durationNanos, exchange);
	}

	/**
	 * The event of a request the kernel answered on its direct path, without an exchange.
	 * @param sites the site table the request was answered from
	 * @param site the site that answered
	 * @param path the decoded, normalized request path
	 * @param connection the connection
	 * @param request the request as decoded
	 * @param status the response status
	 * @param bytes the body bytes sent
	 * @param durationNanos the time from the request to the end of the response
	 * @return the event
	 */
	public static LogEvent direct(SiteTable sites, Site site, String path, ClientConnection connection,
			HttpRequest request, int status, long bytes, long durationNanos) {
		return new LogEvent(site, path, sites, connection, connection.remoteAddress(), request.method(), request.uri(),
				request.protocolVersion(), request.headers(), status, bytes, durationNanos, null);
	}

	/**
	 * The site that answered.
	 * @return the site
	 */
	public Site site() {
		return this.site;
	}

	/**
	 * The location of the site that matched the path, or {@code null} when none did
	 * (found on the first call for a direct answer).
	 * @return the location
	 */
	public @Nullable Location location() {
		if (this.exchange != null) {
			return this.exchange.location();
		}
		if (!this.located) {
			this.location = this.site.locate(this.path);
			this.located = true;
		}
		return this.location;
	}

	/**
	 * The decoded, normalized request path ({@code /} for a request refused before its
	 * path was read).
	 * @return the path
	 */
	public String path() {
		return this.path;
	}

	/**
	 * What a plugin {@link Plugin#prepare(SiteTable) prepared} from the site table the
	 * request was answered from.
	 * @param plugin the plugin
	 * @param <T> the state's type
	 * @return the state, or {@code null} when the plugin prepared none
	 */
	public <T> @Nullable T state(Plugin plugin) {
		if (this.exchange != null) {
			return this.exchange.state(plugin);
		}
		return Objects.requireNonNull(this.sites).pluginState(plugin.name());
	}

	/**
	 * The connection the request arrived on.
	 * @return the connection
	 */
	public ClientConnection connection() {
		return this.connection;
	}

	/**
	 * The client's address: {@link Exchange#clientAddress()} where there is an exchange,
	 * else the socket's peer.
	 * @return the client address
	 */
	public InetSocketAddress clientAddress() {
		return this.clientAddress;
	}

	/**
	 * The request method.
	 * @return the method
	 */
	public HttpMethod method() {
		return this.method;
	}

	/**
	 * The request target as sent, with its query.
	 * @return the target
	 */
	public String target() {
		return this.target;
	}

	/**
	 * The request's protocol version.
	 * @return the protocol
	 */
	public HttpVersion protocol() {
		return this.protocol;
	}

	/**
	 * The request headers.
	 * @return the headers
	 */
	public HttpHeaders requestHeaders() {
		return this.requestHeaders;
	}

	/**
	 * The response status.
	 * @return the status
	 */
	public int status() {
		return this.status;
	}

	/**
	 * The body bytes sent.
	 * @return the bytes
	 */
	public long bytes() {
		return this.bytes;
	}

	/**
	 * The time from the request to the end of the response, in nanoseconds.
	 * @return the duration
	 */
	public long durationNanos() {
		return this.durationNanos;
	}

	/**
	 * The exchange of a request the stages answered, or {@code null} for a direct answer.
	 * @return the exchange
	 */
	public @Nullable Exchange exchange() {
		return this.exchange;
	}

	/**
	 * Whether the kernel answered the request on its direct path, without an exchange.
	 * @return {@code true} for a direct answer
	 */
	public boolean isDirect() {
		return this.exchange == null;
	}

	/**
	 * An attribute of the exchange ({@link Exchange#ERROR_REASON},
	 * {@link Exchange#ERROR_PLUGIN}…), or {@code null}, always for a direct answer.
	 * @param key the key
	 * @param <T> the value type
	 * @return the value, or {@code null}
	 */
	public <T> @Nullable T attribute(String key) {
		return (this.exchange != null) ? this.exchange.attribute(key) : null;
	}

}
