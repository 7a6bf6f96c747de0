package dev.capuchin.app.security;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * 401 from the API and Actuator: an unknown, expired or revoked token gets
 * {@code WWW-Authenticate: Bearer error="invalid_token"} (RFC 6750); a request without
 * credentials, or with a wrong password, gets both the Basic and the Bearer challenge.
 * The body says what is wrong, in the API's error format. A user name or address locked
 * by the {@link PasswordThrottle} gets {@code 429} with {@code Retry-After}.
 */
final class ApiEntryPoint implements AuthenticationEntryPoint {

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
			throws IOException {
		if (exception instanceof PasswordThrottledException throttled) {
			// no challenge: a new password would not be looked at before Retry-After
			response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(throttled.retryAfterSeconds()));
			ApiErrors.write(response, 429, "authorization: too many failed sign-ins for this user name or address; "
					+ "retry after " + throttled.retryAfterSeconds() + " s");
			return;
		}
		if (exception instanceof InvalidApiTokenException) {
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, ApiErrors.bearer("invalid_token", exception.getMessage()));
			ApiErrors.write(response, HttpServletResponse.SC_UNAUTHORIZED, "token: " + exception.getMessage());
			return;
		}
		response.addHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + ApiErrors.REALM + "\"");
		response.addHeader(HttpHeaders.WWW_AUTHENTICATE, ApiErrors.bearer(null, null));
		boolean basic = request.getHeader(HttpHeaders.AUTHORIZATION) != null;
		ApiErrors.write(response, HttpServletResponse.SC_UNAUTHORIZED, basic
				? "authorization: wrong user name or password"
				: "authorization: missing (expected: HTTP Basic with a console account, or Bearer with an API token)");
	}

}
