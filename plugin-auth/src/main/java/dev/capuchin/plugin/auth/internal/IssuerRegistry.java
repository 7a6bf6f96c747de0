package dev.capuchin.plugin.auth.internal;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import dev.capuchin.plugin.auth.BearerSettings;
import io.netty.channel.ChannelOption;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The issuers the plugin talks to, shared by the {@code bearer} and {@code openid} modes:
 * one connection pool, one HTTP client and one {@link Issuer} per identifier, so that a
 * provider used for sign-ins and for bearer tokens is discovered once, its JWK set
 * fetched once, and its connections reused by both. Issuers outlive site tables: a new
 * table naming the same issuer keeps its metadata and keys.
 */
public final class IssuerRegistry {

	/** The most connections open to all issuers at once. */
	static final int MAX_CONNECTIONS = 64;

	/** The most requests waiting for a connection; past it a request fails at once. */
	static final int MAX_PENDING = 1000;

	private final BearerSettings settings;

	private final ConnectionProvider connections;

	private final HttpClient client;

	private final Map<String, Issuer> issuers = new ConcurrentHashMap<>();

	/**
	 * Create the registry; no connection is opened until an issuer is asked something.
	 * @param settings the timeouts, key-set times and clock skew of every issuer
	 */
	public IssuerRegistry(BearerSettings settings) {
		this.settings = Objects.requireNonNull(settings, "settings");
		this.connections = ConnectionProvider.builder("capuchin-auth-issuers")
			.maxConnections(MAX_CONNECTIONS)
			.pendingAcquireMaxCount(MAX_PENDING)
			.pendingAcquireTimeout(settings.timeout())
			.build();
		this.client = HttpClient.create(this.connections)
			.responseTimeout(settings.timeout())
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.timeout().toMillis());
	}

	/**
	 * The issuer of an identifier, created when first named.
	 * @param id the issuer identifier
	 * @return the shared issuer
	 */
	public Issuer get(String id) {
		return this.issuers.computeIfAbsent(id, (issuer) -> new Issuer(issuer, this.client, this.settings));
	}

	/**
	 * The settings every issuer was created with.
	 * @return the settings
	 */
	public BearerSettings settings() {
		return this.settings;
	}

	/**
	 * The number of issuers known, for tests and metrics.
	 * @return the count
	 */
	public int size() {
		return this.issuers.size();
	}

	/**
	 * Close the connections to issuers.
	 */
	public void stop() {
		this.connections.dispose();
	}

}
