package dev.capuchin.plugin.auth.internal;

import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.nimbusds.jose.jwk.JWK;
import dev.capuchin.core.spi.BlockValues;
import dev.capuchin.plugin.auth.OpenIdClientKeys;

/**
 * The keys of an {@code auth: {openid: …}} block, as the control plane writes it after
 * resolving {@code login: corp} (or as a site file writes it directly), read with the
 * platform's {@link BlockValues} and checked.
 *
 * @param login the login's name: in log lines and the session cookie's name
 * @param issuer the provider's issuer identifier
 * @param clientId the client id registered at the provider
 * @param clientSecret the client secret ({@code client-secret-basic} or
 * {@code client-secret-post}), or {@code null}
 * @param clientAuth how the client proves itself at the token endpoint: {@code NONE} for
 * a public client (PKCE only)
 * @param clientKey the private key of {@code private-key-jwt}, or {@code null}
 * @param scopes the scopes asked for; {@code openid} always among them
 * @param parameters extra authorization request parameters ({@code prompt},
 * {@code acr_values}, ...)
 * @param userClaim the ID token claim that names the user
 * @param sessionKey the 256-bit key that encrypts and authenticates the cookies
 * @param idle how long a session may go unused
 * @param absolute how long a session lasts at most from sign-in
 * @param rules the claims a user must have, or none
 * @param forwardHeaders whether {@code X-Forwarded-User/-Email/-Groups} are set for what
 * is behind the location
 * @param forwardAccessToken whether the provider's access token is kept in the session
 * and sent as {@code X-Forwarded-Access-Token}
 * @param bearer what the location requires of the provider's bearer tokens when it also
 * accepts them from API clients ({@code bearer: true} or a block), or {@code null}
 */
