package dev.capuchin.plugin.auth;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.capuchin.core.spi.ClientConnection;
import dev.capuchin.core.spi.ConnectionKey;
import dev.capuchin.core.spi.Exchange;
import dev.capuchin.plugin.auth.internal.Challenges;
import dev.capuchin.plugin.auth.internal.ClaimRules;
import dev.capuchin.plugin.auth.internal.Issuer;
import dev.capuchin.plugin.auth.internal.OpenIdBackchannel;
import dev.capuchin.plugin.auth.internal.IssuerRegistry;
import dev.capuchin.plugin.auth.internal.OpenIdBlock;
import dev.capuchin.plugin.auth.internal.OpenIdCallback;
import dev.capuchin.plugin.auth.internal.OpenIdLocation;
import dev.capuchin.plugin.auth.internal.OpenIdRefresher;
import dev.capuchin.plugin.auth.internal.OpenIdRequests;
import dev.capuchin.plugin.auth.internal.OpenIdSession;
import dev.capuchin.plugin.auth.internal.SealedCookies;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.PkceParameterNames;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;

/**
 * {@code auth: {openid: {login: corp, …}}}: a location behind an OpenID Connect sign-in,
 * as mod_auth_openidc or oauth2-proxy put one in front of a site.
 * <p>
 * A browser without a session is sent to the provider (authorization code flow with PKCE
 * {@code S256}, {@code state} and {@code nonce}); the pending sign-in waits in a
 * short-lived sealed cookie, not in memory, so any node can take the callback at
 * {@value OpenIdRequests#CALLBACK} ({@link OpenIdCallback}). The session then lives in a
 * sealed cookie too ({@link OpenIdSession}), with an idle and an absolute lifetime; the
 * provider is asked again only for a new access token, with its refresh token, where the
 * location forwards the access token and it expired. A provider's back-channel logout
 * ends the sessions it names ({@link OpenIdRevocations}). A request that is not a page
 * navigation gets 401 instead of a redirect. The identity reaches what is behind the
 * location as {@code capuchin.user} and, by default,
 * {@code X-Forwarded-User/-Email/-Groups}, which a client can never send itself.
 * <p>
 * Each connection remembers the last session cookie it opened, the {@code Cookie} header
 * it came in and its session, in a connection attribute: a keep-alive browser sending the
 * very same header again costs a string comparison instead of the header's parse and the
 * cookie's decryption (the same cookie among changed others costs the parse only). The
 * idle and absolute lifetimes and the session's end are checked on every request as when
 * the cookie is opened, and only for the login and session key that opened it; the
 * provider's back-channel logouts too (one volatile read while none is remembered); a
 * cookie the browser was sent since replaces the memo. A cookie is decrypted once per
 * node: new connections presenting a cookie opened lately take its session from a bounded
 * cache instead of each decrypting it on the loop.
 */
public final class OpenIdAuthMode implements AuthMode {

	/** The mode's name, and its key in an {@code auth:} block. */
	public static final String NAME = "openid";

	/** How long a browser may take to sign in at the provider and come back. */
	public static final Duration PENDING_LIFETIME = Duration.ofMinutes(10);

	/** The request headers the mode sets and therefore always removes from clients. */
	public static final List<String> FORWARDED_HEADERS = List.of("X-Forwarded-User", "X-Forwarded-Email",
			"X-Forwarded-Groups", "X-Forwarded-Access-Token");

	private final IssuerRegistry issuers;

	private final BearerAuthMode bearer;

	private final Clock clock;

	private final OpenIdCallback callback;

	/** Each connection's last opened session cookie. */
	private final ConnectionKey<SessionMemo> sessions = ConnectionKey.of("auth.openid", SessionMemo.class);

	/**
	 * The most session cookies the node keeps opened: a browser opens several
	 * connections, and a client that reconnects opens new ones, each presenting the same
	 * cookie; without this each paid the decryption again, on the loop, all at once when
	 * many connect together.
	 */
	static final int MAX_OPENED = 4096;

	/**
	 * Session cookies opened lately, by value: the same value always opens to the same
	 * session under the same login and key (checked on use), and the lifetimes,
	 * revocations and rules are checked per request as for a connection's memo. Only
	 * cookies that opened are kept, so a client sending made-up ones cannot fill it.
	 */
	private final Cache<String, SessionMemo> opened = Caffeine.newBuilder()
		.maximumSize(MAX_OPENED)
		.expireAfterAccess(Duration.ofMinutes(10))
		.build();

	private final OpenIdRevocations revocations;

	private final OpenIdBackchannel backchannel;

