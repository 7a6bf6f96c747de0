package dev.capuchin.plugin.auth.internal;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSecurityContextJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.SignedJWT;
import dev.capuchin.plugin.auth.BearerSettings;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

/**
 * What the {@code bearer} mode knows of one issuer: its metadata (OpenID Connect
 * discovery, or RFC 8414 authorization server metadata), its JWK set, and its
 * introspection endpoint.
 * <p>
 * Every request to the issuer goes through Reactor Netty's non-blocking client, so no
 * event loop of the server waits for it. The JWK set is fetched when first needed, used
 * for {@code jwks-ttl}, and fetched again early when a token names a key id it does not
 * hold (the issuer rotated its keys), at most once per {@code jwks-refresh-floor}: tokens
 * with made-up key ids cost the issuer nothing more. Concurrent fetches are shared, and
 * an issuer that could not be reached is not asked again for {@code retry-after-failure}.
 */
public final class Issuer {

	private static final String OPENID_CONFIGURATION = "/.well-known/openid-configuration";

	private static final String OAUTH_METADATA = "/.well-known/oauth-authorization-server";

	/**
	 * The signature algorithms accepted: RSA and elliptic-curve signatures only, so a
	 * token can never be checked with a symmetric key (HS256 with the public key as the
	 * secret) or without one ({@code none}).
	 */
	static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
			JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384,
			JWSAlgorithm.ES512, JWSAlgorithm.EdDSA);

	/** The event a back-channel logout token carries in {@code events}. */
	public static final String LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout";

	private final String issuer;

	private final HttpClient client;

	private final BearerSettings settings;

	private final SharedFetch<Metadata> discovery;

	private final SharedFetch<Keys> keyFetch;

	private final ReactiveJwtDecoder decoder;

	private volatile Metadata metadata;

	private volatile Keys keys;

	/**
	 * Describe an issuer; nothing is fetched until a token needs it.
	 * @param issuer the issuer identifier, as tokens carry it in {@code iss}
	 * @param client the HTTP client for the issuer's endpoints
	 * @param settings the mode's settings
	 */
	public Issuer(String issuer, HttpClient client, BearerSettings settings) {
		this.issuer = Objects.requireNonNull(issuer, "issuer");
		this.client = client;
		this.settings = settings;
		this.discovery = new SharedFetch<>(this::discover, settings.retryAfterFailure());
		this.keyFetch = new SharedFetch<>(this::fetchKeys, settings.retryAfterFailure());
		NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSource(this::keys)
			.jwtProcessorCustomizer((processor) -> processor
				.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, new JWKSecurityContextJWKSet())))
			.build();
		// an access token without exp would be good for ever (RFC 9068 requires exp)
		JwtTimestampValidator times = new JwtTimestampValidator(settings.clockSkew());
		times.setAllowEmptyExpiryClaim(false);
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(times, new JwtIssuerValidator(issuer)));
		this.decoder = decoder;
	}

	/**
	 * The decoder for this issuer's JWTs: the signature against its JWK set, then
	 * {@code iss}, {@code exp} and {@code nbf} (with the configured clock skew) by Spring
	 * Security's validators.
	 * @return the decoder
	 */
	public ReactiveJwtDecoder decoder() {
		return this.decoder;
	}

	/**
	 * The issuer identifier.
	 * @return the identifier
	 */
	public String id() {
		return this.issuer;
	}

	/**
	 * The keys that may have signed a token, for {@code NimbusReactiveJwtDecoder}: from
	 * the cached JWK set when it holds a match, otherwise from a fresh one (subject to
	 * the refresh floor).
	 * @param jwt the parsed token
	 * @return the candidate keys; empty when none match
	 */
	public Flux<JWK> keys(SignedJWT jwt) {
		JWKMatcher matcher = JWKMatcher.forJWSHeader(jwt.getHeader());
		if (matcher == null) {
			return Flux.empty();
		}
		JWKSelector selector = new JWKSelector(matcher);
		Keys current = this.keys;
		long now = System.nanoTime();
		if (current != null && now - current.fetchedAt() < this.settings.jwksTtl().toNanos()) {
			List<JWK> found = selector.select(current.set());
			if (!found.isEmpty()) {
				return Flux.fromIterable(found);
			}
			if (now - current.fetchedAt() < this.settings.jwksRefreshFloor().toNanos()) {
				return Flux.empty();
			}
		}
		return this.keyFetch.fetch().flatMapIterable((fresh) -> selector.select(fresh.set()));
	}

	/**
	 * Ask the issuer's introspection endpoint about a token (RFC 7662), authenticating
	 * with {@code client_secret_basic}.
	 * @param token the token
	 * @param clientId the client id
	 * @param clientSecret the client secret
	 * @return the answer's members
	 */
	public Mono<Map<String, Object>> introspect(String token, String clientId, String clientSecret) {
		return metadata().flatMap((meta) -> {
			if (meta.introspectionEndpoint() == null) {
				return Mono.error(
						new IssuerUnavailableException(this.issuer + ": its metadata names no introspection_endpoint"));
			}
			String credentials = form(clientId) + ":" + form(clientSecret);
			String authorization = "Basic "
					+ Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
			String body = "token=" + form(token) + "&token_type_hint=access_token";
			return this.client
				.headers((headers) -> headers.set(HttpHeaderNames.AUTHORIZATION, authorization)
					.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_X_WWW_FORM_URLENCODED)
					.set(HttpHeaderNames.ACCEPT, HttpHeaderValues.APPLICATION_JSON))
				.post()
				.uri(meta.introspectionEndpoint())
				.send(ByteBufFlux.fromString(Mono.just(body)))
				.response((response, content) -> read(meta.introspectionEndpoint(), response.status().code(), content))
				.single()
				.timeout(this.settings.timeout())
				.onErrorMap(SharedFetch::unavailable)
				.map((json) -> parse(meta.introspectionEndpoint(), json));
		});
	}

	private Mono<Metadata> metadata() {
		Metadata known = this.metadata;
		return (known != null) ? Mono.just(known) : this.discovery.fetch();
	}

	private Mono<Metadata> discover() {
		String base = this.issuer.endsWith("/") ? this.issuer.substring(0, this.issuer.length() - 1) : this.issuer;
		URI uri = URI.create(base);
		// RFC 8414 section 3.1: the well-known segment goes between host and path
		String oauth = uri.getScheme() + "://" + uri.getRawAuthority() + OAUTH_METADATA
				+ ((uri.getRawPath() != null) ? uri.getRawPath() : "");
		return get(base + OPENID_CONFIGURATION, true).switchIfEmpty(Mono.defer(() -> get(oauth, false))).map((json) -> {
			Map<String, Object> document = parse(base + OPENID_CONFIGURATION, json);
			if (!this.issuer.equals(document.get("issuer"))) {
				throw new IssuerUnavailableException(this.issuer + ": its metadata names issuer '"
						+ document.get("issuer") + "' (expected: the same identifier)");
			}
			Metadata found = new Metadata(text(document, "jwks_uri"), text(document, "introspection_endpoint"),
					text(document, "authorization_endpoint"), text(document, "token_endpoint"),
					text(document, "end_session_endpoint"));
			this.metadata = found;
			return found;
		});
	}

	private Mono<Keys> fetchKeys() {
		return metadata().flatMap((meta) -> {
			if (meta.jwksUri() == null) {
				return Mono.error(new IssuerUnavailableException(this.issuer + ": its metadata names no jwks_uri"));
			}
			return get(meta.jwksUri(), false).map((json) -> {
				try {
					Keys fresh = new Keys(JWKSet.parse(json), System.nanoTime());
					this.keys = fresh;
					return fresh;
				}
				catch (ParseException ex) {
					throw new IssuerUnavailableException(meta.jwksUri() + ": not a JWK set: " + ex.getMessage());
				}
			});
		});
	}

	/**
	 * GET a JSON document; empty for a 404 when {@code emptyOn404}.
	 */
	private Mono<String> get(String url, boolean emptyOn404) {
		return this.client.headers((headers) -> headers.set(HttpHeaderNames.ACCEPT, HttpHeaderValues.APPLICATION_JSON))
			.get()
			.uri(url)
			.response((response, content) -> {
				if (emptyOn404 && response.status().code() == 404) {
					return content.then(Mono.<String>empty());
				}
				return read(url, response.status().code(), content);
			})
			.singleOrEmpty()
			.timeout(this.settings.timeout())
			.onErrorMap(SharedFetch::unavailable);
	}

	private static Mono<String> read(String url, int status, ByteBufFlux content) {
		if (status != 200) {
			return content.then(Mono.error(new IssuerUnavailableException(url + ": status " + status)));
		}
		return content.asByteArray().reduceWith(ByteArrayOutputStream::new, (out, bytes) -> {
			if (out.size() + bytes.length > BearerSettings.MAX_ISSUER_RESPONSE) {
				throw new IssuerUnavailableException(
						url + ": answer larger than " + BearerSettings.MAX_ISSUER_RESPONSE + " bytes");
			}
			out.writeBytes(bytes);
			return out;
		}).map((out) -> out.toString(StandardCharsets.UTF_8));
	}

	private static Map<String, Object> parse(String url, String json) {
		try {
			return JSONObjectUtils.parse(json);
		}
		catch (ParseException ex) {
			throw new IssuerUnavailableException(url + ": not a JSON object: " + ex.getMessage());
		}
	}

	private static String text(Map<String, Object> document, String name) {
		return (document.get(name) instanceof String value) ? value : null;
	}

	static String form(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	/**
	 * The endpoints an OpenID Connect relying party uses, from the issuer's metadata
	 * (fetched when first needed, shared with the bearer mode).
	 * @return the endpoints; an {@link IssuerUnavailableException} when the issuer cannot
	 * be reached or names no authorization or token endpoint
	 */
	public Mono<Endpoints> endpoints() {
		return metadata().handle((meta, sink) -> {
			if (meta.authorizationEndpoint() == null || meta.tokenEndpoint() == null) {
				sink.error(new IssuerUnavailableException(
						this.issuer + ": its metadata names no authorization_endpoint or token_endpoint"));
				return;
			}
			sink.next(new Endpoints(meta.authorizationEndpoint(), meta.tokenEndpoint(), meta.endSessionEndpoint()));
		});
	}

	/**
	 * POST a form to the issuer's token endpoint (RFC 6749 section 4.1.3) and read its
	 * JSON answer, whatever the status: an error answer ({@code invalid_grant}) is a
	 * refusal of the request, not an issuer that is down.
	 * @param tokenEndpoint the endpoint
	 * @param body the form, already encoded
	 * @param authorization the {@code Authorization} value ({@code client_secret_basic}),
	 * or {@code null} when the client authenticates in the form, or not at all
	 * @return the status and the answer's members
	 */
	public Mono<TokenAnswer> token(String tokenEndpoint, String body, String authorization) {
		return this.client.headers((headers) -> {
			if (authorization != null) {
				headers.set(HttpHeaderNames.AUTHORIZATION, authorization);
			}
			headers.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_X_WWW_FORM_URLENCODED)
				.set(HttpHeaderNames.ACCEPT, HttpHeaderValues.APPLICATION_JSON);
		}).post().uri(tokenEndpoint).send(ByteBufFlux.fromString(Mono.just(body))).response((response, content) -> {
			int status = response.status().code();
			if (status >= 500) {
				return content.then(
						Mono.<TokenAnswer>error(new IssuerUnavailableException(tokenEndpoint + ": status " + status)));
			}
			return read(tokenEndpoint, 200, content).map((json) -> new TokenAnswer(status, parse(tokenEndpoint, json)));
		})
			.single()
			.timeout(this.settings.timeout())
			.onErrorMap((ex) -> !(ex instanceof IssuerUnavailableException), SharedFetch::unavailable);
	}

	/**
	 * A decoder for this issuer's ID tokens for one client (OpenID Connect Core section
	 * 3.1.3.7): the signature against the issuer's JWK set, then {@code iss}, {@code exp}
	 * (required), {@code iat}, and {@code aud} naming the client (with {@code azp} the
	 * client when there are several audiences), by Spring Security's validators. The
	 * caller checks {@code nonce}, which differs per sign-in.
	 * @param clientId the client the tokens are for
	 * @return the decoder
	 */
	public ReactiveJwtDecoder idTokenDecoder(String clientId) {
		NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSource(this::keys)
			.jwtProcessorCustomizer((processor) -> processor
				.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, new JWKSecurityContextJWKSet())))
			.build();
		JwtTimestampValidator times = new JwtTimestampValidator(this.settings.clockSkew());
		times.setAllowEmptyExpiryClaim(false);
		OAuth2TokenValidator<Jwt> audience = new JwtAudienceValidator(clientId);
		OAuth2TokenValidator<Jwt> party = new JwtClaimValidator<Object>("azp",
				(azp) -> azp == null || clientId.equals(azp));
		decoder.setJwtValidator(
				new DelegatingOAuth2TokenValidator<>(times, new JwtIssuerValidator(this.issuer), audience, party));
		return decoder;
	}

	/**
	 * A decoder for this issuer's back-channel logout tokens to one client (OpenID
	 * Connect Back-Channel Logout 1.0 section 2.6): the signature against the issuer's
	 * JWK set, then {@code iss}, {@code aud} naming the client, {@code exp} when present
	 * and {@code iat} (required, and at most {@code maxAge} old, so that a replay cache
	 * kept as long refuses every replay), the logout event, {@code sid} or {@code sub},
	 * and no {@code nonce}, by Spring Security's validators. The caller checks
	 * {@code jti}.
	 * @param clientId the client the tokens are for
	 * @param maxAge the oldest {@code iat} accepted
	 * @param clock the clock of that check
	 * @return the decoder
	 */
	public ReactiveJwtDecoder logoutTokenDecoder(String clientId, Duration maxAge, Clock clock) {
		NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSource(this::keys)
			.jwtProcessorCustomizer((processor) -> processor
				.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, new JWKSecurityContextJWKSet())))
			.build();
		JwtTimestampValidator times = new JwtTimestampValidator(this.settings.clockSkew());
		times.setClock(clock);
		Duration skew = this.settings.clockSkew();
		OAuth2TokenValidator<Jwt> issued = new JwtClaimValidator<Object>("iat", (iat) -> {
			Instant now = clock.instant();
			return iat instanceof Instant at && !at.isAfter(now.plus(skew))
					&& !at.isBefore(now.minus(maxAge).minus(skew));
		});
		OAuth2TokenValidator<Jwt> event = new JwtClaimValidator<Object>("events",
				(events) -> events instanceof Map<?, ?> map && map.get(LOGOUT_EVENT) instanceof Map);
		OAuth2TokenValidator<Jwt> names = (jwt) -> (jwt.getClaimAsString("sid") != null || jwt.getSubject() != null)
				? OAuth2TokenValidatorResult.success()
				: OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_request", "neither sid nor sub", null));
		OAuth2TokenValidator<Jwt> noNonce = (jwt) -> !jwt.hasClaim("nonce") ? OAuth2TokenValidatorResult.success()
				: OAuth2TokenValidatorResult
					.failure(new OAuth2Error("invalid_request", "a logout token with a nonce", null));
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(times, new JwtIssuerValidator(this.issuer),
				new JwtAudienceValidator(clientId), issued, event, names, noNonce));
		return decoder;
	}

	/**
	 * The endpoints of an OpenID Connect provider.
	 *
	 * @param authorization the authorization endpoint
	 * @param token the token endpoint
	 * @param endSession the RP-initiated logout endpoint, or {@code null}
	 */
	public record Endpoints(String authorization, String token, String endSession) {
	}

	/**
	 * A token endpoint's answer.
	 *
	 * @param status the HTTP status
	 * @param members the JSON members
	 */
	public record TokenAnswer(int status, Map<String, Object> members) {
	}

	private record Metadata(String jwksUri, String introspectionEndpoint, String authorizationEndpoint,
			String tokenEndpoint, String endSessionEndpoint) {
	}

	private record Keys(JWKSet set, long fetchedAt) {
	}

}
