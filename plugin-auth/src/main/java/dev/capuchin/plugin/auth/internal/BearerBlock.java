package dev.capuchin.plugin.auth.internal;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.capuchin.core.spi.BlockValues;
import dev.capuchin.plugin.auth.BearerSettings.IssuerClient;

/**
 * The keys of an {@code auth: {bearer: …}} block, read with the platform's
 * {@link BlockValues} and checked: values that reach headers and the access log must be
 * printable ASCII of bounded length, scopes RFC 6749 scope tokens.
 *
 * @param issuer the issuer identifier: an absolute {@code http} or {@code https} URL
 * without query or fragment
 * @param audience the audience a token must name, or {@code null}
 * @param scopes the scopes a token must grant
 * @param userClaim the claim that names the user, {@code sub} by default
 * @param claims the claims handed to later stages
 * @param client introspection credentials of the location, or {@code null}
 */
public record BearerBlock(String issuer, String audience, Set<String> scopes, String userClaim, List<String> claims,
		IssuerClient client) {

	/** The claim that names the user unless {@code user-claim} says otherwise. */
	public static final String DEFAULT_USER_CLAIM = "sub";

	/** The most claims a location may hand on, so the attribute stays small. */
	static final int MAX_CLAIMS = 32;

	/** The most scopes a location may require. */
	static final int MAX_SCOPES = 32;

	/** The longest issuer, audience, scope or claim name accepted. */
	static final int MAX_VALUE = 2048;

	private static final Set<String> KEYS = Set.of("issuer", "audience", "scopes", "user-claim", "claims",
			"introspection");

	private static final Set<String> CLIENT_KEYS = Set.of("client-id", "client-secret");

	/**
	 * Read a block.
	 * @param field the block's name for messages, such as
	 * {@code site shop: locations[0].auth.bearer}
	 * @param raw the block as read from the site file
	 * @return the block
	 * @throws IllegalArgumentException naming the field at fault
	 */
	public static BearerBlock parse(String field, Object raw) {
		if (!(raw instanceof Map)) {
			throw BlockValues.invalid(field, raw, "a block of keys: issuer, audience, scopes, ...");
		}
		Map<String, Object> block = BlockValues.block(field, raw);
		BlockValues.checkKeys(field, block, KEYS);
		String issuer = issuer(field + ".issuer", block.get("issuer"));
		String audience = headerSafe(field + ".audience",
				BlockValues.optionalText(field + ".audience", block.get("audience")));
		Set<String> scopes = new LinkedHashSet<>(list(field + ".scopes", block.get("scopes"), MAX_SCOPES));
		for (String scope : scopes) {
			if (!isScopeToken(scope)) {
				throw new IllegalArgumentException(field + ".scopes: '" + scope.replaceAll("\\p{Cntrl}", "?")
						+ "' (expected: scope tokens of printable ASCII without space, '\"' or '\\')");
			}
		}
		String userClaim = headerSafe(field + ".user-claim",
				BlockValues.optionalText(field + ".user-claim", block.get("user-claim")));
		List<String> claims = list(field + ".claims", block.get("claims"), MAX_CLAIMS);
		return new BearerBlock(issuer, audience, Set.copyOf(scopes),
				(userClaim != null) ? userClaim : DEFAULT_USER_CLAIM, claims,
				client(field + ".introspection", block.get("introspection")));
	}

	static String issuer(String field, Object raw) {
		if (raw == null) {
			throw new IllegalArgumentException(
					field + ": missing (expected: the issuer's URL, such as https://id.example.com)");
		}
		String issuer = headerSafe(field, BlockValues.text(field, raw));
		URI uri;
		try {
			uri = new URI(issuer);
		}
		catch (Exception ex) {
			uri = null;
		}
		if (uri == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
				|| uri.getRawAuthority() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
			throw BlockValues.invalid(field, issuer, "an http or https URL without query or fragment");
		}
		return issuer;
	}

	private static IssuerClient client(String field, Object raw) {
		if (raw == null) {
			return null;
		}
		Map<String, Object> block = BlockValues.block(field, raw);
		BlockValues.checkKeys(field, block, CLIENT_KEYS);
		for (String key : CLIENT_KEYS) {
			if (block.get(key) == null) {
				throw new IllegalArgumentException(
						field + "." + key + ": missing (expected: client-id and client-secret)");
			}
		}
		String clientId = field + ".client-id";
		String secret = field + ".client-secret";
		return new IssuerClient(null, headerSafe(clientId, BlockValues.text(clientId, block.get("client-id"))),
				headerSafe(secret, BlockValues.text(secret, block.get("client-secret"))));
	}

	/**
	 * A list of texts (one text is a list of one), each header-safe, at most {@code max}.
	 */
	static List<String> list(String field, Object raw, int max) {
		List<String> values = BlockValues.texts(field, raw);
		if (values.size() > max) {
			throw new IllegalArgumentException(
					field + ": " + values.size() + " entries (expected: at most " + max + ")");
		}
		for (int i = 0; i < values.size(); i++) {
			headerSafe(field + "[" + i + "]", values.get(i));
		}
		return values;
	}

	/**
	 * A value of printable ASCII no longer than {@link #MAX_VALUE}, so nothing in it can
	 * end a header line or bloat the claims handed on; {@code null} passes.
	 */
	static String headerSafe(String field, String value) {
		if (value == null) {
			return null;
		}
		if (value.length() > MAX_VALUE) {
			throw new IllegalArgumentException(
					field + ": " + value.length() + " characters (expected: at most " + MAX_VALUE + ")");
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < 0x20 || c > 0x7e) {
				throw new IllegalArgumentException(field + ": contains a character outside printable ASCII");
			}
		}
		return value;
	}

	/** RFC 6749 section 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
	static boolean isScopeToken(String scope) {
		for (int i = 0; i < scope.length(); i++) {
			char c = scope.charAt(i);
			if (c <= 0x20 || c == '"' || c == '\\' || c > 0x7e) {
				return false;
			}
		}
		return true;
	}

}
