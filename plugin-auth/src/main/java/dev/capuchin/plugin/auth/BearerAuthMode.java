package dev.capuchin.plugin.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import dev.capuchin.core.spi.ClientConnection;
import dev.capuchin.core.spi.ConnectionKey;
import dev.capuchin.core.spi.Exchange;
import dev.capuchin.plugin.auth.BearerSettings.IssuerClient;
import dev.capuchin.plugin.auth.internal.BearerBlock;
import dev.capuchin.plugin.auth.internal.BearerLocation;
import dev.capuchin.plugin.auth.internal.Challenges;
import dev.capuchin.plugin.auth.internal.ClaimRules;
import dev.capuchin.plugin.auth.internal.Issuer;
import dev.capuchin.plugin.auth.internal.IssuerRegistry;
import dev.capuchin.plugin.auth.internal.IssuerUnavailableException;
import dev.capuchin.plugin.auth.internal.VerifiedToken;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.jwt.JwtException;

/**
 * {@code auth: {bearer: {issuer: …}}}: OAuth 2.0 bearer tokens (RFC 6750) issued by one
 * issuer, an OpenID Connect provider or an RFC 8414 authorization server.
 * <p>
 * A token that is a signed JWT is checked by Spring Security's
 * {@code NimbusReactiveJwtDecoder} against the issuer's JWK set, then {@code iss},
 * {@code exp}, {@code nbf}; any other token goes to the issuer's introspection endpoint
 * (RFC 7662) when the location or the issuer has client credentials for it. The location
 * then requires its audience and scopes. Verified tokens are cached (by a SHA-256 digest,
 * never the token itself) for {@code token-cache-ttl}, never past their expiry, so a busy
 * client costs one signature check or one introspection per period.
 * <p>
 * Each connection also remembers the last {@code Authorization} value it verified (or
 * found in the cache) and its token, in a connection attribute: a keep-alive client that
 * sends the same header again skips the token's digest and the cache lookup. That memo
 * counts no longer than the cache entry it stands for ({@code token-cache-ttl} after the
 * token was verified, so a revoked opaque token stops working on an open connection as
 * soon as it would elsewhere), and the token's expiry, audience and scopes are checked on
 * every request as for a cache hit. A header verified later replaces it.
 * <p>
 * Answers per RFC 6750 section 3: no token, 401 with {@code Bearer realm="…"}; a token
 * that is not valid, 401 with {@code error="invalid_token"}; a valid token without a
 * required scope, 403 with {@code error="insufficient_scope"}; an issuer that cannot be
 * reached, 503.
 */
public final class BearerAuthMode implements AuthMode {

	/** The mode's name, and its key in an {@code auth:} block. */
	public static final String NAME = "bearer";

	/**
	 * The longest token accepted; longer ones are refused before any work (the header
	 * limits of the server bound it too).
	 */
	public static final int MAX_TOKEN = 16 * 1024;

	/**
	 * One digest per thread: the cache key is computed on every request, and looking the
	 * algorithm up each time would cost more than hashing the token.
	 */
	private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(BearerAuthMode::sha256);

	private final BearerSettings settings;

	private final IssuerRegistry issuers;

	private final Cache<TokenKey, Verified> verified;

	/** How long a verified token counts, in nanoseconds; 0 when nothing is cached. */
	private final long cacheNanos;

	/** Each connection's last verified header: one key per mode, so per cache. */
	private final ConnectionKey<Memo> memo = ConnectionKey.of("auth.bearer", Memo.class);

	private final Clock clock;

	/**
	 * Create the mode with issuers of its own; no issuer is asked anything until a token
	 * needs it.
	 * @param settings the mode's settings
	 */
	public BearerAuthMode(BearerSettings settings) {
		this(new IssuerRegistry(settings), Clock.systemUTC());
	}

	/**
	 * Create the mode on the plugin's issuers, shared with the {@code openid} mode.
	 * @param issuers the issuers
	 */
	public BearerAuthMode(IssuerRegistry issuers) {
		this(issuers, Clock.systemUTC());
	}