public record OpenIdBlock(String login, String issuer, String clientId, String clientSecret,
		OpenIdClientAuth clientAuth, JWK clientKey, List<String> scopes, Map<String, String> parameters,
		String userClaim, byte[] sessionKey, Duration idle, Duration absolute, ClaimRules rules, boolean forwardHeaders,
		boolean forwardAccessToken, BearerBlock bearer) {

	/** Default {@code session.idle}: thirty minutes. */
	public static final Duration DEFAULT_IDLE = Duration.ofMinutes(30);

	/** Default {@code session.absolute}: twelve hours. */
	public static final Duration DEFAULT_ABSOLUTE = Duration.ofHours(12);

	/** Default scopes: what a sign-in needs for a name, an email and groups. */
	public static final List<String> DEFAULT_SCOPES = List.of("openid", "email", "profile");

	/** The most extra authorization parameters. */
	static final int MAX_PARAMETERS = 16;

	/** A login's name: it becomes part of a cookie name, so a cookie-name token. */
	private static final Pattern LOGIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

	/**
	 * Parameters the mode sets itself: a block may not override them (a {@code
	 * redirect_uri} of its own would be an open redirect at the provider).
	 */
	private static final Set<String> RESERVED = Set.of("response_type", "client_id", "redirect_uri", "scope", "state",
			"nonce", "code_challenge", "code_challenge_method");

	private static final Set<String> KEYS = Set.of("login", "issuer", "client-id", "client-secret", "client-auth",
			"private-key", "scopes", "parameters", "user-claim", "session-key", "session", "require", "forward",
			"bearer");

	/** The keys of a {@code bearer:} block inside an {@code openid:} block. */
	private static final Set<String> BEARER_KEYS = Set.of("audience", "scopes");

	/**
	 * Read a block.
	 * @param field the block's name for messages, such as
	 * {@code site shop: locations[0].auth.openid}
	 * @param raw the block as read from the site file
	 * @return the block
	 * @throws IllegalArgumentException naming the field at fault
	 */
	public static OpenIdBlock parse(String field, Object raw) {
		if (!(raw instanceof Map)) {
			throw BlockValues.invalid(field, raw, "a block of keys: login, issuer, client-id, session-key, ...");
		}
		Map<String, Object> block = BlockValues.block(field, raw);
		BlockValues.checkKeys(field, block, KEYS);
		String login = BlockValues.text(field + ".login", block.get("login"));
		if (!LOGIN.matcher(login).matches()) {
			throw BlockValues.invalid(field + ".login", login,
					"a name of letters, digits, '.', '_' and '-', at most 64 characters");
		}
		String issuer = BearerBlock.issuer(field + ".issuer", block.get("issuer"));
		String clientId = BearerBlock.headerSafe(field + ".client-id",
				BlockValues.text(field + ".client-id", block.get("client-id")));
		String secret = BearerBlock.headerSafe(field + ".client-secret",
				BlockValues.optionalText(field + ".client-secret", block.get("client-secret")));
		Object privateKey = block.get("private-key");
		if (privateKey != null && !(privateKey instanceof String)) {
			// never echoed: it is a secret
			throw new IllegalArgumentException(
					field + ".private-key: not text (expected: the key as PEM or as a JWK, in one text)");
		}
		OpenIdClientAuth auth = clientAuth(field,
				OpenIdClientAuth.parse(field + ".client-auth", block.get("client-auth")), secret, privateKey);
		JWK clientKey = (auth == OpenIdClientAuth.PRIVATE_KEY_JWT)
				? OpenIdClientKeys.parse(field + ".private-key", (String) privateKey) : null;
		List<String> scopes = scopes(field + ".scopes", block.get("scopes"));
		Map<String, String> parameters = parameters(field + ".parameters", block.get("parameters"));
		String userClaim = BearerBlock.headerSafe(field + ".user-claim",
				BlockValues.optionalText(field + ".user-claim", block.get("user-claim")));
		byte[] key = key(field + ".session-key", block.get("session-key"));
		Map<String, Object> session = BlockValues.block(field + ".session", block.get("session"));
		BlockValues.checkKeys(field + ".session", session, Set.of("idle", "absolute"));
		Duration idle = BlockValues.positiveDuration(field + ".session.idle", session.get("idle"), DEFAULT_IDLE);
		Duration absolute = BlockValues.positiveDuration(field + ".session.absolute", session.get("absolute"),
				DEFAULT_ABSOLUTE);
		if (idle.compareTo(absolute) > 0) {
			throw new IllegalArgumentException(
					field + ".session.idle: " + idle + " (expected: at most absolute, " + absolute + ")");
		}
		ClaimRules rules = ClaimRules.parse(field + ".require", block.get("require"));
		Map<String, Object> forward = BlockValues.block(field + ".forward", block.get("forward"));
		BlockValues.checkKeys(field + ".forward", forward, Set.of("headers", "access-token"));
		String user = (userClaim != null) ? userClaim : BearerBlock.DEFAULT_USER_CLAIM;
		return new OpenIdBlock(login, issuer, clientId, secret, auth, clientKey, scopes, parameters, user, key, idle,
				absolute, rules, BlockValues.flag(field + ".forward.headers", forward.get("headers"), true),
				BlockValues.flag(field + ".forward.access-token", forward.get("access-token"), false),
				bearer(field + ".bearer", block.get("bearer"), issuer, clientId, user));
	}

	/**
	 * {@code bearer: true}, or {@code bearer: {audience: …, scopes: […]}}: the provider's
	 * tokens are accepted from clients that send them, for the client id as audience
	 * unless another is named, with the same user claim as sign-ins.
	 */
	private static BearerBlock bearer(String field, Object raw, String issuer, String clientId, String userClaim) {
		Map<String, Object> block;
		if (raw == null || Boolean.FALSE.equals(raw)) {
			return null;
		}
		if (Boolean.TRUE.equals(raw)) {
			block = Map.of();
		}
		else if (raw instanceof Map) {
			block = BlockValues.block(field, raw);
			BlockValues.checkKeys(field, block, BEARER_KEYS);
		}
		else {
			throw BlockValues.invalid(field, raw, "true, false, or a block of keys: audience, scopes");
		}
		String audience = BearerBlock.headerSafe(field + ".audience",
				BlockValues.optionalText(field + ".audience", block.get("audience")));
		Set<String> scopes = new LinkedHashSet<>(
				BearerBlock.list(field + ".scopes", block.get("scopes"), BearerBlock.MAX_SCOPES));
		for (String scope : scopes) {
			if (!BearerBlock.isScopeToken(scope)) {
				throw BlockValues.invalid(field + ".scopes", scope,
						"scope tokens of printable ASCII without space, '\"' or '\\'");
			}
		}
		return new BearerBlock(issuer, (audience != null) ? audience : clientId, Set.copyOf(scopes), userClaim,
				List.copyOf(OpenIdLocation.FORWARDED), null);
	}

	/**
	 * The client authentication a block asks for, checked against what it gives: a secret
	 * for the secret kinds, a key and no secret for {@code private-key-jwt}; without
	 * {@code client-auth}, {@code client-secret-basic} when there is a secret and none (a
	 * public client) when there is not.
	 */
	private static OpenIdClientAuth clientAuth(String field, OpenIdClientAuth given, String secret, Object key) {
		if (given == null) {
			if (key != null) {
				throw new IllegalArgumentException(field + ".private-key: set without client-auth: private-key-jwt "
						+ "(expected: client-auth: private-key-jwt, or no private-key)");
			}
			return (secret != null) ? OpenIdClientAuth.CLIENT_SECRET_BASIC : OpenIdClientAuth.NONE;
		}
		if (given == OpenIdClientAuth.PRIVATE_KEY_JWT) {
			if (secret != null) {
				throw new IllegalArgumentException(field + ".client-secret: set with client-auth: private-key-jwt "
						+ "(expected: the private-key alone)");
			}
			if (key == null) {
				throw new IllegalArgumentException(field + ".private-key: missing (expected: the client's private "
						+ "key, PEM or JWK, as client-auth is private-key-jwt)");
			}
			return given;
		}
		if (secret == null) {
			throw new IllegalArgumentException(field + ".client-secret: missing (expected: the client secret, as "
					+ "client-auth is " + given.value() + ")");
		}
		if (key != null) {
			throw new IllegalArgumentException(field + ".private-key: set with client-auth: " + given.value()
					+ " (expected: no private-key, or client-auth: private-key-jwt)");
		}
		return given;
	}

	private static List<String> scopes(String field, Object raw) {
		if (raw == null) {
			return DEFAULT_SCOPES;
		}
		Set<String> scopes = new LinkedHashSet<>();
		scopes.add("openid");
		for (String scope : BearerBlock.list(field, raw, BearerBlock.MAX_SCOPES)) {
			if (!BearerBlock.isScopeToken(scope)) {
				throw BlockValues.invalid(field, scope, "scope tokens of printable ASCII without space, '\"' or '\\'");
			}
			scopes.add(scope);
		}
		return List.copyOf(scopes);
	}

	private static Map<String, String> parameters(String field, Object raw) {
		Map<String, Object> block = BlockValues.block(field, raw);
		if (block.size() > MAX_PARAMETERS) {
			throw new IllegalArgumentException(
					field + ": " + block.size() + " entries (expected: at most " + MAX_PARAMETERS + ")");
		}
		Map<String, String> parameters = new LinkedHashMap<>();
		block.forEach((name, value) -> {
			if (RESERVED.contains(name)) {
				throw new IllegalArgumentException(field + "." + name
						+ ": set by the openid mode itself (expected: other parameters, such as prompt or acr_values)");
			}
			BearerBlock.headerSafe(field, name);
			parameters.put(name,
					BearerBlock.headerSafe(field + "." + name, BlockValues.text(field + "." + name, value)));
		});
		return Map.copyOf(parameters);
	}

	/** The key is never echoed in a message: it is a secret. */
	private static byte[] key(String field, Object raw) {
		String text = BlockValues.optionalText(field, raw);
		if (text == null) {
			throw new IllegalArgumentException(
					field + ": missing (expected: 32 random bytes in base64, the same on every node)");
		}
		byte[] key;
		try {
			key = Base64.getDecoder().decode(text);
		}
		catch (IllegalArgumentException ex) {
			key = Base64.getUrlDecoder().decode(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
		}
		if (key.length != 32) {
			throw new IllegalArgumentException(
					field + ": " + key.length + " bytes (expected: 32 random bytes in base64)");
		}
		return key;
	}

	@Override
	public String toString() {
		return "OpenIdBlock[login=" + this.login + ", issuer=" + this.issuer + ", clientId=" + this.clientId
				+ ", clientSecret=" + ((this.clientSecret != null) ? "******" : "none") + ", clientAuth="
				+ this.clientAuth.value() + ", clientKey="
				+ ((this.clientKey != null) ? this.clientKey.getKeyID() : "none") + ", sessionKey=******]";
	}

}
