package dev.capuchin.plugin.auth.autoconfigure;

import java.time.Duration;
import java.util.List;

import dev.capuchin.plugin.auth.AuthSettings;
import dev.capuchin.plugin.auth.BearerSettings;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code capuchin.plugins.auth.*} configuration: what every protected location
 * shares. Locations choose their realm, users file and required users in their
 * {@code auth:} blocks.
 *
 * @param enabled whether the plugin runs
 * @param cacheTtl how long verified credentials are accepted without hashing again; 0 to
 * hash on every request
 * @param cacheSize the most verified credentials remembered; 0 to remember none
 * @param maxFailures failed attempts one client address may make within
 * {@code failure-window} before it gets 429 for the rest of the window; 0 for no limit
 * @param failureWindow the window in which failed attempts are counted
 * @param hashThreads the most threads checking passwords at once; default twice the
 * number of cores
 * @param bearer the settings of locations that accept bearer tokens
 */
@ConfigurationProperties("capuchin.plugins.auth")
public record AuthProperties(@DefaultValue("false") boolean enabled, @DefaultValue("60s") Duration cacheTtl,
		@DefaultValue("10000") int cacheSize, @DefaultValue("10") int maxFailures,
		@DefaultValue("60s") Duration failureWindow, Integer hashThreads, @DefaultValue Bearer bearer) {

	private static final String PREFIX = "capuchin.plugins.auth.";

	/**
	 * The plugin's settings.
	 * @return the settings
	 * @throws IllegalArgumentException naming the key of an invalid value
	 */
	public AuthSettings toSettings() {
		int threads = (this.hashThreads != null) ? this.hashThreads : AuthSettings.defaultHashThreads();
		try {
			return new AuthSettings(this.cacheTtl, this.cacheSize, this.maxFailures, this.failureWindow, threads);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(PREFIX + ex.getMessage());
		}
	}

	/**
	 * The bearer mode's settings.
	 * @return the settings
	 * @throws IllegalArgumentException naming the key of an invalid value
	 */
	public BearerSettings toBearerSettings() {
		List<BearerSettings.IssuerClient> clients = (this.bearer.issuers() != null) ? this.bearer.issuers()
			.stream()
			.map((issuer) -> new BearerSettings.IssuerClient(issuer.issuer(), issuer.clientId(), issuer.clientSecret()))
			.toList() : List.of();
		try {
			return new BearerSettings(this.bearer.timeout(), this.bearer.jwksTtl(), this.bearer.jwksRefreshFloor(),
					this.bearer.retryAfterFailure(), this.bearer.tokenCacheTtl(), this.bearer.tokenCacheSize(),
					this.bearer.clockSkew(), clients);
		}
		catch (IllegalArgumentException | NullPointerException ex) {
			throw new IllegalArgumentException(PREFIX + "bearer." + ex.getMessage());
		}
	}

	/**
	 * The {@code capuchin.plugins.auth.bearer.*} keys: what every location that accepts
	 * bearer tokens shares.
	 *
	 * @param timeout the longest a request to an issuer (discovery, JWK set,
	 * introspection) may take
	 * @param jwksTtl how long a fetched JWK set is used before it is fetched again
	 * @param jwksRefreshFloor the least time between two fetches of an issuer's JWK set
	 * caused by tokens with an unknown key id
	 * @param retryAfterFailure how long an issuer that could not be reached is not asked
	 * again (its locations answer 503 meanwhile)
	 * @param tokenCacheTtl how long a verified token is accepted without checking it
	 * again (never past its expiry); 0 to check every request
	 * @param tokenCacheSize the most verified tokens remembered; 0 to remember none
	 * @param clockSkew the tolerance on a token's exp and nbf
	 * @param issuers client credentials for issuers' introspection endpoints, for
	 * locations that name none of their own
	 */
	public record Bearer(@DefaultValue("5s") Duration timeout, @DefaultValue("5m") Duration jwksTtl,
			@DefaultValue("10s") Duration jwksRefreshFloor, @DefaultValue("1s") Duration retryAfterFailure,
			@DefaultValue("30s") Duration tokenCacheTtl, @DefaultValue("10000") int tokenCacheSize,
			@DefaultValue("60s") Duration clockSkew, List<Issuer> issuers) {

	}

	/**
	 * Client credentials for one issuer's introspection endpoint.
	 *
	 * @param issuer the issuer URL, exactly as locations name it
	 * @param clientId the client id
	 * @param clientSecret the client secret (never logged)
	 */
	public record Issuer(String issuer, String clientId, String clientSecret) {

		@Override
		public String toString() {
			return "Issuer[issuer=" + this.issuer + ", clientId=" + this.clientId + ", clientSecret=******]";
		}

	}

}
