package dev.capuchin.plugin.auth.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.capuchin.core.spi.Exchange;
import dev.capuchin.plugin.auth.OpenIdRevocations;
import dev.capuchin.plugin.auth.OpenIdRevocations.Revocation;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * The back-channel logout path ({@value OpenIdRequests#BACKCHANNEL_LOGOUT}) of a site
 * with {@code openid} locations: a provider POSTs a {@code logout_token} there (OpenID
 * Connect Back-Channel Logout 1.0) when a user's session at the provider ends, and the
 * sessions it names are refused from then on, on every node that shares the
 * {@link OpenIdRevocations}.
 * <p>
 * The token is found a login of the site by its {@code iss} and {@code aud}, then
 * validated by Spring Security's decoder against the provider's keys
 * ({@link Issuer#logoutTokenDecoder}); a {@code jti} seen before is a replay. Answers as
 * section 2.8 asks: 200 when the logout was recorded, 400 with an OAuth error body
 * otherwise, and 503 when the provider's keys cannot be fetched (it may retry).
 */
public final class OpenIdBackchannel {

	/** The largest request body read: a form with one signed JWT. */
	static final int MAX_BODY = 16 * 1024;

	/**
	 * The oldest logout token accepted, by its {@code iat}: the replay cache keeps each
	 * {@code jti} as long, so no accepted token can be accepted twice on one node.
	 */
	static final Duration MAX_AGE = Duration.ofMinutes(10);

	/** The most {@code jti} remembered; only tokens signed by a provider add one. */
	static final int MAX_SEEN = 100_000;

	private final OpenIdRevocations revocations;

	private final Clock clock;

	private final Cache<String, Boolean> seen;

	private final Map<DecoderKey, ReactiveJwtDecoder> decoders = new ConcurrentHashMap<>();

	/**
	 * Create the handler.
	 * @param revocations where logouts are recorded
	 * @param clock the clock of {@code iat} checks and revocations
	 * @param clockSkew the tolerance on {@code iat} and {@code exp}
	 */
	public OpenIdBackchannel(OpenIdRevocations revocations, Clock clock, Duration clockSkew) {
		this.revocations = revocations;
		this.clock = clock;
		this.seen = Caffeine.newBuilder()
			.maximumSize(MAX_SEEN)
			.expireAfterWrite(MAX_AGE.plus(clockSkew).plus(clockSkew))
			.build();
	}

	/**
	 * Answer a POST to the back-channel logout path.
	 * @param exchange the request
	 * @param logins the site's logins
	 * @return the answer
	 */
	public Mono<Answer> handle(Exchange exchange, Map<String, OpenIdLocation> logins) {
		if (!HttpMethod.POST.equals(exchange.request().method())) {
			return Mono.just(new Answer(405, null, "back-channel logout with method " + exchange.request().method()));
		}
		String type = exchange.request().requestHeaders().get(HttpHeaderNames.CONTENT_TYPE);
		if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
			return Mono.just(Answer.invalid("not a form (application/x-www-form-urlencoded)"));
		}
		return exchange.receiveBody().asByteArray().reduceWith(ByteArrayOutputStream::new, (out, bytes) -> {
			if (out.size() + bytes.length > MAX_BODY) {
				throw new IllegalArgumentException("body larger than " + MAX_BODY + " bytes");
			}
			out.writeBytes(bytes);
			return out;
		})
			.map((out) -> out.toString(StandardCharsets.UTF_8))
			.defaultIfEmpty("")
			.flatMap((body) -> logout(body, logins))
			.onErrorResume((ex) -> Mono.just(Answer.invalid("request not read: " + ex.getMessage())));
	}

	private Mono<Answer> logout(String body, Map<String, OpenIdLocation> logins) {
		List<String> tokens = new QueryStringDecoder(body, StandardCharsets.UTF_8, false, 16).parameters()
			.get("logout_token");
		if (tokens == null || tokens.size() != 1) {
			return Mono.just(Answer.invalid("no single logout_token"));
		}
		String token = tokens.get(0);
		OpenIdLocation location;
		try {
			JWTClaimsSet unverified = SignedJWT.parse(token).getJWTClaimsSet();
			location = loginOf(logins, unverified.getIssuer(), unverified.getAudience());
		}
		catch (ParseException ex) {
			return Mono.just(Answer.invalid("logout_token is not a signed JWT"));
		}
		if (location == null) {
			return Mono.just(Answer.invalid("logout_token of no login of the site (iss and aud)"));
		}
		OpenIdBlock block = location.block();
		ReactiveJwtDecoder decoder = this.decoders.computeIfAbsent(new DecoderKey(location.issuer(), block.clientId()),
				(key) -> key.issuer().logoutTokenDecoder(key.clientId(), MAX_AGE, this.clock));
		return decoder.decode(token).map((jwt) -> recorded(location, jwt)).onErrorResume((ex) -> {
			for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
				if (cause instanceof IssuerUnavailableException) {
					return Mono.just(new Answer(503, null, "provider " + block.issuer() + ": " + cause.getMessage()));
				}
			}
			String reason = (ex instanceof JwtException) ? ex.getMessage() : ex.toString();
			return Mono.just(Answer.invalid("login " + block.login() + ": logout_token refused: " + reason));
		});
	}

	private Answer recorded(OpenIdLocation location, Jwt jwt) {
		OpenIdBlock block = location.block();
		String jti = jwt.getId();
		if (jti == null || jti.isEmpty()) {
			return Answer.invalid("login " + block.login() + ": logout_token without jti");
		}
		if (this.seen.asMap().putIfAbsent(block.issuer() + " " + jti, Boolean.TRUE) != null) {
			return Answer.invalid("login " + block.login() + ": logout_token replayed (jti seen before)");
		}
		String sid = jwt.getClaimAsString("sid");
		String subject = jwt.getSubject();
		Instant now = this.clock.instant();
		// every session it can name has ended by then, by its absolute lifetime
		this.revocations.revoke(new Revocation(block.issuer(), sid, (sid != null) ? null : subject, now,
				now.plus(block.absolute()).plus(Duration.ofMinutes(1))));
		return new Answer(200, null, "login " + block.login() + ": back-channel logout of "
				+ ((sid != null) ? "session " + sid : "subject " + subject));
	}

	private static OpenIdLocation loginOf(Map<String, OpenIdLocation> logins, String issuer, List<String> audience) {
		if (issuer == null || audience == null) {
			return null;
		}
		for (OpenIdLocation location : logins.values()) {
			if (location.block().issuer().equals(issuer) && audience.contains(location.block().clientId())) {
				return location;
			}
		}
		return null;
	}

	/**
	 * The answer to the provider.
	 *
	 * @param status 200, 400, 405 or 503
	 * @param error the OAuth error code of a 400, or {@code null}
	 * @param reason what happened, for the log line (never sent)
	 */
	public record Answer(int status, String error, String reason) {

		static Answer invalid(String reason) {
			return new Answer(400, "invalid_request", reason);
		}

	}

	private record DecoderKey(Issuer issuer, String clientId) {
	}

}
