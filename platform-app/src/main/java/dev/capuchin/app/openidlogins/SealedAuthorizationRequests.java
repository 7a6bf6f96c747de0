package dev.capuchin.app.openidlogins;

import java.net.URI;
import java.net.URISyntaxException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.security.oauth2.client.web.AuthorizationRequestRepository;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;

/**
 * Where an OpenID sign-in of the control plane (the console's, the authorization server's
 * brokering) waits while the browser is at the provider: a cookie of its own rather than
 * the session. The console's session cookie is {@code SameSite=Strict}, so a provider on
 * another site that sends the browser back by a top-level GET brings no session with it;
 * this cookie is {@code SameSite=Lax} (sent on that GET), {@code HttpOnly},
 * {@code Secure} when the request is, with a {@code Path} of the sign-in's own paths only
 * and a short {@code Max-Age}. Its value is the authorization request ({@code state},
 * {@code nonce}, PKCE verifier, redirect URI) sealed with AES-256-GCM (a JWE with a
 * direct key) under a key derived from the master key, so it is unreadable and any change
 * to it is refused; it expires with the cookie. One sign-in at a time per browser and
 * chain: starting another replaces the first.
 */
public final class SealedAuthorizationRequests implements AuthorizationRequestRepository<OAuth2AuthorizationRequest> {

	/** How long a sign-in may stay at the provider. */
	public static final Duration MAX_AGE = Duration.ofMinutes(10);

	/**
	 * The longest cookie value read: a sealed request is about 1 KB; more is not one of
	 * ours.
	 */
	static final int MAX_VALUE = 3800;

	/**
	 * The request attribute that holds, at the callback, the local URL the sign-in
	 * continues to (see {@link #continuingTo}).
	 */
	public static final String CONTINUE = SealedAuthorizationRequests.class.getName() + ".continue";

	/** The sealed attribute of the URL to continue to. */
	private static final String CONTINUE_ATTRIBUTE = "capuchin_continue";

	private static final Logger logger = LoggerFactory.getLogger(SealedAuthorizationRequests.class);

	private final String cookie;

	private final String path;

	private final Supplier<byte[]> key;

	private final Clock clock;

	private final Function<HttpServletRequest, String> waiting;

	/**
	 * @param cookie the cookie's name
	 * @param path the cookie's path: the sign-in's start and callback, such as
	 * {@code /console/login/openid/}
	 * @param key the sealing key (32 bytes), read when first needed
	 * @param clock the clock of expiry
	 */
	public SealedAuthorizationRequests(String cookie, String path, Supplier<byte[]> key, Clock clock) {
		this(cookie, path, key, clock, (request) -> null);
	}

	/**
	 * A repository that also carries what waited in the session when the sign-in started
	 * (the authorization server's waiting authorization request), which a provider on
	 * another site would otherwise lose with the session.
	 * @param cookie the cookie's name
	 * @param path the cookie's path
	 * @param key the sealing key (32 bytes), read when first needed
	 * @param clock the clock of expiry
	 * @param waiting the URL that waits at the start of a sign-in, or {@code null}; only
	 * a path of this origin is kept
	 */
	public SealedAuthorizationRequests(String cookie, String path, Supplier<byte[]> key, Clock clock,
			Function<HttpServletRequest, String> waiting) {
		this.cookie = cookie;
		this.path = path;
		this.key = key;
		this.clock = clock;
		this.waiting = waiting;
	}

	/**
	 * Where the sign-in whose callback this is continues to, as its start found it.
	 * @param request the callback
	 * @return a local path with its query, or {@code null}
	 */
	public static String continuingTo(HttpServletRequest request) {
		return (request.getAttribute(CONTINUE) instanceof String url) ? url : null;
	}

	@Override
	public OAuth2AuthorizationRequest loadAuthorizationRequest(HttpServletRequest request) {
		String state = request.getParameter(OAuth2ParameterNames.STATE);
		String value = value(request);
		if (state == null || value == null) {
			return null;
		}
		OAuth2AuthorizationRequest pending = open(value);
		// the callback's state must be the sign-in's: a callback of another sign-in (or a
		// forged one) finds none
		return (pending != null && state.equals(pending.getState())) ? pending : null;
	}

	@Override
	public void saveAuthorizationRequest(OAuth2AuthorizationRequest authorizationRequest, HttpServletRequest request,
			HttpServletResponse response) {
		if (authorizationRequest == null) {
			clear(request, response);
			return;
		}
		String next = local(this.waiting.apply(request));
		OAuth2AuthorizationRequest sealed = (next == null) ? authorizationRequest
				: OAuth2AuthorizationRequest.from(authorizationRequest)
					.attributes((attributes) -> attributes.put(CONTINUE_ATTRIBUTE, next))
					.build();
		write(request, response, seal(sealed), MAX_AGE);
	}

	@Override
	public OAuth2AuthorizationRequest removeAuthorizationRequest(HttpServletRequest request,
			HttpServletResponse response) {
		OAuth2AuthorizationRequest pending = loadAuthorizationRequest(request);
		if (value(request) != null) {
			clear(request, response);
		}
		if (pending != null && pending.getAttribute(CONTINUE_ATTRIBUTE) instanceof String next) {
			request.setAttribute(CONTINUE, next);
		}
		return pending;
	}

