package dev.capuchin.app.security;

import dev.capuchin.app.audit.AuditLog;
import dev.capuchin.app.openidlogins.OpenIdRegistrations;
import dev.capuchin.app.openidlogins.SameSiteContinuation;
import dev.capuchin.app.openidlogins.OpenIdTrial;
import dev.capuchin.app.shared.config.ConfigService;

import dev.capuchin.app.shared.console.ConsoleProperties;
import dev.capuchin.app.users.ConsoleUserStore;
import jakarta.servlet.DispatcherType;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestHeaderRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Security of the web console ({@code /}, {@code /console/**} and the WebJars): a session
 * from the console's own sign-in page, throttled sign-in, CSRF tokens on every form, a
 * strict content security policy, and two roles: {@code ADMIN} changes things,
 * {@code VIEWER} only looks. This chain comes before the API and Actuator chain, which
 * keeps HTTP Basic and never reads the console's session.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConsoleProperties.class)
class ConsoleSecurityConfiguration {

	/** The console's home page. */
	static final String HOME = "/console/";

	/** The console's sign-in page. */
	static final String LOGIN = "/console/login";

	/**
	 * The console's session cookie: its own name, as browsers share cookies across ports.
	 */
	static final String COOKIE = "CAPUCHIN_CONSOLE";

	/**
	 * What pages may load: only this origin's scripts and styles (no inline script or
	 * style), no framing, forms posting only here.
	 */
	static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

	@Bean
	@Order(1)
	SecurityFilterChain console(HttpSecurity http, PasswordThrottle throttle, CapuchinUserDetailsService accounts,
			ConsoleUserStore users, PasswordEncoder encoder, ConsoleOpenIdSignIn openId) throws Exception {
		http.authenticationManager(openId.manager(SecurityConfiguration.accountPasswords(accounts, encoder, throttle)));
		HttpSessionSecurityContextRepository contexts = new HttpSessionSecurityContextRepository();
		PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
		http.securityMatcher(new OrRequestMatcher(paths.matcher("/"), paths.matcher("/console"),
				paths.matcher("/console/**"), paths.matcher("/webjars/**")));
		http.authorizeHttpRequests((requests) -> requests
			// the refusal page and error pages that this chain's own handlers forward to
			.dispatcherTypeMatchers(DispatcherType.FORWARD, DispatcherType.ERROR)
			.permitAll()
			.requestMatchers(paths.matcher("/"), paths.matcher("/console"), paths.matcher(LOGIN),
					paths.matcher(ConsoleOpenIdSignIn.START + "/**"), paths.matcher(ConsoleOpenIdSignIn.REFUSED),
					paths.matcher("/console/css/**"), paths.matcher("/console/js/**"), paths.matcher("/console/img/**"),
					paths.matcher("/webjars/**"))
			.permitAll()
			.requestMatchers(paths.matcher(HttpMethod.POST, "/console/logout"))
			.authenticated()
			.requestMatchers(paths.matcher("/console/users"), paths.matcher("/console/users/**"),
					paths.matcher("/console/tokens"), paths.matcher("/console/tokens/**"),
					paths.matcher("/console/sign-in-locks"), paths.matcher("/console/sign-in-locks/**"))
			.hasRole("ADMIN")
			.requestMatchers(paths.matcher(HttpMethod.GET, "/console/**"),
					paths.matcher(HttpMethod.HEAD, "/console/**"))
			.hasAnyRole("ADMIN", "OPERATOR", "VIEWER")
			// identity settings, and whole imports (a document may carry OAuth clients):
			// admins only
			.requestMatchers(paths.matcher("/console/oauth-clients/**"), paths.matcher("/console/signing-keys/**"),
					paths.matcher("/console/openid-logins"), paths.matcher("/console/openid-logins/**"),
					paths.matcher("/console/import"), paths.matcher("/console/import/**"))
			.hasRole("ADMIN")
			// sites, locations, access rules, upstreams and realms
			.anyRequest()
			.hasAnyRole("ADMIN", "OPERATOR"));
		http.securityContext((context) -> context.securityContextRepository(contexts));
		http.formLogin((form) -> form.loginPage(LOGIN)
			.loginProcessingUrl(LOGIN)
			.successHandler(new SignInHandlers.Success())
			.failureHandler(openId.passwordFailure(SignInHandlers.failure(LOGIN))));
		// single sign-on through the OpenID logins with a console mapping; the
		// authorization request waits in a sealed Lax cookie (the Strict session cookie
		// does not come back from a provider on another site), the person's tokens are
		// not kept, and the last step is a page of this site (SameSiteContinuation)
		ClientRegistrationRepository registrations = openId.registrations();
		http.oauth2Login((login) -> login.loginPage(LOGIN)
			.clientRegistrationRepository(registrations)
			.authorizedClientRepository(OpenIdRegistrations.noAuthorizedClients())
			.authorizationEndpoint((endpoint) -> endpoint.baseUri(ConsoleOpenIdSignIn.START)
				.authorizationRequestResolver(openId.logins().requestResolver(registrations, ConsoleOpenIdSignIn.START))
				.authorizationRequestRepository(openId.states()))
			.redirectionEndpoint((endpoint) -> endpoint.baseUri(ConsoleOpenIdSignIn.START + "/*/callback"))
			.tokenEndpoint((endpoint) -> endpoint.accessTokenResponseClient(openId.trial().tokenClient()))
			.userInfoEndpoint((userInfo) -> userInfo.oidcUserService(openId.users()))
			.successHandler(SameSiteContinuation.success(new SignInHandlers.Success()))
			.failureHandler(SameSiteContinuation.failure(openId.failure())));
		http.logout((logout) -> logout.logoutRequestMatcher(paths.matcher(HttpMethod.POST, "/console/logout"))
			.logoutSuccessUrl(LOGIN + "?signed-out")
			.deleteCookies(COOKIE));
		http.requestCache((cache) -> cache.requestCache(requestCache(paths)));
		http.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(new ConsoleEntryPoint())
			.accessDeniedHandler(accessDenied()));
		http.headers((headers) -> headers.contentSecurityPolicy((csp) -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
			.frameOptions((frames) -> frames.deny())
			.referrerPolicy((referrer) -> referrer.policy(ReferrerPolicy.SAME_ORIGIN)));
		http.addFilterBefore(new ConsoleAccountRefreshFilter(users, accounts, contexts, openId),
				AnonymousAuthenticationFilter.class);
		return http.build();
	}

	/**
	 * Only pages are remembered for after sign-in, not live fragments or JSON.
	 */
	private static HttpSessionRequestCache requestCache(PathPatternRequestMatcher.Builder paths) {
		HttpSessionRequestCache cache = new HttpSessionRequestCache();
		// after sign-in, the page itself rather than the page with "?continue"
		cache.setMatchingRequestParameterName(null);
		RequestMatcher page = new AndRequestMatcher(paths.matcher(HttpMethod.GET, "/console/**"),
				new NegatedRequestMatcher(new OrRequestMatcher(new RequestHeaderRequestMatcher("HX-Request"),
						paths.matcher("/console/live/**"), paths.matcher("/console/metrics/**"),
						paths.matcher("/console/export"))));
		cache.setRequestMatcher(page);
		return cache;
	}

	private static AccessDeniedHandlerImpl accessDenied() {
		AccessDeniedHandlerImpl handler = new AccessDeniedHandlerImpl();
		handler.setErrorPage("/console/denied");
		return handler;
	}

	@Bean
	ConsoleOpenIdSignIn consoleOpenIdSignIn(OpenIdRegistrations registrations, OpenIdTrial trial, AuditLog audit,
			ConfigService config) {
		return new ConsoleOpenIdSignIn(registrations, trial, audit, () -> config.current().openidLogins());
	}

}
