package dev.capuchin.app.security;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;

/**
 * What follows a console sign-in: a success goes to the page first asked for (or the
 * dashboard); a failure goes back to the sign-in page, which keeps the name typed and
 * says either "wrong name or password" or, when the {@link PasswordThrottle} refused the
 * attempt, when to try again. The throttle itself counts in
 * {@link ThrottledAuthenticationManager}.
 */
public final class ConsoleSignInHandlers {

	/** The session attribute holding the name of the last failed sign-in. */
	public static final String LAST_USERNAME = "CAPUCHIN_SIGN_IN_USERNAME";

	private static final int MAX_NAME_LENGTH = 64;

	private ConsoleSignInHandlers() {
	}

	static final class Success extends SavedRequestAwareAuthenticationSuccessHandler {

		Success() {
			setDefaultTargetUrl(ConsoleSecurityConfiguration.HOME);
		}

		@Override
		public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
				Authentication authentication) throws ServletException, IOException {
			if (request.getSession(false) != null) {
				request.getSession(false).removeAttribute(LAST_USERNAME);
			}
			super.onAuthenticationSuccess(request, response, authentication);
		}

	}

	static final class Failure implements AuthenticationFailureHandler {

		@Override
		public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
				AuthenticationException exception) throws IOException {
			String username = request.getParameter("username");
			if (username != null && username.length() <= MAX_NAME_LENGTH) {
				request.getSession().setAttribute(LAST_USERNAME, username);
			}
			String login = request.getContextPath() + ConsoleSecurityConfiguration.LOGIN;
			response.sendRedirect((exception instanceof PasswordThrottledException throttled)
					? login + "?throttled=" + throttled.until().getEpochSecond() : login + "?error");
		}

	}

}
