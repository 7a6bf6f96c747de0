package dev.capuchin.app.security;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.capuchin.app.audit.AuditLog;
import dev.capuchin.app.openidlogins.OpenIdLogin;
import dev.capuchin.app.openidlogins.OpenIdRegistrations;
import dev.capuchin.app.openidlogins.OpenIdTrial;
import dev.capuchin.app.openidlogins.SealedAuthorizationRequests;
import dev.capuchin.app.users.ConsoleUser;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderNotFoundException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.client.authentication.OAuth2LoginAuthenticationToken;
import org.springframework.security.oauth2.client.oidc.authentication.OidcAuthorizationCodeAuthenticationProvider;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The console's single sign-on through the OpenID logins that have a console mapping: the
 * registrations Spring Security's OAuth2 client signs in with, the mapping of a claim's
 * values to a console role (the highest wins), the refusal of a person without a role
 * (with its audit entry and page), and the rule that console users of some email domains
 * must use a login rather than a password. The sign-in page reads {@link #offered()}.
 */
public final class ConsoleOpenIdSignIn {

	/** Where a sign-in through a login starts: {@code /console/login/openid/corp}. */
	static final String START = "/console/login/openid";

	/** The callback, the redirect URI to register at the provider. */
	static final String CALLBACK = START + "/{registrationId}/callback";

	/** The page that says why a sign-in through a login was refused. */
	static final String REFUSED = "/console/login/refused";

	/** The error code of a person whom no claim value gives a role. */
	static final String NO_ROLE = "capuchin_no_console_role";

	/** The claim that carries the console's name for a person: {@code corp:alice}. */
	static final String NAME_CLAIM = "capuchin_console_user";

	/** The session attribute of the last refusal's reason. */
	static final String REFUSAL = "CAPUCHIN_CONSOLE_OPENID_REFUSAL";

	/** The session attribute of the login the password form pointed to. */
	static final String USE_LOGIN = "CAPUCHIN_CONSOLE_USE_LOGIN";

	private static final Logger logger = LoggerFactory.getLogger(ConsoleOpenIdSignIn.class);

	private final OpenIdRegistrations registrations;

	private final OpenIdTrial trial;

	private final AuditLog audit;

	private final java.util.function.Supplier<List<OpenIdLogin>> logins;

	ConsoleOpenIdSignIn(OpenIdRegistrations registrations, OpenIdTrial trial, AuditLog audit,
			java.util.function.Supplier<List<OpenIdLogin>> logins) {
		this.registrations = registrations;
		this.trial = trial;
		this.audit = audit;
		this.logins = logins;
	}

	/**
	 * The logins the console's sign-in page offers, in the order listed.
	 * @return the logins with a console mapping
	 */
	public List<OpenIdLogin> offered() {
		return this.logins.get().stream().filter((login) -> login.console() != null).toList();
	}

	/**
	 * The login the last refused password sign-in in this browser pointed to.
	 * @return the login's name, or {@code null}
	 */
	public String pointedTo() {
		if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
			HttpSession session = attributes.getRequest().getSession(false);
			return (session != null) ? (String) session.getAttribute(USE_LOGIN) : null;
		}
		return null;
	}

	/**
	 * The reason of the last refused sign-in through a login in this browser.
	 * @param request the request for the refusal page
	 * @return the reason, or {@code null}
	 */
	public String refusal(HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		return (session != null) ? (String) session.getAttribute(REFUSAL) : null;
	}

	ClientRegistrationRepository registrations() {
		return this.registrations.repository((login) -> login.console() != null, "{baseUrl}" + CALLBACK);
	}

	OpenIdRegistrations logins() {
		return this.registrations;
	}

	/**
	 * Where a console sign-in waits while the browser is at the provider.
	 * @return a sealed cookie for the sign-in's paths
	 */
	SealedAuthorizationRequests states() {
		return this.registrations.states("console", START + "/");
	}

	OpenIdTrial trial() {
		return this.trial;
	}

	/**
	 * The console role a person's claims give through a login's mapping.
	 * @param console the mapping
	 * @param claims the claims
	 * @return the highest role, or empty
	 */
	static Optional<ConsoleUser.Role> role(OpenIdLogin.Console console, Map<String, Object> claims) {
		return Optional.ofNullable(console.role(claims))
			.map((role) -> ConsoleUser.Role.valueOf(role.toUpperCase(Locale.ROOT)));
	}

	/**
	 * The person signed in through a login, with the role the login's mapping gives; one
	 * without a role, outside the login's allowed domains, or without a user name is
	 * refused.
	 * @return the user service of the console's OAuth2 login
	 */
	OAuth2UserService<OidcUserRequest, OidcUser> users() {
		return (request) -> {
			OidcUser user = this.trial.userService().loadUser(request);
			String name = request.getClientRegistration().getRegistrationId();
			OpenIdLogin login = this.registrations.find(name)
				.filter((found) -> found.console() != null)
				.orElseThrow(() -> refused("login " + name + " no longer signs in to the console"));
			Map<String, Object> claims = user.getClaims();
			String person = text(claims.get(login.userClaim()));
			if (person == null) {
				throw refused("the provider sent no " + login.userClaim() + " claim (the login's user name claim)");
			}
			String email = text(claims.get(login.claims().email()));
			if (!login.allowedDomains().isEmpty() && !login.allowedDomains().contains(domain(email))) {
				throw refused(person + ": the email's domain is not one this login allows");
			}
			Optional<ConsoleUser.Role> role = role(login.console(), claims);
			if (role.isEmpty()) {
				throw new OAuth2AuthenticationException(new OAuth2Error(NO_ROLE,
						person + " signed in at " + login.name() + ", but no value of the claim '"
								+ login.console().claim() + "' gives a console role",
						null));
			}
			Map<String, Object> info = new LinkedHashMap<>(
					(user.getUserInfo() != null) ? user.getUserInfo().getClaims() : Map.of("sub", user.getSubject()));
			info.put(NAME_CLAIM, login.name() + ":" + person);
			List<GrantedAuthority> authorities = new ArrayList<>(
					List.of(new SimpleGrantedAuthority("ROLE_" + role.get().name())));
			return new DefaultOidcUser(authorities, user.getIdToken(), new OidcUserInfo(info), NAME_CLAIM);
		};
	}

	/**
	 * A refused sign-in through a login: an audit entry, the reason kept for the refusal
	 * page, and that page.
	 * @return the failure handler
	 */
	AuthenticationFailureHandler failure() {
		return (HttpServletRequest request, HttpServletResponse response, AuthenticationException exception) -> {
			String reason = reason(exception);
			logger.info("Console sign-in through an OpenID login refused from {}: {}", request.getRemoteAddr(), reason);
			this.audit.record("openid-login", "refused", "console sign-in", null, reason);
			request.getSession().setAttribute(REFUSAL, reason);
			response.sendRedirect(request.getContextPath() + REFUSED);
		};
	}

	/**
	 * Why a sign-in was refused, for the refusal page: the console's own refusals by
	 * their description; the provider's and the protocol's with their error code first
	 * ({@code invalid_client: client authentication failed} for a client key the provider
	 * does not know), which is what an admin looks up.
	 */
	static String reason(AuthenticationException exception) {
		if (!(exception instanceof OAuth2AuthenticationException oauth)) {
			return exception.getMessage();
		}
		OAuth2Error error = oauth.getError();
		if (NO_ROLE.equals(error.getErrorCode()) && error.getDescription() != null) {
			return error.getDescription();
		}
		return error.getErrorCode() + ((error.getDescription() != null) ? ": " + error.getDescription() : "");
	}

	/**
	 * The login a console user name or email must sign in through, if its domain is one a
	 * login requires.
	 * @param username the name typed in the password form
	 * @return the login, or empty
	 */
	Optional<OpenIdLogin> requiredFor(String username) {
		String domain = domain(username);
		if (domain == null) {
			return Optional.empty();
		}
		return offered().stream().filter((login) -> login.console().requiredDomains().contains(domain)).findFirst();
	}

	/**
	 * The console chain's authentication manager: a sign-in through a login goes to
	 * Spring's OpenID Connect code provider (the chain's explicit manager would otherwise
	 * hide the one the OAuth2 login adds); a password sign-in of a name whose domain must
	 * use a login is refused before the password is looked at; every other sign-in goes
	 * to the password check.
	 * @param passwords the password check
	 * @return the manager
	 */
	AuthenticationManager manager(AuthenticationManager passwords) {
		OidcAuthorizationCodeAuthenticationProvider openId = new OidcAuthorizationCodeAuthenticationProvider(
				this.trial.tokenClient(), users());
		return (authentication) -> {
			if (authentication instanceof OAuth2LoginAuthenticationToken) {
				Authentication signedIn = openId.authenticate(authentication);
				if (signedIn == null) {
					throw new ProviderNotFoundException("not an OpenID Connect sign-in (expected: scope openid)");
				}
				return signedIn;
			}
			if (authentication instanceof UsernamePasswordAuthenticationToken) {
				Optional<OpenIdLogin> login = requiredFor(authentication.getName());
				if (login.isPresent()) {
					throw new OpenIdRequiredException(login.get().name());
				}
			}
			return passwords.authenticate(authentication);
		};
	}

	/**
	 * Back to the sign-in page after a refused password sign-in: one that must use a
	 * login says which; the others as before.
	 * @param others the handler of the other failures
	 * @return the handler
	 */
	AuthenticationFailureHandler passwordFailure(AuthenticationFailureHandler others) {
		return (request, response, exception) -> {
			if (exception instanceof OpenIdRequiredException required) {
				logger.info("Password sign-in from {} refused: the name's domain signs in through {}",
						request.getRemoteAddr(), required.login());
				request.getSession().setAttribute(USE_LOGIN, required.login());
				response.sendRedirect(request.getContextPath() + ConsoleSecurityConfiguration.LOGIN + "?use-login");
				return;
			}
			others.onAuthenticationFailure(request, response, exception);
		};
	}

	/**
	 * Whether a signed-in person still has the role their session holds: the login still
	 * signs in to the console and its mapping still gives that role.
	 * @param registrationId the login
	 * @param claims the person's claims
	 * @return the role now, or empty when the person has none any more
	 */
	Optional<ConsoleUser.Role> roleNow(String registrationId, Map<String, Object> claims) {
		return this.registrations.find(registrationId)
			.filter((login) -> login.console() != null)
			.flatMap((login) -> role(login.console(), claims));
	}

	private static OAuth2AuthenticationException refused(String description) {
		return new OAuth2AuthenticationException(new OAuth2Error(NO_ROLE, description, null));
	}

	private static String domain(String email) {
		if (email == null || email.indexOf('@') < 0) {
			return null;
		}
		return email.substring(email.lastIndexOf('@') + 1).trim().toLowerCase(Locale.ROOT);
	}

	private static String text(Object value) {
		return (value != null && !String.valueOf(value).isBlank()) ? String.valueOf(value) : null;
	}

	/**
	 * A password sign-in refused because the name's domain must use a login.
	 */
	static final class OpenIdRequiredException extends AuthenticationException {

		private final String login;

		OpenIdRequiredException(String login) {
			super("this domain signs in through " + login);
			this.login = login;
		}

		String login() {
			return this.login;
		}

	}

}
