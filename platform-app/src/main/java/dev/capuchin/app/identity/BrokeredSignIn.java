package dev.capuchin.app.identity;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.capuchin.app.openidlogins.OpenIdLogin;
import dev.capuchin.app.openidlogins.OpenIdRegistrations;
import dev.capuchin.app.openidlogins.OpenIdTrial;
import dev.capuchin.app.openidlogins.SealedAuthorizationRequests;
import dev.capuchin.app.realms.Realm;
import dev.capuchin.app.realms.RealmChanges;
import dev.capuchin.app.realms.RealmRules;
import dev.capuchin.app.realms.RealmUser;
import dev.capuchin.app.security.SignInHandlers;
import dev.capuchin.app.shared.config.ConfigService;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;

/**
 * Brokering: the authorization server's sign-in page offers the OpenID logins whose
 * {@code broker.realm} is the realm of the client that asked, and a person who signs in
 * through one becomes a user of that realm. The first sign-in links the provider's
 * subject to the realm user with the same verified email (link-claim {@code email}) or
 * makes a new realm user with a random password nobody knows, so it is never usable in
 * the password form or a data-plane realm; every later sign-in finds the same user
 * through the link, kept in {@code openid_login_link}.
 */
final class BrokeredSignIn {

	/** Where a sign-in through a login starts: {@code /identity/sign-in/openid/corp}. */
	static final String START = IdentityConfiguration.SIGN_IN + "/openid";

	/** The callback, the redirect URI to register at the provider. */
	static final String CALLBACK = START + "/{registrationId}/callback";

	/** The claim that carries the realm user's name. */
	static final String REALM_USER_CLAIM = "capuchin_realm_user";

	/** The session attribute of the last refusal's reason. */
	static final String REFUSAL = "CAPUCHIN_IDENTITY_OPENID_REFUSAL";

	/** The random bytes of a brokered user's password, which nobody is told. */
	private static final int UNKNOWN_PASSWORD_BYTES = 32;

	private static final Logger logger = LoggerFactory.getLogger(BrokeredSignIn.class);

	private final SecureRandom random = new SecureRandom();

	private final OpenIdRegistrations registrations;

	private final OpenIdTrial trial;

	private final ConfigService config;

	private final RealmChanges realms;

	private final JdbcTemplate jdbc;

	BrokeredSignIn(OpenIdRegistrations registrations, OpenIdTrial trial, ConfigService config, RealmChanges realms,
			JdbcTemplate jdbc) {
		this.registrations = registrations;
		this.trial = trial;
		this.config = config;
		this.realms = realms;
		this.jdbc = jdbc;
	}

	/**
	 * The logins a realm's sign-in page offers.
	 * @param realm the realm, or {@code null}
	 * @return the logins
	 */
	List<OpenIdLogin> offered(String realm) {
		if (realm == null) {
			return List.of();
		}
		return this.config.current()
			.openidLogins()
			.stream()
			.filter((login) -> login.broker() != null && login.broker().realm().equals(realm))
			.toList();
	}

	ClientRegistrationRepository registrations() {
		return this.registrations.repository((login) -> login.broker() != null, "{baseUrl}" + CALLBACK);
	}

	OpenIdTrial trial() {
		return this.trial;
	}

	/**
	 * Where a brokered sign-in waits while the browser is at the provider.
	 * @return a sealed cookie for the sign-in's paths
	 */
	SealedAuthorizationRequests states(HttpSessionRequestCache waiting) {
		return this.registrations.states("identity", START + "/", (request) -> {
			SavedRequest saved = waiting.getRequest(request, null);
			return (saved != null) ? saved.getRedirectUrl() : null;
		});
	}

	/**
	 * After the provider, where the sign-in goes on: to the authorization request that
	 * waited when it started, carried in the sealed state, when the session no longer has
	 * it (a provider on another site brought no session back); else as the sign-in page's
	 * handler decides.
	 * @param then the identity sign-in's success handler
	 * @param waiting the requests that wait for a sign-in
	 * @return the handler
	 */
	AuthenticationSuccessHandler continuing(AuthenticationSuccessHandler then, HttpSessionRequestCache waiting) {
		return (request, response, authentication) -> {
			String next = SealedAuthorizationRequests.continuingTo(request);
			if (next != null && waiting.getRequest(request, response) == null) {
				SignInHandlers.forget(request, IdentityConfiguration.SIGN_IN);
				response.sendRedirect(request.getContextPath() + next);
				return;
			}
			then.onAuthenticationSuccess(request, response, authentication);
		};
	}

