package dev.capuchin.app.security;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;

/**
 * What follows a sign-in on one of the sign-in pages (the console's, and the identity
 * page realm users see): a failure goes back to that page, which keeps the name typed and
 * says either "wrong name or password" or, when the {@link PasswordThrottle} refused the
 * attempt, the time to try again. The throttle itself counts in
 * {@link ThrottledAuthenticationManager}.
 */
public final class SignInHandlers {

	private static final String LAST_USERNAME = "CAPUCHIN_SIGN_IN_USERNAME:";

	private static final int MAX_NAME_LENGTH = 64;

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'", Locale.ROOT);

	private SignInHandlers() {
	}

	/**
	 * A console sign-in's success: the page first asked for, or the dashboard.
	 */
	static final class Success extends SavedRequestAwareAuthenticationSuccessHandler {

		Success() {
			setDefaultTargetUrl(ConsoleSecurityConfiguration.HOME);
		}

		@Override
		public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
				Authentication authentication) throws ServletException, IOException {
			forget(request, ConsoleSecurityConfiguration.LOGIN);
			super.onAuthenticationSuccess(request, response, authentication);
		}

	}

	/**
	 * Back to a sign-in page after a failure: {@code ?error}, or {@code ?throttled=} with
	 * the epoch second the throttle lifts.
	 * @param page the sign-in page's path
	 * @return the handler
	 */
	public static AuthenticationFailureHandler failure(String page) {
		return (HttpServletRequest request, HttpServletResponse response, AuthenticationException exception) -> {
			String username = request.getParameter("username");
			if (username != null && username.length() <= MAX_NAME_LENGTH) {
				request.getSession().setAttribute(LAST_USERNAME + page, username);
			}
			String target = request.getContextPath() + page;
			response.sendRedirect((exception instanceof PasswordThrottledException throttled)
					? target + "?throttled=" + throttled.until().getEpochSecond() : target + "?error");
		};
	}

	/**
	 * Forget the name of the last failed sign-in on a page (after a successful one).
	 * @param request the request
	 * @param page the sign-in page's path
	 */
	public static void forget(HttpServletRequest request, String page) {
		HttpSession session = request.getSession(false);
		if (session != null) {
			session.removeAttribute(LAST_USERNAME + page);
		}
	}

	/**
	 * What a sign-in page shows besides its form: {@code username} (the name of the last
	 * failed sign-in, or empty) and, when {@code ?throttled=} holds a time,
	 * {@code throttledUntil} and {@code throttledTime}. Only a time is ever shown,
	 * whatever else the link said.
	 * @param request the request for the page
	 * @param page the sign-in page's path
	 * @param throttled the {@code throttled} parameter, or {@code null}
	 * @return the model attributes
	 */
	public static Map<String, Object> pageModel(HttpServletRequest request, String page, String throttled) {
		HttpSession session = request.getSession(false);
		Object username = (session != null) ? session.getAttribute(LAST_USERNAME + page) : null;
		if (throttled == null || !throttled.matches("\\d{1,12}")) {
			return Map.of("username", (username instanceof String name) ? name : "");
		}
		Instant until = Instant.ofEpochSecond(Long.parseLong(throttled));
		return Map.of("username", (username instanceof String name) ? name : "", "throttledUntil",
				until.atOffset(ZoneOffset.UTC), "throttledTime", TIME.format(until.atOffset(ZoneOffset.UTC)));
	}

}
