package dev.capuchin.app.security;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * 403 from the API and Actuator: a token whose scope does not cover the request gets
 * {@code WWW-Authenticate: Bearer error="insufficient_scope"} (RFC 6750); an account
 * whose role does not gets a plain 403. The body says what would be needed.
 */
final class ApiAccessDeniedHandler implements AccessDeniedHandler {

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException exception)
			throws IOException {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		String path = request.getRequestURI().substring(request.getContextPath().length());
		boolean tokens = path.equals("/api/tokens") || path.startsWith("/api/tokens/");
		boolean read = HttpMethod.GET.matches(request.getMethod()) || HttpMethod.HEAD.matches(request.getMethod());
		if (authentication instanceof ApiTokenAuthentication) {
			String message = tokens ? "tokens are managed with an admin account, not with a token"
					: "scope: read (expected: write for " + request.getMethod() + ")";
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE,
					ApiErrors.bearer("insufficient_scope", message) + (tokens ? "" : ", scope=\"write\""));
			ApiErrors.write(response, HttpServletResponse.SC_FORBIDDEN, message);
			return;
		}
		String message = (read && !tokens && !path.startsWith("/api/users"))
				? "role: viewer (expected: admin for the Actuator endpoints)"
				: "role: viewer (expected: admin for " + request.getMethod() + " " + path + ")";
		ApiErrors.write(response, HttpServletResponse.SC_FORBIDDEN, message);
	}

}