	/**
	 * The authorization requests: only for a login the waiting client's realm offers.
	 */
	OAuth2AuthorizationRequestResolver requestResolver(ClientRegistrationRepository repository,
			java.util.function.Function<HttpServletRequest, String> realm) {
		OAuth2AuthorizationRequestResolver resolver = this.registrations.requestResolver(repository, START);
		return new OAuth2AuthorizationRequestResolver() {

			@Override
			public OAuth2AuthorizationRequest resolve(HttpServletRequest request) {
				return allowed(request, resolver.resolve(request));
			}

			@Override
			public OAuth2AuthorizationRequest resolve(HttpServletRequest request, String registrationId) {
				return allowed(request, resolver.resolve(request, registrationId));
			}

			private OAuth2AuthorizationRequest allowed(HttpServletRequest request, OAuth2AuthorizationRequest asked) {
				if (asked == null) {
					return null;
				}
				String login = asked.getAttribute(OAuth2ParameterNames.REGISTRATION_ID);
				String waiting = realm.apply(request);
				return BrokeredSignIn.this.offered(waiting).stream().anyMatch((offered) -> offered.name().equals(login))
						? asked : null;
			}

		};
	}

	/**
	 * The person signed in through a login, as the realm user they are linked to (made
	 * now on their first sign-in).
	 * @return the user service of the identity chain's OAuth2 login
	 */
	OAuth2UserService<OidcUserRequest, OidcUser> users() {
		return (request) -> {
			OidcUser person = this.trial.userService().loadUser(request);
			String name = request.getClientRegistration().getRegistrationId();
			OpenIdLogin login = this.registrations.find(name)
				.filter((found) -> found.broker() != null)
				.orElseThrow(() -> refused("login " + name + " no longer signs in here"));
			String user = realmUser(login, person.getClaims());
			Map<String, Object> info = new java.util.LinkedHashMap<>((person.getUserInfo() != null)
					? person.getUserInfo().getClaims() : Map.of("sub", person.getSubject()));
			info.put(REALM_USER_CLAIM, user);
			return new DefaultOidcUser(
					List.of(new SimpleGrantedAuthority(
							RealmUserAuthenticationProvider.REALM_AUTHORITY + login.broker().realm())),
					person.getIdToken(), new OidcUserInfo(info), REALM_USER_CLAIM);
		};
	}

	/**
	 * The realm user a person is: the one linked before, else the one with their verified
	 * email (link-claim {@code email}), else a new one; the link is stored either way.
	 * @param login the login
	 * @param claims the person's claims
	 * @return the realm user's name
	 * @throws OAuth2AuthenticationException when the person cannot be a user of the realm
	 */
	String realmUser(OpenIdLogin login, Map<String, Object> claims) {
		String realmName = login.broker().realm();
		Realm realm = this.config.current()
			.realm(realmName)
			.orElseThrow(() -> refused("the realm " + realmName + " of login " + login.name() + " does not exist"));
		String subject = text(claims.get("sub"));
		if (subject == null || subject.length() > 255) {
			throw refused("the provider sent no usable sub claim");
		}
		String email = text(claims.get(login.claims().email()));
		if (!login.allowedDomains().isEmpty() && !login.allowedDomains().contains(domain(email))) {
			throw refused("the email's domain is not one login " + login.name() + " allows");
		}
		Optional<String> linked = linked(login.name(), subject, realmName);
		if (linked.isPresent() && realm.user(linked.get()).isPresent()) {
			return linked.get();
		}
		// a user deleted since is linked afresh
		linked.ifPresent((gone) -> this.jdbc.update(
				"delete from openid_login_link where login = ? and subject = ? and realm = ?", login.name(), subject,
				realmName));
		boolean verified = !Boolean.FALSE.equals(claims.get("email_verified"))
				&& !"false".equals(String.valueOf(claims.get("email_verified")));
		if (OpenIdLogin.Broker.EMAIL.equals(login.broker().linkClaim()) && email != null && verified) {
			List<RealmUser> same = realm.users()
				.stream()
				.filter((user) -> user.email() != null && user.email().equalsIgnoreCase(email))
				.toList();
			if (same.size() == 1) {
				return link(login, subject, realmName, same.get(0).name(), false);
			}
		}
		String user = create(login, realm, claims, email);
		return link(login, subject, realmName, user, true);
	}