	private final OpenIdRefresher refresher;

	/** Counts of the work the connection memo saves, for tests and diagnostics. */
	private final LongAdder headersParsed = new LongAdder();

	private final LongAdder cookiesOpened = new LongAdder();

	/**
	 * Create the mode on the plugin's issuers, shared with the {@code bearer} mode; no
	 * provider is asked anything until a browser needs it.
	 * @param issuers the issuers, with the timeouts and clock skew of both modes
	 * @param bearer the {@code bearer} mode, which checks the tokens of locations that
	 * also accept the provider's bearer tokens (and caches them with its own)
	 */
	public OpenIdAuthMode(IssuerRegistry issuers, BearerAuthMode bearer) {
		this(issuers, bearer, new MemoryOpenIdRevocations(), Clock.systemUTC());
	}

	/**
	 * Create the mode on the plugin's issuers, with the back-channel logouts of a
	 * cluster.
	 * @param issuers the issuers, with the timeouts and clock skew of both modes
	 * @param bearer the {@code bearer} mode
	 * @param revocations where back-channel logouts are recorded and looked up
	 */
	public OpenIdAuthMode(IssuerRegistry issuers, BearerAuthMode bearer, OpenIdRevocations revocations) {
		this(issuers, bearer, revocations, Clock.systemUTC());
	}

