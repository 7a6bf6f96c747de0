package dev.capuchin.plugin.auth.internal;

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

}
