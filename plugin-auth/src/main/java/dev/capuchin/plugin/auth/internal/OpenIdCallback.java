package dev.capuchin.plugin.auth.internal;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.capuchin.core.spi.Exchange;
import dev.capuchin.plugin.auth.AuthResult;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The reserved paths of a site with {@code openid} locations: the callback
 * ({@value OpenIdRequests#CALLBACK}), where the provider sends the browser back with a
 * code, and the logout ({@value OpenIdRequests#LOGOUT}).
 * <p>
 * The callback finds the pending sign-in's sealed cookie by the {@code state} it carries,
 * checks that state, exchanges the code at the provider's token endpoint (with the PKCE
 * verifier, and the client's authentication: {@link TokenEndpointCredentials}), has
 * Spring Security's decoder validate the ID token (signature, {@code iss}, {@code aud},
 * {@code exp}), checks its {@code nonce}, then starts the session and sends the browser
 * back to the path it first asked for. Any failure is a 401 that costs the client a
 * failed attempt; a provider that cannot be reached is a 503.
 */
public final class OpenIdCallback {

	private static final int MAX_CODE = 4096;

	private final Clock clock;

	/**
	 * Create the handler.
	 * @param clock the clock of sessions
	 */
	public OpenIdCallback(Clock clock) {
		this.clock = clock;
	}

	/**
	 * Answer a callback.
	 * @param exchange the request
	 * @param logins the site's logins
	 * @return the result
	 */
	public Mono<AuthResult> handle(Exchange exchange, Map<String, OpenIdLocation> logins) {
		OpenIdLocation any = logins.values().iterator().next();
		HttpMethod method = exchange.request().method();
		if (!HttpMethod.GET.equals(method)) {
			return refuse(any, "callback with method " + method);
		}
		Map<String, List<String>> query = new QueryStringDecoder(exchange.query(), StandardCharsets.UTF_8, false, 32)
			.parameters();
		String state = single(query, "state");
		if (state == null) {
			return refuse(any, "callback without a state");
		}
		String cookieName = OpenIdRequests.pendingCookie(state);
		String cookie = SealedCookies.read(exchange.request(), cookieName);
		String login = (cookie != null) ? SealedCookies.login(cookie) : null;
		OpenIdLocation location = (login != null) ? logins.get(login) : null;
		if (location == null) {
			return refuse(any, "callback without a pending sign-in for its state (expired, or another browser's)");
		}
		boolean secure = exchange.connection().isSecure();
		String clear = SealedCookies.setCookie(cookieName, null, OpenIdRequests.PENDING_PATH, Duration.ZERO, secure);
		OpenIdBlock block = location.block();
		JWTClaimsSet pending = SealedCookies.open(cookie, block.sessionKey(), SealedCookies.PENDING,
				this.clock.instant());
		String expected = (pending != null) ? claim(pending, "st") : null;
		if (!OpenIdRequests.same(expected, state)) {
			return refuse(location, "login " + login + ": pending sign-in cookie invalid, expired or of another state",
					clear);
		}
		String error = single(query, "error");
		if (error != null) {
			return refuse(location, "login " + login + ": the provider answered error=" + printable(error), clear);
		}
		String iss = single(query, "iss");
		if (iss != null && !iss.equals(block.issuer())) {
			// RFC 9207: a response from another provider (mix-up attack)
			return refuse(location, "login " + login + ": callback from issuer " + printable(iss), clear);
		}
		String code = single(query, "code");
		if (code == null || code.length() > MAX_CODE) {
			return refuse(location, "login " + login + ": callback without a code", clear);
		}
		return exchangeCode(location, pending, code, secure).map((result) -> result.withCookie(clear))
			.onErrorResume((ex) -> Mono.just(failure(location, ex).withCookie(clear)));
	}

	private Mono<AuthResult> exchangeCode(OpenIdLocation location, JWTClaimsSet pending, String code, boolean secure) {
		OpenIdBlock block = location.block();
		String body = "grant_type=authorization_code&code=" + Issuer.form(code) + "&redirect_uri="
				+ Issuer.form(claim(pending, "ru")) + "&code_verifier=" + Issuer.form(claim(pending, "cv"));
		return location.issuer().endpoints().flatMap((endpoints) -> {
			TokenEndpointCredentials client = TokenEndpointCredentials.of(block, endpoints.token(),
					this.clock.instant());
			return location.issuer().token(endpoints.token(), body + client.form(), client.authorization());
		}).flatMap((answer) -> {
			Object idToken = answer.members().get("id_token");
			if (answer.status() != 200 || !(idToken instanceof String token)) {
				// error_description says which check failed: a client key the provider
				// does
				// not know is invalid_client, an expired code invalid_grant
				Object description = answer.members().get("error_description");
				return Mono.just(refused(location,
						"login " + block.login() + ": the token endpoint answered " + answer.status() + " "
								+ printable(String.valueOf(answer.members().get("error")))
								+ ((description != null) ? " (" + printable(String.valueOf(description)) + ")" : "")));
			}
			return location.idTokens()
				.decode(token)
				.map((jwt) -> signedIn(location, pending, jwt, answer.members(), secure));
		});
	}

	private AuthResult signedIn(OpenIdLocation location, JWTClaimsSet pending, Jwt idToken, Map<String, Object> answer,
			boolean secure) {
		OpenIdBlock block = location.block();
		if (!OpenIdRequests.same(claim(pending, "nn"), idToken.getClaimAsString("nonce"))) {
			return refused(location, "login " + block.login() + ": ID token nonce does not match the sign-in's");
		}
		Object user = idToken.getClaims().get(block.userClaim());
		if (!(user instanceof String name) || name.isEmpty() || !printable(name).equals(name)) {
			return refused(location, "login " + block.login() + ": ID token without a usable " + block.userClaim());
		}
		Instant now = this.clock.instant();
		String accessToken = null;
		Instant accessExpiry = null;
		String refreshToken = null;
		if (block.forwardAccessToken() && answer.get("access_token") instanceof String token) {
			accessToken = token;
			if (answer.get("expires_in") instanceof Number seconds) {
				accessExpiry = now.plusSeconds(seconds.longValue());
			}
			// only worth keeping for a new access token to forward
			refreshToken = (answer.get("refresh_token") instanceof String refresh && !refresh.isEmpty()) ? refresh
					: null;
		}
		OpenIdSession session = OpenIdSession.start(name, idToken.getClaims(), location, now, accessToken, accessExpiry,
				refreshToken);
		String sealed = session.seal(location);
		if (sealed.length() > SealedCookies.MAX_COOKIE) {
			return AuthResult.unavailable("login " + block.login() + ": session of user " + name + " too large for a"
					+ " cookie (" + sealed.length() + " bytes): fewer claims or no forwarded access token");
		}
		String setCookie = SealedCookies.setCookie(location.sessionCookie(), sealed, "/",
				Duration.between(now, session.expiresAt()), secure);
		String back = claim(pending, "url");
		return AuthResult
			.redirect(OpenIdRequests.isLocal(back) ? back : "/",
					"login " + block.login() + ": user " + name + " signed in")
			.withCookie(setCookie);
	}

	/**
	 * End the site's sessions, and the provider's too when it advertises an
	 * {@code end_session_endpoint} (RP-initiated logout 1.0).
	 * @param exchange the request
	 * @param logins the site's logins
	 * @return a redirect to the provider or to the site's root
	 */
	public Mono<AuthResult> logout(Exchange exchange, Map<String, OpenIdLocation> logins) {
		boolean secure = exchange.connection().isSecure();
		List<String> cleared = logins.values()
			.stream()
			.map((location) -> SealedCookies.setCookie(location.sessionCookie(), null, "/", Duration.ZERO, secure))
			.toList();
		OpenIdLocation signedIn = logins.values()
			.stream()
			.filter((location) -> SealedCookies.read(exchange.request(), location.sessionCookie()) != null)
			.findFirst()
			.orElse(null);
		Mono<String> target = (signedIn == null) ? Mono.just("/")
				: signedIn.issuer()
					.endpoints()
					.map((endpoints) -> (endpoints.endSession() == null) ? "/"
							: UriComponentsBuilder.fromUriString(endpoints.endSession())
								.queryParam("client_id", signedIn.block().clientId())
								.encode()
								.build()
								.toUriString())
					.onErrorReturn("/");
		return target.map((url) -> {
			AuthResult result = AuthResult.redirect(url, "signed out");
			for (String cookie : cleared) {
				result = result.withCookie(cookie);
			}
			return result;
		});
	}

	private static AuthResult failure(OpenIdLocation location, Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof IssuerUnavailableException) {
				return AuthResult.unavailable("provider " + location.block().issuer() + ": " + cause.getMessage());
			}
		}
		if (ex instanceof JwtException) {
			return refused(location, "login " + location.block().login() + ": ID token refused: " + ex.getMessage());
		}
		return AuthResult.unavailable("provider " + location.block().issuer() + ": sign-in not completed: " + ex);
	}

	private static Mono<AuthResult> refuse(OpenIdLocation location, String reason, String... cookies) {
		AuthResult result = refused(location, reason);
		for (String cookie : cookies) {
			result = result.withCookie(cookie);
		}
		return Mono.just(result);
	}

	private static AuthResult refused(OpenIdLocation location, String reason) {
		return AuthResult.failed(location.challenge(), reason);
	}

	private static String single(Map<String, List<String>> query, String name) {
		List<String> values = query.get(name);
		return (values != null && values.size() == 1) ? values.get(0) : null;
	}

	private static String printable(String text) {
		String shown = (text.length() > 200) ? text.substring(0, 200) + "..." : text;
		return shown.replaceAll("[^\\x20-\\x7e]", "?");
	}

	static String claim(JWTClaimsSet claims, String name) {
		try {
			return claims.getStringClaim(name);
		}
		catch (ParseException ex) {
			return null;
		}
	}

}