	OpenIdAuthMode(IssuerRegistry issuers, BearerAuthMode bearer, OpenIdRevocations revocations, Clock clock) {
		this.issuers = Objects.requireNonNull(issuers, "issuers");
		this.bearer = Objects.requireNonNull(bearer, "bearer");
		this.revocations = Objects.requireNonNull(revocations, "revocations");
		this.backchannel = new OpenIdBackchannel(revocations, clock, issuers.settings().clockSkew());
		this.refresher = new OpenIdRefresher(clock);
		this.clock = clock;
		this.callback = new OpenIdCallback(clock);
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String scheme() {
		return "OpenID";
	}

	@Override
	public Set<String> keys() {
		return Set.of(NAME);
	}

	@Override
	public Object compile(String field, Map<String, Object> block, String realm) {
		OpenIdBlock openid = OpenIdBlock.parse(field + "." + NAME, block.get(NAME));
		Issuer issuer = this.issuers.get(openid.issuer());
		String challenge = Challenges.openId(realm);
		LocationAuth bearer = null;
		if (openid.bearer() != null) {
			// a script may send a token instead: its 401 names both schemes
			challenge += ", " + Challenges.bearer(realm);
			bearer = new LocationAuth(field, this.bearer, realm, Require.VALID_USER,
					this.bearer.location(openid.bearer(), realm, openid.rules()));
		}
		return new OpenIdLocation(openid, issuer, issuer.idTokenDecoder(openid.clientId()), challenge,
				OpenIdLocation.needed(openid), bearer);
	}

	/**
	 * A valid session, or a request that is not a navigation, is answered at once: only
	 * sending a browser to the provider may wait (for the provider's metadata).
	 */
	@Override
	public AuthResult immediate(Exchange exchange, LocationAuth auth) {
		OpenIdLocation location = auth.modeSettings(OpenIdLocation.class);
		if (location.takesBearer(exchange.request().requestHeaders().get(HttpHeaderNames.AUTHORIZATION))) {
			return bearerResult(exchange, location, this.bearer.immediate(exchange, location.bearer()));
		}
		// milliseconds, compared with the memo's precomputed times: no Instant, Duration
		// or BigDecimal per request
		long now = this.clock.millis();
		SessionMemo memo = session(exchange, location, now);
		OpenIdSession session = (memo != null) ? memo.session() : null;
		// checked on every request, the connection's memo included: one volatile read
		// while no logout is remembered
		if (session != null && this.revocations.revoked(location.block().issuer(), session.sid(), session.subject(),
				session.issuedAt())) {
			// the provider ended it (back-channel logout): as if there were none
			session = null;
		}
		if (session != null) {
			String refusal = memo.refusal(location.block().rules());
			if (refusal != null) {
				return AuthResult.forbidden(null, "user " + session.user() + ": " + refusal);
			}
			if (now >= memo.refreshDueAt()) {
				// the forwarded access token expired: authenticate gets a new one
				return null;
			}
			forward(exchange.request().requestHeaders(), location, session, memo.admitted().claims());
			AuthResult result = memo.admitted();
			if (now >= memo.rewriteAt(location.block())) {
				Instant at = Instant.ofEpochMilli(now);
				result = result.withCookie(session.touched(at).setCookie(location, exchange.connection().isSecure()));
			}
			return result;
		}
		if (!OpenIdRequests.isNavigation(exchange.request())) {
			return AuthResult.missing(location.challenge());
		}
		return null;
	}

	/**
	 * The live session of a request, as the connection's memo: when the first
	 * {@code Cookie} header is the very string of the request before for this login and
	 * key, neither parsed nor decrypted again; else the header is parsed, and the session
	 * cookie decrypted unless it is the memo's (other cookies changed), and remembered
	 * when valid. The lifetimes are checked on every request; the revocations by the
	 * caller.
	 * @return the memo of a live session, or {@code null}
	 */
	private SessionMemo session(Exchange exchange, OpenIdLocation location, long now) {
		HttpHeaders headers = exchange.request().requestHeaders();
		String header = headers.get(HttpHeaderNames.COOKIE);
		if (header == null) {
			return null;
		}
		ClientConnection connection = exchange.connection();
		OpenIdBlock block = location.block();
		SessionMemo memo = connection.attribute(this.sessions);
		if (memo != null && header.equals(memo.header()) && memo.opens(block)) {
			return memo.isLive(block, now) ? memo : null;
		}
		this.headersParsed.increment();
		String name = location.sessionCookie();
		String cookie = SealedCookies.value(header, name);
		// only a cookie of the first header may be found again by comparing that header
		String found = (cookie != null) ? header : null;
		if (cookie == null && (cookie = SealedCookies.read(exchange.request(), name)) == null) {
			return null;
		}
		if (memo != null && memo.cookie().equals(cookie) && memo.opens(block)) {
			SessionMemo same = memo.seenIn(found);
			connection.attribute(this.sessions, same);
			return same.isLive(block, now) ? same : null;
		}
		// a cookie this node opened on another connection: a copy of its own for this one
		SessionMemo known = this.opened.getIfPresent(cookie);
		if (known == null || !known.opens(block)) {
			this.cookiesOpened.increment();
			OpenIdSession session = OpenIdSession.open(cookie, location, Instant.ofEpochMilli(now));
			if (session == null) {
				return null;
			}
			known = new SessionMemo(null, cookie, block.login(), block.sessionKey(), session,
					AuthResult.authenticated(session.user(), session.texts()));
			this.opened.put(cookie, known);
		}
		SessionMemo opened = known.seenIn(found);
		connection.attribute(this.sessions, opened);
		return opened.isLive(block, now) ? opened : null;
	}

	/**
	 * How many {@code Cookie} headers were parsed for a session cookie: one per
	 * connection and header while a browser sends the same header.
	 * @return the count since the mode was made
	 */
	long cookieHeadersParsed() {
		return this.headersParsed.sum();
	}

	/**
	 * How many session cookies the per-request check decrypted (sign-ins and refreshes
	 * aside): one per connection and cookie while the session is valid.
	 * @return the count since the mode was made
	 */
	long sessionCookiesOpened() {
		return this.cookiesOpened.sum();
	}

	/**
	 * A navigation without a valid session ({@link #immediate} answered everything else):
	 * to the provider.
	 */
	@Override
	public Mono<AuthResult> authenticate(Exchange exchange, LocationAuth auth) {
		OpenIdLocation location = auth.modeSettings(OpenIdLocation.class);
		if (location.takesBearer(exchange.request().requestHeaders().get(HttpHeaderNames.AUTHORIZATION))) {
			return this.bearer.authenticate(exchange, location.bearer())
				.map((result) -> bearerResult(exchange, location, result));
		}
		String cookie = SealedCookies.read(exchange.request(), location.sessionCookie());
		Instant now = this.clock.instant();
		OpenIdSession session = (cookie != null) ? OpenIdSession.open(cookie, location, now) : null;
		if (session != null && session.refreshDue(now) && !this.revocations.revoked(location.block().issuer(),
				session.sid(), session.subject(), session.issuedAt())) {
			return refresh(exchange, location, session);
		}
		return signIn(exchange, location, (cookie != null) ? "session cookie invalid or expired" : "no session");
	}

	/**
	 * A session whose forwarded access token expired: a new one with the refresh token,
	 * the cookie written again; a refused refresh ends the session (a navigation signs in
	 * again, a script gets 401).
	 */
	private Mono<AuthResult> refresh(Exchange exchange, OpenIdLocation location, OpenIdSession session) {
		boolean secure = exchange.connection().isSecure();
		String login = "login " + location.block().login() + ": user " + session.user();
		return this.refresher.refresh(location, session).flatMap((outcome) -> {
			OpenIdSession fresh = outcome.session();
			String sealed = (fresh != null) ? fresh.seal(location) : null;
			if (sealed != null && sealed.length() <= SealedCookies.MAX_COOKIE) {
				forward(exchange.request().requestHeaders(), location, fresh, fresh.texts());
				return Mono.just(AuthResult.authenticated(fresh.user(), fresh.texts())
					.withCookie(SealedCookies.setCookie(location.sessionCookie(), sealed, "/",
							Duration.between(fresh.lastSeen(), fresh.expiresAt()), secure)));
			}
			String why = (fresh == null) ? login + ": refresh refused, session ended: " + outcome.refusal()
					: login + ": refreshed session too large for a cookie (" + sealed.length()
							+ " bytes), session ended: fewer claims or no forwarded access token";
			String clear = SealedCookies.setCookie(location.sessionCookie(), null, "/", Duration.ZERO, secure);
			if (!OpenIdRequests.isNavigation(exchange.request())) {
				return Mono.just(AuthResult.failed(location.challenge(), why).withCookie(clear));
			}
			return signIn(exchange, location, why).map((result) -> result.withCookie(clear));
		})
			.onErrorResume((ex) -> Mono.just(AuthResult
				.unavailable("provider " + location.block().issuer() + ": " + login + ": refresh failed: " + ex)));
	}

	/**
	 * Send a browser to the provider, keeping what the callback needs in a sealed cookie.
	 */
	private Mono<AuthResult> signIn(Exchange exchange, OpenIdLocation location, String why) {
		OpenIdBlock block = location.block();
		String redirectUri = OpenIdRequests.redirectUri(exchange);
		String returnUrl = OpenIdRequests.returnUrl(exchange);
		boolean secure = exchange.connection().isSecure();
		return location.issuer().endpoints().map((endpoints) -> {
			String state = OpenIdRequests.random();
			String nonce = OpenIdRequests.random();
			String verifier = OpenIdRequests.verifier();
			Map<String, Object> parameters = new LinkedHashMap<>(block.parameters());
			parameters.put(OidcParameterNames.NONCE, nonce);
			parameters.put(PkceParameterNames.CODE_CHALLENGE, OpenIdRequests.challenge(verifier));
			parameters.put(PkceParameterNames.CODE_CHALLENGE_METHOD, "S256");
			String url = OAuth2AuthorizationRequest.authorizationCode()
				.authorizationUri(endpoints.authorization())
				.clientId(block.clientId())
				.redirectUri(redirectUri)
				.scopes(new java.util.LinkedHashSet<>(block.scopes()))
				.state(state)
				.additionalParameters(parameters)
				.build()
				.getAuthorizationRequestUri();
			Instant now = this.clock.instant();
			JWTClaimsSet pending = new JWTClaimsSet.Builder().claim("use", SealedCookies.PENDING)
				.claim("st", state)
				.claim("nn", nonce)
				.claim("cv", verifier)
				.claim("ru", redirectUri)
				.claim("url", returnUrl)
				.expirationTime(Date.from(now.plus(PENDING_LIFETIME)))
				.build();
			String value = SealedCookies.seal(block.login(), block.sessionKey(), pending);
			return AuthResult.redirect(url, why + ": sign-in at " + block.issuer())
				.withCookie(SealedCookies.setCookie(OpenIdRequests.pendingCookie(state), value,
						OpenIdRequests.PENDING_PATH, PENDING_LIFETIME, secure));
		})
			.onErrorResume(
					(ex) -> Mono.just(AuthResult.unavailable("provider " + block.issuer() + ": " + ex.getMessage())));
	}

	/**
	 * Answer a request to the callback or logout path of a site with {@code openid}
	 * locations.
	 * @param exchange the request
	 * @param logins the site's logins by name, each with one of its locations
	 * @return the result: a redirect, or a refusal
	 */
	public Mono<AuthResult> endpoint(Exchange exchange, Map<String, OpenIdLocation> logins) {
		if (OpenIdRequests.CALLBACK.equals(exchange.path())) {
			return this.callback.handle(exchange, logins);
		}
		return this.callback.logout(exchange, logins);
	}

	/**
	 * Answer a provider's back-channel logout on a site with {@code openid} locations.
	 * @param exchange the request
	 * @param logins the site's logins by name
	 * @return the answer
	 */
	public Mono<OpenIdBackchannel.Answer> backchannelLogout(Exchange exchange, Map<String, OpenIdLocation> logins) {
		return this.backchannel.handle(exchange, logins);
	}

	/**
	 * A bearer token's result on an {@code openid} location: the identity headers as a
	 * session would set them.
	 */
	private static AuthResult bearerResult(Exchange exchange, OpenIdLocation location, AuthResult result) {
		if (result != null && result.outcome() == AuthResult.Outcome.AUTHENTICATED
				&& location.block().forwardHeaders()) {
			HttpHeaders headers = exchange.request().requestHeaders();
			headers.set(FORWARDED_HEADERS.get(0), result.user());
			Map<String, String> claims = result.claims();
			if (claims.get("email") != null) {
				headers.set(FORWARDED_HEADERS.get(1), claims.get("email"));
			}
			if (claims.get("groups") != null) {
				headers.set(FORWARDED_HEADERS.get(2), claims.get("groups"));
			}
		}
		return result;
	}

	/**
	 * Set the identity headers for what is behind the location (the client's own were
	 * removed before).
	 */
	private static void forward(HttpHeaders headers, OpenIdLocation location, OpenIdSession session,
			Map<String, String> texts) {
		if (location.block().forwardHeaders()) {
			headers.set(FORWARDED_HEADERS.get(0), session.user());
			if (texts.get("email") != null) {
				headers.set(FORWARDED_HEADERS.get(1), texts.get("email"));
			}
			if (texts.get("groups") != null) {
				headers.set(FORWARDED_HEADERS.get(2), texts.get("groups"));
			}
		}
		if (location.block().forwardAccessToken() && session.accessToken() != null) {
			headers.set(FORWARDED_HEADERS.get(3), session.accessToken());
		}
	}

	/**
	 * Remove the identity headers a client sent: only the mode may set them.
	 * @param headers the request headers
	 */
	public static void strip(HttpHeaders headers) {
		for (String name : FORWARDED_HEADERS) {
			headers.remove(name);
		}
	}

	/**
	 * A connection's last opened session cookie (held only as long as the connection),
	 * the login and key that opened it, its session, the result that admits it (its
	 * claims as texts, made once rather than per request), and the times and refusal
	 * derived from it for the last block that asked, in epoch milliseconds. Each copy is
	 * used on its connection's loop only; the node's cache of opened cookies keeps copies
	 * without a header that are never changed.
	 */
	private static final class SessionMemo {

		private final String header;

		private final String cookie;

		private final String login;

		private final byte[] key;

		private final OpenIdSession session;

		private final AuthResult admitted;

		private final long refreshDueAt;

		private OpenIdBlock timedFor;

		private long liveUntil;

		private long rewriteAt;

		private ClaimRules ruledBy;

		private String refusal;

		SessionMemo(String header, String cookie, String login, byte[] key, OpenIdSession session,
				AuthResult admitted) {
			this.header = header;
			this.cookie = cookie;
			this.login = login;
			this.key = key;
			this.session = session;
			this.admitted = admitted;
			this.refreshDueAt = session.refreshDueAt();
		}

		String header() {
			return this.header;
		}

		String cookie() {
			return this.cookie;
		}

		OpenIdSession session() {
			return this.session;
		}

		AuthResult admitted() {
			return this.admitted;
		}

		/** When the forwarded access token is to be refreshed, or never. */
		long refreshDueAt() {
			return this.refreshDueAt;
		}

		/** Whether the block's login and key would open the cookie the same way. */
		boolean opens(OpenIdBlock block) {
			return this.login.equals(block.login())
					&& (this.key == block.sessionKey() || MessageDigest.isEqual(this.key, block.sessionKey()));
		}

		/** Whether the session counts for the block's lifetimes now. */
		boolean isLive(OpenIdBlock block, long now) {
			timeFor(block);
			return now < this.liveUntil;
		}

		/** When the cookie is to be written again with a new last-seen time. */
		long rewriteAt(OpenIdBlock block) {
			timeFor(block);
			return this.rewriteAt;
		}

		private void timeFor(OpenIdBlock block) {
			if (this.timedFor != block) {
				this.liveUntil = this.session.liveUntil(block).toEpochMilli();
				this.rewriteAt = this.session.rewriteAt(block.idle()).toEpochMilli();
				this.timedFor = block;
			}
		}

		/** The first rule of the location that refuses the session, or {@code null}. */
		String refusal(ClaimRules rules) {
			if (this.ruledBy != rules) {
				this.refusal = rules.refusal(this.session.claims());
				this.ruledBy = rules;
			}
			return this.refusal;
		}

		/** The same session, found in another header. */
		SessionMemo seenIn(String other) {
			return new SessionMemo(other, this.cookie, this.login, this.key, this.session, this.admitted);
		}

	}

}
