package dev.capuchin.app.identity;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.capuchin.app.security.PasswordThrottle;
import dev.capuchin.app.security.SignInHandlers;
import dev.capuchin.app.security.ThrottledAuthenticationManager;

import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The identity sign-in's pieces: which client (and so which realm) asked, the password
 * throttle shared with the console and the API, and the check that a signed-in realm user
 * only authorizes clients of their own realm.
 */
final class IdentitySignIn {

	/** The session attribute of the authorization request waiting for a sign-in. */
	static final String SAVED_REQUEST = "CAPUCHIN_IDENTITY_SAVED_REQUEST";

	/** The session attribute of the signed-in realm user (apart from the console's). */
	static final String CONTEXT = "CAPUCHIN_IDENTITY_CONTEXT";

	/** The token type of a device flow's user code in the authorization store. */
	static final OAuth2TokenType USER_CODE = new OAuth2TokenType(OAuth2ParameterNames.USER_CODE);

	private final RegisteredClientRepository clients;

	private final OAuth2AuthorizationService authorizations;

	private final PasswordThrottle throttle;

	private final HttpSessionRequestCache requests;

	IdentitySignIn(RegisteredClientRepository clients, OAuth2AuthorizationService authorizations,
			PasswordThrottle throttle) {
		this.clients = clients;
		this.authorizations = authorizations;
		this.throttle = throttle;
		this.requests = new HttpSessionRequestCache();
		this.requests.setSessionAttrName(SAVED_REQUEST);
		this.requests.setMatchingRequestParameterName(null);
	}

	HttpSessionRequestCache requestCache() {
		return this.requests;
	}

	/**
	 * The client whose authorization request waits for this sign-in.
	 * @return the client, or {@code null}
	 */
	RegisteredClient waitingClient(HttpServletRequest request) {
		SavedRequest saved = this.requests.getRequest(request, null);
		if (saved == null) {
			return null;
		}
		String[] clientId = saved.getParameterValues(OAuth2ParameterNames.CLIENT_ID);
		if (clientId != null && clientId.length == 1) {
			return this.clients.findByClientId(clientId[0]);
		}
		// a device verification names no client: its user code does
		String[] userCode = saved.getParameterValues(OAuth2ParameterNames.USER_CODE);
		return (userCode != null && userCode.length == 1) ? deviceClient(userCode[0]) : null;
	}

	/**
	 * The client whose device authorization a user code belongs to, while that code can
	 * still be entered.
	 * @param userCode the user code as typed (any case, with or without its dash)
	 * @return the client, or {@code null} for an unknown, used or expired code
	 */
	RegisteredClient deviceClient(String userCode) {
		OAuth2Authorization authorization = deviceAuthorization(userCode);
		return (authorization != null) ? this.clients.findById(authorization.getRegisteredClientId()) : null;
	}

	/**
	 * The device authorization waiting for a user code.
	 * @param userCode the user code as typed
	 * @return the authorization, or {@code null} for an unknown, used or expired code
	 */
	OAuth2Authorization deviceAuthorization(String userCode) {
		String normalized = normalizeUserCode(userCode);
		if (normalized == null) {
			return null;
		}
		OAuth2Authorization authorization = this.authorizations.findByToken(normalized, USER_CODE);
		if (authorization == null) {
			return null;
		}
		OAuth2Authorization.Token<?> token = authorization.getToken(normalized);
		return (token != null && token.isActive()) ? authorization : null;
	}

	/**
	 * A user code in the form the server issues ({@code BCDF-GHJK}): upper case, only
	 * letters and digits, a dash after the fourth.
	 * @param userCode the code as typed
	 * @return the code, or {@code null} when it cannot be one
	 */
	static String normalizeUserCode(String userCode) {
		if (userCode == null || userCode.length() > 64) {
			return null;
		}
		String bare = userCode.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]+", "");
		return (bare.length() == 8) ? bare.substring(0, 4) + "-" + bare.substring(4) : null;
	}

	/**
	 * The realm whose users may sign in now: the waiting client's.
	 */
	String realm(HttpServletRequest request) {
		RegisteredClient client = waitingClient(request);
		return (client != null) ? client.getClientSettings().getSetting(OAuthClients.REALM) : null;
	}

	/**
	 * The realm users' passwords, checked behind the shared throttle.
	 */
	AuthenticationManager passwords(AuthenticationProvider realmUsers) {
		return new ThrottledAuthenticationManager(new ProviderManager(realmUsers), this.throttle);
	}

	SavedRequestAwareAuthenticationSuccessHandler success() {
		SavedRequestAwareAuthenticationSuccessHandler handler = new SavedRequestAwareAuthenticationSuccessHandler() {

			@Override
			public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
					Authentication authentication) throws ServletException, IOException {
				SignInHandlers.forget(request, IdentityConfiguration.SIGN_IN);
				super.onAuthenticationSuccess(request, response, authentication);
			}

		};
		handler.setRequestCache(this.requests);
		handler.setDefaultTargetUrl(IdentityConfiguration.SIGN_IN + "?signed-in");
		return handler;
	}

	AuthenticationFailureHandler failure() {
		return SignInHandlers.failure(IdentityConfiguration.SIGN_IN);
	}

	/**
	 * A user signed in to one realm who comes back for a client of another realm signs in
	 * again: the authorization (or device verification) endpoint sees no user for this
	 * request.
	 */
	OncePerRequestFilter realmMatchFilter(RequestMatcher authorize) {
		return new OncePerRequestFilter() {

			@Override
			protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
					throws ServletException, IOException {
				if (authorize.matches(request)) {
					Authentication user = SecurityContextHolder.getContext().getAuthentication();
					String realm = RealmUserAuthenticationProvider.realmOf(user);
					String clientId = request.getParameter(OAuth2ParameterNames.CLIENT_ID);
					String userCode = request.getParameter(OAuth2ParameterNames.USER_CODE);
					RegisteredClient client = (clientId != null) ? IdentitySignIn.this.clients.findByClientId(clientId)
							: (userCode != null) ? deviceClient(userCode) : null;
					if (user != null && client != null && !String.valueOf(realm)
						.equals(client.getClientSettings().getSetting(OAuthClients.REALM))) {
						SecurityContextHolder.clearContext();
					}
				}
				chain.doFilter(request, response);
			}

		};
	}

}