	private String create(OpenIdLogin login, Realm realm, Map<String, Object> claims, String email) {
		String wanted = text(claims.get(login.userClaim()));
		List<String> candidates = new ArrayList<>();
		if (wanted != null) {
			candidates.add(wanted);
			candidates.add(wanted + "." + login.name());
		}
		String user = candidates.stream()
			.filter((candidate) -> RealmRules.userProblem(candidate) == null)
			.filter((candidate) -> realm.user(candidate).isEmpty())
			.findFirst()
			.orElseThrow(() -> refused("the user name claim " + login.userClaim() + " of login " + login.name()
					+ " gives no name free in realm " + realm.name()));
		String displayName = text(claims.get(login.claims().name()));
		List<String> groups = groups(claims.get(login.claims().groups()));
		String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes());
		this.realms.addUser(realm.name(), user, password,
				(email != null && RealmRules.emailProblem(email) == null) ? email : null,
				(displayName != null && RealmRules.displayNameProblem(displayName) == null) ? displayName : null,
				(RealmRules.groupsProblem(groups) == null) ? groups : null, "openid-login " + login.name());
		logger.info("Realm {}: user {} made on a first sign-in through OpenID login {}", realm.name(), user,
				login.name());
		return user;
	}

	/**
	 * After the provider: the realm user is signed in exactly as the password form signs
	 * them in (their name, their realm, the time), so consent, codes and tokens follow as
	 * for a local sign-in; then the authorization request that waited goes on.
	 * @param then the identity sign-in's success handler
	 * @param contexts where the identity chain keeps the signed-in user
	 * @return the success handler
	 */
	AuthenticationSuccessHandler success(AuthenticationSuccessHandler then, SecurityContextRepository contexts) {
		return (request, response, authentication) -> {
			String realm = RealmUserAuthenticationProvider.realmOf(authentication);
			UsernamePasswordAuthenticationToken user = UsernamePasswordAuthenticationToken.authenticated(
					authentication.getName(), null,
					List.of(new SimpleGrantedAuthority(RealmUserAuthenticationProvider.REALM_AUTHORITY + realm),
							FactorGrantedAuthority.withAuthority(FactorGrantedAuthority.AUTHORIZATION_CODE_AUTHORITY)
								.issuedAt(Instant.now())
								.build()));
			SecurityContext context = SecurityContextHolder.createEmptyContext();
			context.setAuthentication(user);
			SecurityContextHolder.setContext(context);
			contexts.saveContext(context, request, response);
			then.onAuthenticationSuccess(request, response, user);
		};
	}

	/**
	 * A refused sign-in through a login: back to the sign-in page, which says why.
	 * @return the failure handler
	 */
	AuthenticationFailureHandler failure() {
		return (request, response, exception) -> {
			String reason = (exception instanceof OAuth2AuthenticationException oauth)
					? (oauth.getError().getDescription() != null) ? oauth.getError().getDescription()
							: oauth.getError().getErrorCode()
					: exception.getMessage();
			logger.info("Identity sign-in through an OpenID login refused from {}: {}", request.getRemoteAddr(),
					reason);
			request.getSession().setAttribute(REFUSAL, reason);
			response.sendRedirect(request.getContextPath() + IdentityConfiguration.SIGN_IN + "?openid-refused");
		};
	}

	/**
	 * Why the last sign-in through a login was refused in this browser.
	 * @param request the request for the sign-in page
	 * @return the reason, or {@code null}
	 */
	static String refusal(HttpServletRequest request) {
		jakarta.servlet.http.HttpSession session = request.getSession(false);
		return (session != null) ? (String) session.getAttribute(REFUSAL) : null;
	}

	private byte[] bytes() {
		byte[] bytes = new byte[UNKNOWN_PASSWORD_BYTES];
		this.random.nextBytes(bytes);
		return bytes;
	}

	private String link(OpenIdLogin login, String subject, String realm, String user, boolean created) {
		try {
			this.jdbc.update(
					"insert into openid_login_link (login, subject, realm, username, created, linked_at) "
							+ "values (?, ?, ?, ?, ?, ?)",
					login.name(), subject, realm, user, created, Timestamp.from(Instant.now()));
			return user;
		}
		catch (DuplicateKeyException ex) {
			// another node linked the same person first: theirs holds
			return linked(login.name(), subject, realm).orElse(user);
		}
	}

	private Optional<String> linked(String login, String subject, String realm) {
		return this.jdbc
			.queryForList("select username from openid_login_link where login = ? and subject = ? and realm = ?",
					String.class, login, subject, realm)
			.stream()
			.findFirst();
	}

	private static OAuth2AuthenticationException refused(String description) {
		return new OAuth2AuthenticationException(new OAuth2Error("access_denied", description, null));
	}

	private static String domain(String email) {
		if (email == null || email.indexOf('@') < 0) {
			return null;
		}
		return email.substring(email.lastIndexOf('@') + 1).trim().toLowerCase(Locale.ROOT);
	}

	private static String text(Object value) {
		return (value != null && !String.valueOf(value).isBlank()) ? String.valueOf(value).strip() : null;
	}

	private static List<String> groups(Object value) {
		List<String> groups = new ArrayList<>();
		if (value instanceof Iterable<?> list) {
			list.forEach((group) -> groups.add(String.valueOf(group)));
		}
		else if (value != null) {
			groups.add(String.valueOf(value));
		}
		return groups;
	}

}
