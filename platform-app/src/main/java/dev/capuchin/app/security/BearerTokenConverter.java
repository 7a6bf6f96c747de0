package dev.capuchin.app.security;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Reads {@code Authorization: Bearer <token>} (RFC 6750, section 2.1); any other request
 * passes on to HTTP Basic. A token in a query parameter or form field is not read: it
 * would end up in access logs and browser history.
 */
final class BearerTokenConverter implements AuthenticationConverter {

	private static final String SCHEME = "Bearer";

	@Override
	public Authentication convert(HttpServletRequest request) {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
				|| (header.length() > SCHEME.length() && header.charAt(SCHEME.length()) != ' ')) {
			return null;
		}
		String token = header.substring(SCHEME.length()).trim();
		if (token.isEmpty()) {
			throw new InvalidApiTokenException("the Authorization header carries no token");
		}
		return ApiTokenAuthentication.unauthenticated(token);
	}

}
