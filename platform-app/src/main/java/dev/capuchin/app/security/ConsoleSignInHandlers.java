package dev.capuchin.app.security;

import java.io.IOException;
import java.time.Duration;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;

/**
 * What follows a console sign-in: a success clears the name's failures and goes to the
 * page first asked for (or the dashboard); a failure is counted for the address and the
 * name, and the sign-in page says either "wrong name or password" or, once the limit is
 * reached, for how long attempts are refused.
 */
final class ConsoleSignInHandlers {

	private ConsoleSignInHandlers() {
	}

	static final class Success extends SavedRequestAwareAuthenticationSuccessHandler {

		private final SignInThrottle throttle;

		Success(SignInThrottle throttle) {
			this.throttle = throttle;
			setDefaultTargetUrl(ConsoleSecurityConfiguration.HOME);
		}

		@Override
		public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
				Authentication authentication) throws ServletException, IOException {
			this.throttle.succeeded(authentication.getName());
			super.onAuthenticationSuccess(request, response, authentication);
		}

	}

	static final class Failure implements AuthenticationFailureHandler {

		private final SignInThrottle throttle;

		Failure(SignInThrottle throttle) {
			this.throttle = throttle;
		}

		@Override
		public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
				AuthenticationException exception) throws IOException {
			String address = request.getRemoteAddr();
			String username = request.getParameter("username");
			this.throttle.failed(address, username);
			Duration left = this.throttle.refusedFor(address, username);
			response
				.sendRedirect(left.isZero() ? request.getContextPath() + ConsoleSecurityConfiguration.LOGIN + "?error"
						: SignInThrottleFilter.throttledUrl(request, left));
		}

	}

}
