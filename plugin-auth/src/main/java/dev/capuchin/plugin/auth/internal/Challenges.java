package dev.capuchin.plugin.auth.internal;

import java.util.Collection;

/**
 * {@code WWW-Authenticate} values (RFC 9110 section 11.6.1).
 */
public final class Challenges {

	private Challenges() {
	}

	/**
	 * A value as an HTTP quoted-string: in double quotes, with {@code "} and {@code \}
	 * escaped by a backslash.
	 * @param value the value (printable ASCII)
	 * @return the quoted string
	 */
	public static String quoted(String value) {
		StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '"' || c == '\\') {
				quoted.append('\\');
			}
			quoted.append(c);
		}
		return quoted.append('"').toString();
	}

	/**
	 * The Basic challenge of a realm (RFC 7617), announcing UTF-8 credentials.
	 * @param realm the realm
	 * @return the header value
	 */
	public static String basic(String realm) {
		return "Basic realm=" + quoted(realm) + ", charset=\"UTF-8\"";
	}

	/**
	 * The Bearer challenge of a realm (RFC 6750 section 3), without an error: for a
	 * request that sent no token.
	 * @param realm the realm
	 * @return the header value
	 */
	public static String bearer(String realm) {
		return "Bearer realm=" + quoted(realm);
	}

	/**
	 * The Bearer challenge for a token that is expired, revoked, malformed or otherwise
	 * not valid.
	 * @param realm the realm
	 * @return the header value
	 */
	public static String invalidToken(String realm) {
		return bearer(realm) + ", error=\"invalid_token\"";
	}

	/**
	 * The Bearer challenge for a valid token without a scope the location requires.
	 * @param realm the realm
	 * @param scopes the scopes the location requires
	 * @return the header value
	 */
	public static String insufficientScope(String realm, Collection<String> scopes) {
		return bearer(realm) + ", error=\"insufficient_scope\", scope=" + quoted(String.join(" ", scopes));
	}

	/**
	 * The challenge of an {@code openid} location's 401, for a request that is not a page
	 * navigation (a script): it names the scheme and realm only, nothing of the provider.
	 * HTTP has no registered scheme for a sign-in through a browser; RFC 9110 section
	 * 11.6.1 still asks for a challenge with every 401.
	 * @param realm the realm
	 * @return the header value
	 */
	public static String openId(String realm) {
		return "OpenID realm=" + quoted(realm);
	}

}
