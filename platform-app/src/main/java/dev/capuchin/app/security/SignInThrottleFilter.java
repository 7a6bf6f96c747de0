package dev.capuchin.app.security;

import java.io.IOException;
import java.time.Duration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a console sign-in attempt, before the password is checked, while its client
 * address or user name is throttled: the browser goes back to the sign-in page, which
 * says for how long.
 */
class SignInThrottleFilter extends OncePerRequestFilter {

	private final SignInThrottle throttle;

	private final RequestMatcher signIn;

	SignInThrottleFilter(SignInThrottle throttle, RequestMatcher signIn) {
		this.throttle = throttle;
		this.signIn = signIn;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (this.signIn.matches(request)) {
			Duration left = this.throttle.refusedFor(request.getRemoteAddr(), request.getParameter("username"));
			if (!left.isZero()) {
				response.sendRedirect(throttledUrl(request, left));
				return;
			}
		}
		chain.doFilter(request, response);
	}

	static String throttledUrl(HttpServletRequest request, Duration left) {
		long minutes = Math.max(1, (left.toSeconds() + 59) / 60);
		return request.getContextPath() + ConsoleSecurityConfiguration.LOGIN + "?throttled=" + minutes;
	}

}
