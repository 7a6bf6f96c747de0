package dev.capuchin.plugin.auth.internal;

import java.nio.charset.CharacterCodingException;
import java.util.Base64;

import dev.capuchin.core.spi.StrictUtf8;

/**
 * The user and password of an {@code Authorization: Basic} header (RFC 7617): base64 of
 * {@code user:password} in UTF-8, split at the first colon.
 *
 * @param user the user-id
 * @param password the password
 */
public record BasicCredentials(String user, String password) {

	private static final String SCHEME = "Basic";

	/**
	 * Whether an {@code Authorization} value uses the Basic scheme (case-insensitive).
	 * @param authorization the header value
	 * @return {@code true} for Basic credentials, well-formed or not
	 */
	public static boolean isBasic(String authorization) {
		return authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
				&& (authorization.length() == SCHEME.length() || authorization.charAt(SCHEME.length()) == ' ');
	}

	/**
	 * Decode the credentials of a Basic {@code Authorization} value.
	 * @param authorization the header value, whose scheme is Basic
	 * @return the credentials
	 * @throws IllegalArgumentException saying what is malformed (never quoting the value)
	 */
	public static BasicCredentials parse(String authorization) {
		String token = authorization.substring(SCHEME.length()).strip();
		if (token.isEmpty()) {
			throw new IllegalArgumentException("no credentials after Basic");
		}
		byte[] decoded;
		try {
			decoded = Base64.getDecoder().decode(token);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("credentials are not base64");
		}
		String text;
		try {
			text = StrictUtf8.decode(decoded);
		}
		catch (CharacterCodingException ex) {
			throw new IllegalArgumentException("credentials are not UTF-8");
		}
		int colon = text.indexOf(':');
		if (colon < 0) {
			throw new IllegalArgumentException("no ':' between user and password");
		}
		for (int i = 0; i < text.length(); i++) {
			if (Character.isISOControl(text.charAt(i))) {
				throw new IllegalArgumentException("control character in credentials");
			}
		}
		return new BasicCredentials(text.substring(0, colon), text.substring(colon + 1));
	}

	@Override
	public String toString() {
		return "BasicCredentials[user=" + this.user + "]";
	}

}
