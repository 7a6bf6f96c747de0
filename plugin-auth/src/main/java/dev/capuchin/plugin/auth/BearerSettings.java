package dev.capuchin.plugin.auth;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The global settings of the {@code bearer} mode; locations name the issuer, audience and
 * scopes in their own {@code auth: {bearer: …}} blocks.
 *
 * @param timeout the longest a request to an issuer (discovery, JWK set, introspection)
 * may take, connecting included
 * @param jwksTtl how long a fetched JWK set is used before it is fetched again
 * @param jwksRefreshFloor the least time between two fetches of one issuer's JWK set
 * caused by tokens signed with an unknown key id, so that a flood of forged key ids
 * cannot hammer the issuer
 * @param retryAfterFailure how long an issuer that could not be reached is not asked
 * again: requests in that time get 503 at once
 * @param tokenCacheTtl how long a verified token (a checked JWT or an introspection
 * answer) is accepted without checking it again; never past the token's own expiry;
 * {@link Duration#ZERO} checks every request
 * @param tokenCacheSize the most verified tokens remembered; 0 remembers none
 * @param clockSkew the tolerance on {@code exp} and {@code nbf}
 * @param issuerClients client credentials for the introspection endpoints of issuers, for
 * locations that name none of their own
 */
public record BearerSettings(Duration timeout, Duration jwksTtl, Duration jwksRefreshFloor, Duration retryAfterFailure,
		Duration tokenCacheTtl, int tokenCacheSize, Duration clockSkew, List<IssuerClient> issuerClients) {

	/** Default {@link #timeout()}: five seconds. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

	/** Default {@link #jwksTtl()}: five minutes. */
	public static final Duration DEFAULT_JWKS_TTL = Duration.ofMinutes(5);

	/** Default {@link #jwksRefreshFloor()}: ten seconds. */
	public static final Duration DEFAULT_JWKS_REFRESH_FLOOR = Duration.ofSeconds(10);

	/** Default {@link #retryAfterFailure()}: one second. */
	public static final Duration DEFAULT_RETRY_AFTER_FAILURE = Duration.ofSeconds(1);

	/**
	 * Default {@link #tokenCacheTtl()}: thirty seconds, so a revoked opaque token stops
	 * working within half a minute while a busy client costs one introspection per half
	 * minute.
	 */
	public static final Duration DEFAULT_TOKEN_CACHE_TTL = Duration.ofSeconds(30);

	/** Default {@link #tokenCacheSize()}; an entry is about half a kilobyte. */
	public static final int DEFAULT_TOKEN_CACHE_SIZE = 10_000;

	/** Default {@link #clockSkew()}: one minute, as Spring Security's default. */
	public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);

	/**
	 * The largest answer read from an issuer (discovery document, JWK set, introspection
	 * answer), so a misbehaving issuer cannot exhaust memory.
	 */
	public static final int MAX_ISSUER_RESPONSE = 1024 * 1024;

	public BearerSettings {
		positive("timeout", timeout);
		positive("jwks-ttl", jwksTtl);
		notNegative("jwks-refresh-floor", jwksRefreshFloor);
		notNegative("retry-after-failure", retryAfterFailure);
		notNegative("token-cache-ttl", tokenCacheTtl);
		notNegative("clock-skew", clockSkew);
		if (tokenCacheSize < 0) {
			throw new IllegalArgumentException("token-cache-size: " + tokenCacheSize + " (expected: >= 0)");
		}
		issuerClients = List.copyOf(Objects.requireNonNull(issuerClients, "issuerClients"));
	}

	/**
	 * The default settings, without issuer clients.
	 * @return the defaults
	 */
	public static BearerSettings defaults() {
		return new BearerSettings(DEFAULT_TIMEOUT, DEFAULT_JWKS_TTL, DEFAULT_JWKS_REFRESH_FLOOR,
				DEFAULT_RETRY_AFTER_FAILURE, DEFAULT_TOKEN_CACHE_TTL, DEFAULT_TOKEN_CACHE_SIZE, DEFAULT_CLOCK_SKEW,
				List.of());
	}

	/**
	 * A copy with other times for the JWK set and the token cache.
	 * @param floor the JWK set refresh floor
	 * @param retry the time an unreachable issuer is not asked again
	 * @param cacheTtl the token cache time-to-live
	 * @return the copy
	 */
	public BearerSettings withTimes(Duration floor, Duration retry, Duration cacheTtl) {
		return new BearerSettings(this.timeout, this.jwksTtl, floor, retry, cacheTtl, this.tokenCacheSize,
				this.clockSkew, this.issuerClients);
	}

	/**
	 * A copy with other issuer clients.
	 * @param clients the clients
	 * @return the copy
	 */
	public BearerSettings withIssuerClients(List<IssuerClient> clients) {
		return new BearerSettings(this.timeout, this.jwksTtl, this.jwksRefreshFloor, this.retryAfterFailure,
				this.tokenCacheTtl, this.tokenCacheSize, this.clockSkew, clients);
	}

	/**
	 * The client credentials configured for an issuer.
	 * @param issuer the issuer URL, as locations name it
	 * @return the credentials, or {@code null}
	 */
	public IssuerClient clientFor(String issuer) {
		for (IssuerClient client : this.issuerClients) {
			if (client.issuer().equals(issuer)) {
				return client;
			}
		}
		return null;
	}

	private static void positive(String name, Duration value) {
		Objects.requireNonNull(value, name);
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
		}
	}

	private static void notNegative(String name, Duration value) {
		Objects.requireNonNull(value, name);
		if (value.isNegative()) {
			throw new IllegalArgumentException(name + ": " + value + " (expected: >= 0)");
		}
	}

	/**
	 * Client credentials for an issuer's introspection endpoint (RFC 7662 section 2.1),
	 * sent with {@code client_secret_basic}.
	 *
	 * @param issuer the issuer URL, or {@code null} inside a location block
	 * @param clientId the client id
	 * @param clientSecret the client secret, never logged
	 */
	public record IssuerClient(String issuer, String clientId, String clientSecret) {

		public IssuerClient {
			Objects.requireNonNull(clientId, "clientId");
			Objects.requireNonNull(clientSecret, "clientSecret");
		}

		@Override
		public String toString() {
			return "IssuerClient[issuer=" + this.issuer + ", clientId=" + this.clientId + ", clientSecret=******]";
		}

	}

}
