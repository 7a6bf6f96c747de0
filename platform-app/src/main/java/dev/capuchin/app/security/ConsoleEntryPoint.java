package dev.capuchin.app.security;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;

/**
 * Where an unauthenticated console request goes: pages to the sign-in page; htmx requests
 * (a live fragment whose session ended) get 401 with {@code HX-Redirect}, so the whole
 * page goes to the sign-in page instead of the fragment; the JSON endpoints get a plain
 * 401.
 */
class ConsoleEntryPoint implements AuthenticationEntryPoint {

	private final LoginUrlAuthenticationEntryPoint login = new LoginUrlAuthenticationEntryPoint(
			ConsoleSecurityConfiguration.LOGIN);

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
			throws IOException, ServletException {
		if (request.getHeader("HX-Request") != null) {
			response.setHeader("HX-Redirect", request.getContextPath() + ConsoleSecurityConfiguration.LOGIN);
			response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
		}
		else if (request.getRequestURI().startsWith(request.getContextPath() + "/console/metrics/")) {
			response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
		}
		else {
			this.login.commence(request, response, exception);
		}
	}

}