	BearerAuthMode(IssuerRegistry issuers, Clock clock) {
		this.issuers = Objects.requireNonNull(issuers, "issuers");
		this.settings = issuers.settings();
		BearerSettings settings = this.settings;
		this.clock = clock;
		this.verified = Caffeine.newBuilder()
			.maximumSize(settings.tokenCacheSize())
			.expireAfterWrite(settings.tokenCacheTtl())
			.build();
		this.cacheNanos = (settings.tokenCacheSize() > 0) ? settings.tokenCacheTtl().toNanos() : 0;
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String scheme() {
		return "Bearer";
	}

	@Override
	public Set<String> keys() {
		return Set.of(NAME);
	}

	/**
	 * Read the location's {@code bearer} block; issuers are shared by every location and
	 * table that names them, so their keys and metadata survive a new table.
	 */
	@Override
	public Object compile(String field, Map<String, Object> block, String realm) {
		BearerBlock bearer = BearerBlock.parse(field + "." + NAME, block.get(NAME));
		return location(bearer, realm, ClaimRules.NONE);
	}

	/**
	 * Compile a bearer block: a {@code bearer} location's, or an {@code openid}
	 * location's that also accepts the provider's tokens.
	 * @param bearer the block
	 * @param realm the location's realm
	 * @param rules the claims a token's user must have
	 * @return the compiled settings
	 */
	BearerLocation location(BearerBlock bearer, String realm, ClaimRules rules) {
		Issuer issuer = this.issuers.get(bearer.issuer());
		IssuerClient client = (bearer.client() != null) ? bearer.client() : this.settings.clientFor(bearer.issuer());
		return new BearerLocation(issuer, bearer.audience(), bearer.scopes(), bearer.userClaim(), bearer.claims(),
				client, Challenges.bearer(realm), Challenges.invalidToken(realm),
				Challenges.insufficientScope(realm, bearer.scopes()), rules);
	}

	@Override
	public AuthResult immediate(Exchange exchange, LocationAuth auth) {
		BearerLocation bearer = auth.modeSettings(BearerLocation.class);
		String authorization = exchange.request().requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
		ClientConnection connection = exchange.connection();
		Memo memo = connection.attribute(this.memo);
		if (memo != null && memo.issuer() == bearer.issuer() && memo.authorization().equals(authorization)
				&& memo.verified().isFresh(System.nanoTime())) {
			return check(bearer, memo.verified().token());
		}
		if (authorization == null || !isBearer(authorization)) {
			return AuthResult.missing(bearer.challenge());
		}
		String token = candidate(authorization);
		if (token == null) {
			return AuthResult.failed(bearer.invalidToken(), "malformed Bearer credentials");
		}
		// only a well-formed token was ever verified and cached, so a hit needs no
		// character check: that check is the larger part of a hit's cost
		Verified cached = this.verified.getIfPresent(TokenKey.of(bearer.issuer().id(), token));
		if (cached == null) {
			return null;
		}
		remember(connection, authorization, bearer, cached);
		return check(bearer, cached.token());
	}

	@Override
	public Mono<AuthResult> authenticate(Exchange exchange, LocationAuth auth) {
		BearerLocation bearer = auth.modeSettings(BearerLocation.class);
		String authorization = exchange.request().requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
		String token = token(authorization);
		if (token == null) {
			return Mono.just(AuthResult.failed(bearer.invalidToken(), "malformed Bearer credentials"));
		}
		TokenKey key = TokenKey.of(bearer.issuer().id(), token);
		ClientConnection connection = exchange.connection();
		return verify(bearer, token).map((fresh) -> {
			Verified verified = new Verified(fresh, System.nanoTime() + this.cacheNanos);
			this.verified.put(key, verified);
			remember(connection, authorization, bearer, verified);
			return check(bearer, fresh);
		}).onErrorResume((ex) -> Mono.just(failure(bearer, ex)));
	}

	/**
	 * Keep a verified header as the connection's memo, replacing the one before; nothing
	 * when the cache is off, as the memo may not outlive what the cache would keep.
	 */
	private void remember(ClientConnection connection, String authorization, BearerLocation bearer, Verified verified) {
		if (this.cacheNanos > 0) {
			connection.attribute(this.memo, new Memo(authorization, bearer.issuer(), verified));
		}
	}

	private Mono<VerifiedToken> verify(BearerLocation bearer, String token) {
		JWT jwt;
		try {
			jwt = JWTParser.parse(token);
		}
		catch (ParseException ex) {
			jwt = null;
		}
		if (jwt instanceof SignedJWT) {
			return bearer.issuer().decoder().decode(token).map(VerifiedToken::of);
		}
		if (jwt != null) {
			return Mono.error(new JwtException("unsigned or encrypted JWT"));
		}
		IssuerClient client = bearer.client();
		if (client == null) {
			return Mono.error(new JwtException("not a JWT, and no introspection client for the issuer"));
		}
		return bearer.issuer().introspect(token, client.clientId(), client.clientSecret()).handle((answer, sink) -> {
			if (!Boolean.TRUE.equals(answer.get("active"))) {
				sink.error(new JwtException("introspection: token not active"));
				return;
			}
			Object iss = answer.get("iss");
			if (iss != null && !bearer.issuer().id().equals(iss)) {
				sink.error(new JwtException("introspection: iss '" + iss + "'"));
				return;
			}
			sink.next(VerifiedToken.ofIntrospection(answer));
		});
	}

	/**
	 * What the location requires of a verified token.
	 */
	private AuthResult check(BearerLocation bearer, VerifiedToken token) {
		if (token.expired(this.clock.instant(), this.settings.clockSkew().toSeconds())) {
			return AuthResult.failed(bearer.invalidToken(), "token expired at " + token.expiresAt());
		}
		if (bearer.audience() != null && !token.audiences().contains(bearer.audience())) {
			return AuthResult.failed(bearer.invalidToken(),
					"audience " + token.audiences() + " lacks " + bearer.audience());
		}
		if (!token.scopes().containsAll(bearer.scopes())) {
			return AuthResult.forbidden(bearer.insufficientScope(),
					"scopes " + token.scopes() + " lack some of " + bearer.scopes());
		}
		String user = token.text(bearer.userClaim());
		if (user == null || user.isEmpty()) {
			return AuthResult.failed(bearer.invalidToken(), "no " + bearer.userClaim() + " claim");
		}
		String refusal = bearer.rules().refusal(token.claims());
		if (refusal != null) {
			return AuthResult.forbidden(null, "user " + user + ": " + refusal);
		}
		if (bearer.claims().isEmpty()) {
			return AuthResult.authenticated(user);
		}
		Map<String, String> claims = new LinkedHashMap<>();
		for (String name : bearer.claims()) {
			String value = token.text(name);
			if (value != null) {
				claims.put(name, value);
			}
		}
		return AuthResult.authenticated(user, claims);
	}

	private static AuthResult failure(BearerLocation bearer, Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof IssuerUnavailableException) {
				return AuthResult.unavailable("issuer " + bearer.issuer().id() + ": " + cause.getMessage());
			}
		}
		if (ex instanceof JwtException) {
			return AuthResult.failed(bearer.invalidToken(), "invalid token: " + ex.getMessage());
		}
		return AuthResult.unavailable("issuer " + bearer.issuer().id() + ": token not checked: " + ex);
	}

	/** The scheme is case-insensitive (RFC 9110 section 11.1). */
	private static boolean isBearer(String authorization) {
		return authorization.regionMatches(true, 0, "Bearer", 0, 6)
				&& (authorization.length() == 6 || authorization.charAt(6) == ' ');
	}

	/**
	 * The token of {@code Bearer 1*SP b64token} (RFC 6750 section 2.1), or {@code null}
	 * when malformed.
	 */
	static String token(String authorization) {
		String token = candidate(authorization);
		return (token != null && isB64Token(token)) ? token : null;
	}

	/**
	 * What follows {@code Bearer} and its spaces, within {@link #MAX_TOKEN}; its
	 * characters not yet checked.
	 */
	private static String candidate(String authorization) {
		int start = 6;
		while (start < authorization.length() && authorization.charAt(start) == ' ') {
			start++;
		}
		int end = authorization.length();
		if (start == 6 || start == end || end - start > MAX_TOKEN) {
			return null;
		}
		return authorization.substring(start, end);
	}

	/** {@code 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="}. */
	private static boolean isB64Token(String token) {
		int padding = token.length();
		while (padding > 0 && token.charAt(padding - 1) == '=') {
			padding--;
		}
		if (padding == 0) {
			return false;
		}
		for (int i = 0; i < padding; i++) {
			char c = token.charAt(i);
			boolean b64 = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
					|| c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
			if (!b64) {
				return false;
			}
		}
		return true;
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing", ex);
		}
	}

	/**
	 * The verified tokens currently cached, for tests and metrics.
	 * @return the number of entries
	 */
	long cachedTokens() {
		this.verified.cleanUp();
		return this.verified.estimatedSize();
	}

	/**
	 * A verified token as the cache keeps it, with when it stops counting.
	 *
	 * @param token the token
	 * @param staleAt the {@link System#nanoTime()} at which the cache drops it
	 */
	private record Verified(VerifiedToken token, long staleAt) {

		boolean isFresh(long now) {
			return now - this.staleAt < 0;
		}

	}

	/**
	 * A connection's last verified {@code Authorization} header (the whole value, held
	 * only as long as the connection) and what it verified to, for its issuer.
	 *
	 * @param authorization the header's value
	 * @param issuer the issuer it was verified for
	 * @param verified the cache entry it stands for
	 */
	private record Memo(String authorization, Issuer issuer, Verified verified) {

	}

	/**
	 * A cached token's key: its issuer and the SHA-256 digest of the token (never the
	 * token itself), as four longs so that a lookup allocates no array or string.
	 */
	private record TokenKey(String issuer, long d0, long d1, long d2, long d3) {

		static TokenKey of(String issuer, String token) {
			// ISO-8859-1 copies a Latin-1 string's bytes as they are; a token outside it
			// is malformed and fails verification whatever its digest
			ByteBuffer hash = ByteBuffer.wrap(SHA256.get().digest(token.getBytes(StandardCharsets.ISO_8859_1)));
			return new TokenKey(issuer, hash.getLong(), hash.getLong(), hash.getLong(), hash.getLong());
		}

	}

}
