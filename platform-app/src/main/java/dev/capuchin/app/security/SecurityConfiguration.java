package dev.capuchin.app.security;

import dev.capuchin.app.tokens.ApiTokenService;
import java.time.Clock;

import dev.capuchin.app.audit.AuditLog;
import dev.capuchin.app.shared.console.ConsoleProperties;
import dev.capuchin.app.users.ConsoleUserStore;
import dev.capuchin.app.tokens.TokenStore;
import jakarta.servlet.DispatcherType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Security of the control listener outside the console: {@code /actuator/health} is open;
 * everything else authenticates each request on its own, without a session, with HTTP
 * Basic (the built-in {@code admin} and the console's accounts) or an API token
 * ({@code Authorization: Bearer cap_…}). Reading ({@code GET}, {@code HEAD}) needs an
 * admin account or any token, and for {@code /api/} (but accounts) a viewer account will
 * do; changing needs an admin account or a {@code write} token; tokens are managed by
 * admin accounts only. Basic passwords go through the shared {@link PasswordThrottle}: a
 * locked name or address gets {@code 429} with {@code Retry-After}.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(SecurityConfiguration.class);

	private static final String ADMIN = "ROLE_ADMIN";

	private static final String OPERATOR = "ROLE_OPERATOR";

	private static final String VIEWER = "ROLE_VIEWER";

	@Bean
	PasswordEncoder passwordEncoder() {
		return PasswordEncoderFactories.createDelegatingPasswordEncoder();
	}

	@Bean
	CapuchinUserDetailsService capuchinAccounts(
			@Value("${" + AdminAccount.ENVIRONMENT_VARIABLE + ":}") String configured, PasswordEncoder encoder,
			ConsoleUserStore users) {
		AdminAccount account = AdminAccount.from(configured);
		if (account.generated()) {
			logger.warn("\n\n    Generated admin password: {}\n    Set {} to choose your own.\n", account.password(),
					AdminAccount.ENVIRONMENT_VARIABLE);
		}
		return new CapuchinUserDetailsService(account, encoder, users);
	}

	@Bean
	ApiTokenService apiTokenService(TokenStore tokens, AuditLog audit, TransactionTemplate transactions) {
		return new ApiTokenService(tokens, audit, transactions, Clock.systemUTC());
	}

	@Bean
	PasswordThrottle passwordThrottle(ConsoleProperties properties) {
		return new PasswordThrottle(properties.signIn().settings());
	}

	/**
	 * The console accounts' passwords, checked behind the shared throttle: the console
	 * form and HTTP Basic use it alike.
	 */
	static AuthenticationManager accountPasswords(CapuchinUserDetailsService accounts, PasswordEncoder encoder,
			PasswordThrottle throttle) {
		DaoAuthenticationProvider provider = new DaoAuthenticationProvider(accounts);
		provider.setPasswordEncoder(encoder);
		return new ThrottledAuthenticationManager(new ProviderManager(provider), throttle);
	}

	@Bean
	@Order(2)
	SecurityFilterChain controlPlane(HttpSecurity http, ApiTokenService tokens, CapuchinUserDetailsService accounts,
			PasswordEncoder encoder, PasswordThrottle throttle) throws Exception {
		http.authenticationManager(accountPasswords(accounts, encoder, throttle));
		PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
		RequestMatcher api = paths.matcher("/api/**");
		RequestMatcher accountPaths = new OrRequestMatcher(paths.matcher("/api/users"), paths.matcher("/api/users/**"),
				paths.matcher("/api/sign-in-locks"), paths.matcher("/api/sign-in-locks/**"));
		RequestMatcher identityPaths = new OrRequestMatcher(paths.matcher("/api/oauth-clients"),
				paths.matcher("/api/oauth-clients/**"), paths.matcher("/api/signing-keys"),
				paths.matcher("/api/signing-keys/**"), paths.matcher("/api/openid-logins"),
				paths.matcher("/api/openid-logins/**"), paths.matcher("/api/config"), paths.matcher("/api/config/**"));
		RequestMatcher reads = new OrRequestMatcher(paths.matcher(HttpMethod.GET, "/**"),
				paths.matcher(HttpMethod.HEAD, "/**"));
		http.authorizeHttpRequests((requests) -> requests.requestMatchers(EndpointRequest.to(HealthEndpoint.class))
			.permitAll()
			// the error page of a request that was already let through or refused
			.dispatcherTypeMatchers(DispatcherType.ERROR)
			.permitAll()
			// tokens are managed by admin accounts only: a token cannot make a
			// longer-lived one
			.requestMatchers(paths.matcher("/api/tokens"), paths.matcher("/api/tokens/**"))
			.hasRole("ADMIN")
			// accounts and their sign-in locks: admins and tokens, not viewers (as on the
			// console)
			.requestMatchers(new AndRequestMatcher(reads, accountPaths))
			.hasAnyAuthority(ADMIN, ApiTokenAuthentication.READ)
			.requestMatchers(accountPaths)
			.hasAnyAuthority(ADMIN, ApiTokenAuthentication.WRITE)
			// a discovery fetch makes the node request a URL of the caller's choosing:
			// only those who may save a login
			.requestMatchers(paths.matcher("/api/openid-logins/discovery"))
			.hasAnyAuthority(ADMIN, ApiTokenAuthentication.WRITE)
			.requestMatchers(new AndRequestMatcher(reads, api))
			.hasAnyAuthority(ADMIN, OPERATOR, VIEWER, ApiTokenAuthentication.READ)
			.requestMatchers(reads)
			.hasAnyAuthority(ADMIN, ApiTokenAuthentication.READ)
			// identity settings and whole configuration documents (they may carry OAuth
			// clients): admins and tokens, not operators
			.requestMatchers(identityPaths)
			.hasAnyAuthority(ADMIN, ApiTokenAuthentication.WRITE)
			// sites, locations, access rules, upstreams and realms: operators too
			.requestMatchers(api)
			.hasAnyAuthority(ADMIN, OPERATOR, ApiTokenAuthentication.WRITE)
			.anyRequest()
			.hasAnyAuthority(ADMIN, ApiTokenAuthentication.WRITE));
		ApiEntryPoint entryPoint = new ApiEntryPoint();
		http.httpBasic((basic) -> basic.realmName(ApiErrors.REALM).authenticationEntryPoint(entryPoint));
		http.addFilterBefore(new CrossSiteRequestFilter(), CsrfFilter.class);
		http.addFilterBefore(bearerTokens(tokens, entryPoint), BasicAuthenticationFilter.class);
		http.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(entryPoint)
			.accessDeniedHandler(new ApiAccessDeniedHandler()));
		// every request authenticates itself: a console session never opens the API
		http.securityContext(
				(context) -> context.securityContextRepository(new RequestAttributeSecurityContextRepository()));
		http.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
		// scripts authenticate each request with Basic or a token and no cookie is read
		// here; without CORS a browser cannot send a cross-site PUT, DELETE or JSON post,
		// and the cross-site filter refuses the posts it can send
		http.csrf((csrf) -> csrf.ignoringRequestMatchers(EndpointRequest.toAnyEndpoint()).ignoringRequestMatchers(api));
		return http.build();
	}

	/**
	 * {@code Authorization: Bearer cap_…}: checked against the store on every request, so
	 * a revoked token stops at once; requests without a bearer token go on to Basic.
	 */
	private static AuthenticationFilter bearerTokens(ApiTokenService tokens, ApiEntryPoint entryPoint) {
		AuthenticationFilter filter = new AuthenticationFilter(
				new ProviderManager(new ApiTokenAuthenticationProvider(tokens)), new BearerTokenConverter());
		filter.setSecurityContextRepository(new RequestAttributeSecurityContextRepository());
		filter.setSuccessHandler((request, response, authentication) -> {
		});
		filter.setFailureHandler(new AuthenticationEntryPointFailureHandler(entryPoint));
		return filter;
	}

}
