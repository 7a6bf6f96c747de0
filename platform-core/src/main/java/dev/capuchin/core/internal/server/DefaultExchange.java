package dev.capuchin.core.internal.server;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

import dev.capuchin.core.internal.http.ErrorResponses;
import dev.capuchin.core.spi.BodyTooLargeException;
import dev.capuchin.core.spi.Location;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.SiteTable;
import dev.capuchin.core.spi.ClientConnection;
import dev.capuchin.core.spi.Exchange;
import dev.capuchin.core.spi.Plugin;
import dev.capuchin.core.spi.Stage;
import io.netty.channel.Channel;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The kernel's {@link Exchange}: one request on one channel, confined to that channel's
 * event loop apart from plugins that hop threads and come back.
 */
final class DefaultExchange implements Exchange {

	private final HttpServerRequest request;

	private final HttpServerResponse response;

	private final Channel channel;

	private final ConnectionState connection;

	private final SiteTable table;

	private final Site site;

	private final @Nullable Location location;

	private final String path;

	private final String query;

	private final long startNanos;

	private InetSocketAddress clientAddress;

	private long bytesSent;

	private String handler = "static";

	private @Nullable String waitingPlugin;

	private @Nullable Stage waitingStage;

	private @Nullable Map<String, Object> attributes;

	private final long maxBodySize;

	private final ErrorLogRoute errorLog;

	DefaultExchange(HttpServerRequest request, HttpServerResponse response, Channel channel, ConnectionState connection,
			SiteTable table, Site site, @Nullable Location location, String path, String query, long startNanos,
			long maxBodySize, ErrorLogRoute errorLog) {
		this.table = table;
		this.errorLog = errorLog;
		this.request = request;
		this.response = response;
		this.channel = channel;
		this.connection = connection;
		this.site = site;
		this.location = location;
		this.path = path;
		this.query = query;
		this.startNanos = startNanos;
		this.maxBodySize = maxBodySize;
		this.clientAddress = connection.remoteAddress();
	}

	@Override
	public HttpServerRequest request() {
		return this.request;
	}

	@Override
	public HttpServerResponse response() {
		return this.response;
	}

	@Override
	public ClientConnection connection() {
		return this.connection;
	}

	@Override
	public InetSocketAddress clientAddress() {
		return this.clientAddress;
	}

	@Override
	public void clientAddress(InetSocketAddress address) {
		this.clientAddress = address;
	}

	@Override
	public <T> @Nullable T state(Plugin plugin) {
		return this.table.pluginState(plugin.name());
	}

	@Override
	public Site site() {
		return this.site;
	}

	@Override
	public @Nullable Location location() {
		return this.location;
	}

	@Override
	public String path() {
		return this.path;
	}

	@Override
	public String query() {
		return this.query;
	}

	@Override
	public long startNanos() {
		return this.startNanos;
	}

	@Override
	public long maxBodySize() {
		return this.maxBodySize;
	}

	@Override
	public ByteBufFlux receiveBody() {
		long limit = this.maxBodySize;
		long[] total = new long[1];
		// checked before a handler retains the buffer, which the receiving side then
		// releases as usual
		return ByteBufFlux.fromInbound(this.request.receive().doOnNext((buffer) -> {
			total[0] += buffer.readableBytes();
			if (total[0] > limit) {
				throw new BodyTooLargeException(limit);
			}
		}));
	}

	@Override
	public long bytesSent() {
		return this.bytesSent;
	}

	@Override
	public void bytesSent(long bytes) {
		this.bytesSent = bytes;
	}

	@Override
	public String handler() {
		return this.handler;
	}

	void handledBy(String name) {
		this.handler = name;
	}

	/**
	 * Note the plugin whose REQUEST or HANDLE result the request waits for, so that the
	 * stage time limit can name it; {@code null} once the stages are passed.
	 */
	void waitingFor(@Nullable String plugin, @Nullable Stage stage) {
		this.waitingPlugin = plugin;
		this.waitingStage = stage;
	}

	@Nullable String waitingPlugin() {
		return this.waitingPlugin;
	}

	@Nullable Stage waitingStage() {
		return this.waitingStage;
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T attribute(String key) {
		return (this.attributes != null) ? (T) this.attributes.get(key) : null;
	}

	@Override
	public void attribute(String key, Object value) {
		if (this.attributes == null) {
			this.attributes = new HashMap<>();
		}
		this.attributes.put(key, value);
	}

	@Override
	public Mono<Void> sendError(int status) {
		if (status < 400 || status > 599) {
			throw new IllegalArgumentException("status: " + status + " (expected: 400 to 599)");
		}
		return ErrorResponses.send(this, status);
	}

	@Override
	public void logError(String message) {
		this.errorLog.log(this, String.valueOf(message));
	}

	Channel channel() {
		return this.channel;
	}

	ConnectionState connectionState() {
		return this.connection;
	}

}
