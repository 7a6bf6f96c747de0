package dev.capuchin.core.internal.server;

/**
 * The syntax of a {@code Host} header value, {@code uri-host [ ":" port ]} (RFC 9110
 * §7.2, RFC 3986 §3.2.2). A request with any other value gets 400 (RFC 9112 §3.2): a host
 * with a slash, an at-sign or a space must not reach site resolution or a redirect.
 */
final class HostHeader {

	private static final String REG_NAME_EXTRA = "-._~!$&'()*+,;=%";

	private HostHeader() {
	}

	/**
	 * Whether a {@code Host} value is syntactically valid. An empty value is (the target
	 * URI may have no authority).
	 * @param value the header value, trimmed of surrounding whitespace by the decoder
	 * @return {@code true} when valid
	 */
	static boolean isValid(String value) {
		int portStart;
		if (value.startsWith("[")) {
			int close = value.indexOf(']');
			if (close < 2 || !isIpLiteral(value, 1, close)) {
				return false;
			}
			portStart = close + 1;
		}
		else {
			int colon = value.indexOf(':');
			portStart = (colon >= 0) ? colon : value.length();
			for (int i = 0; i < portStart; i++) {
				char c = value.charAt(i);
				if (!isAlphaNumeric(c) && REG_NAME_EXTRA.indexOf(c) < 0) {
					return false;
				}
			}
		}
		if (portStart == value.length()) {
			return true;
		}
		if (value.charAt(portStart) != ':') {
			return false;
		}
		for (int i = portStart + 1; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < '0' || c > '9') {
				return false;
			}
		}
		return true;
	}

	private static boolean isIpLiteral(String value, int start, int end) {
		for (int i = start; i < end; i++) {
			char c = value.charAt(i);
			if (!isAlphaNumeric(c) && c != ':' && c != '.' && c != '%' && c != '-' && c != '_' && c != '~') {
				return false;
			}
		}
		return true;
	}

	private static boolean isAlphaNumeric(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
	}

}