	/**
	 * The sealed form of a request.
	 * @param request the authorization request
	 * @return the compact JWE
	 */
	String seal(OAuth2AuthorizationRequest request) {
		Instant now = this.clock.instant();
		JWTClaimsSet claims = new JWTClaimsSet.Builder().claim("uri", request.getAuthorizationUri())
			.claim("cid", request.getClientId())
			.claim("ru", request.getRedirectUri())
			.claim("scp", List.copyOf(request.getScopes()))
			.claim("st", request.getState())
			.claim("ap", strings(request.getAdditionalParameters()))
			.claim("at", strings(request.getAttributes()))
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plus(MAX_AGE)))
			.build();
		EncryptedJWT jwt = new EncryptedJWT(new JWEHeader(JWEAlgorithm.DIR, EncryptionMethod.A256GCM), claims);
		try {
			jwt.encrypt(new DirectEncrypter(this.key.get()));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("sign-in state not sealed", ex);
		}
		return jwt.serialize();
	}

	/**
	 * Open a sealed request.
	 * @param value the cookie's value
	 * @return the request, or {@code null} when it was changed, sealed with another key,
	 * or has expired
	 */
	OAuth2AuthorizationRequest open(String value) {
		JWTClaimsSet claims;
		try {
			EncryptedJWT jwt = EncryptedJWT.parse(value);
			if (!JWEAlgorithm.DIR.equals(jwt.getHeader().getAlgorithm())
					|| !EncryptionMethod.A256GCM.equals(jwt.getHeader().getEncryptionMethod())) {
				logger.info("OpenID sign-in state cookie {} refused: not sealed by Capuchin", this.cookie);
				return null;
			}
			jwt.decrypt(new DirectDecrypter(this.key.get()));
			claims = jwt.getJWTClaimsSet();
		}
		catch (ParseException | JOSEException | IllegalStateException ex) {
			logger.info("OpenID sign-in state cookie {} refused: it does not open ({})", this.cookie,
					ex.getClass().getSimpleName());
			return null;
		}
		Date expiry = claims.getExpirationTime();
		if (expiry == null || !this.clock.instant().isBefore(expiry.toInstant())) {
			logger.info("OpenID sign-in state cookie {} refused: expired at {}", this.cookie,
					(expiry != null) ? expiry.toInstant() : "unknown");
			return null;
		}
		try {
			return OAuth2AuthorizationRequest.authorizationCode()
				.authorizationUri(claims.getStringClaim("uri"))
				.clientId(claims.getStringClaim("cid"))
				.redirectUri(claims.getStringClaim("ru"))
				.scopes(new LinkedHashSet<>(claims.getStringListClaim("scp")))
				.state(claims.getStringClaim("st"))
				.additionalParameters(new LinkedHashMap<>(claims.getJSONObjectClaim("ap")))
				.attributes(new LinkedHashMap<>(claims.getJSONObjectClaim("at")))
				.build();
		}
		catch (ParseException | RuntimeException ex) {
			logger.info("OpenID sign-in state cookie {} refused: incomplete", this.cookie);
			return null;
		}
	}

	/**
	 * The path and query of a URL of this application, or {@code null}: never another
	 * origin's (no open redirect through the cookie).
	 */
	static String local(String url) {
		if (url == null || url.length() > MAX_VALUE) {
			return null;
		}
		try {
			URI uri = new URI(url);
			String path = uri.getRawPath();
			if (path == null || !path.startsWith("/") || path.startsWith("//")) {
				return null;
			}
			return (uri.getRawQuery() != null) ? path + "?" + uri.getRawQuery() : path;
		}
		catch (URISyntaxException ex) {
			return null;
		}
	}

	private String value(HttpServletRequest request) {
		Cookie[] cookies = request.getCookies();
		if (cookies == null) {
			return null;
		}
		for (Cookie candidate : cookies) {
			if (this.cookie.equals(candidate.getName()) && candidate.getValue() != null
					&& !candidate.getValue().isEmpty() && candidate.getValue().length() <= MAX_VALUE) {
				return candidate.getValue();
			}
		}
		return null;
	}

	private void clear(HttpServletRequest request, HttpServletResponse response) {
		write(request, response, "", Duration.ZERO);
	}

	private void write(HttpServletRequest request, HttpServletResponse response, String value, Duration maxAge) {
		ResponseCookie cookie = ResponseCookie.from(this.cookie, value)
			.path(this.path)
			.maxAge(maxAge)
			.httpOnly(true)
			.secure(request.isSecure())
			.sameSite("Lax")
			.build();
		response.addHeader(HttpHeaders.SET_COOKIE, cookie.toString());
	}

	private static Map<String, String> strings(Map<String, Object> values) {
		Map<String, String> strings = new LinkedHashMap<>();
		values.forEach((name, value) -> strings.put(name, String.valueOf(value)));
		return strings;
	}

}
