package dev.capuchin.app.identity;

import java.time.Clock;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

import dev.capuchin.app.audit.AuditLog;
import dev.capuchin.app.openidlogins.OpenIdRegistrations;
import dev.capuchin.app.openidlogins.SameSiteContinuation;
import dev.capuchin.app.openidlogins.OpenIdTrial;
import dev.capuchin.app.realms.RealmChanges;
import dev.capuchin.app.shared.config.ConfigService;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.authentication.builders.AuthenticationManagerBuilder;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.ClientSecretAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import jakarta.servlet.DispatcherType;

import dev.capuchin.app.security.PasswordThrottle;
import dev.capuchin.app.shared.console.ConsoleProperties;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.util.StringUtils;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.http.converter.OAuth2ErrorHttpMessageConverter;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationSuccessHandler;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.function.SingletonSupplier;

/**
 * The authorization server's wiring: its JDBC stores in the configuration store, the
 * signing keys, the issuer, and a security filter chain for the identity endpoints only
 * (Spring's default paths: {@code /oauth2/*}, {@code /.well-known/*}, {@code /userinfo},
 * {@code /connect/logout}), placed before the console's and the API's chains so each
 * keeps its own sign-in.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IdentityProperties.class)
class IdentityConfiguration {

	/** Where a browser signs in to the authorization server. */
	static final String SIGN_IN = "/identity/sign-in";

	/** Where a signed-in realm user consents. */
	static final String CONSENT = "/identity/consent";

	/**
	 * The device flow's verification page (RFC 8628 {@code verification_uri}, Spring's
	 * default path): without a {@code user_code} it is Capuchin's page that asks for one;
	 * with one, Spring's endpoint.
	 */
	static final String DEVICE_VERIFICATION = "/oauth2/device_verification";

	/** Where the verification page's form is posted (with its CSRF token). */
	static final String DEVICE = "/identity/device";

	/**
	 * The store of every client, disabled ones too: not a bean, so the authorization
	 * server finds only {@link EnabledClients}.
	 */
	private final JdbcRegisteredClientRepository store;

	IdentityConfiguration(JdbcTemplate jdbc) {
		this.store = new JdbcRegisteredClientRepository(jdbc);
	}

	@Bean
	EnabledClients registeredClientRepository() {
		return new EnabledClients(this.store);
	}

	@Bean
	OAuth2AuthorizationService authorizationService(JdbcTemplate jdbc, AuditLog audit) {
		// authorizations of a disabled client still read (to be listed and revoked)
		return new ReuseDetectingAuthorizationService(new JdbcOAuth2AuthorizationService(jdbc, this.store), jdbc, audit,
				Clock.systemUTC());
	}

	@Bean
	OAuth2AuthorizationConsentService authorizationConsentService(JdbcTemplate jdbc) {
		return new JdbcOAuth2AuthorizationConsentService(jdbc, this.store);
	}

	@Bean
	OAuthClients oauthClients(JdbcTemplate jdbc, TransactionTemplate transactions, PasswordEncoder encoder,
			AuditLog audit, ConfigService config, IdentityProperties properties) {
		return new OAuthClients(this.store, jdbc, transactions, encoder, audit,
				(realm) -> config.current().realm(realm).isPresent(), properties.keyOverlap(), Clock.systemUTC());
	}

	@Bean
	AuthorizationServerSettings authorizationServerSettings(IdentityProperties properties) {
		AuthorizationServerSettings.Builder settings = AuthorizationServerSettings.builder();
		if (properties.issuer() != null) {
			settings.issuer(properties.issuer());
		}
		return settings.build();
	}

	@Bean
	SigningKeys signingKeys(JdbcTemplate jdbc, TransactionTemplate transactions, IdentityProperties properties,
			@Value("${" + MasterKey.ENVIRONMENT_VARIABLE + ":}") String masterKey) {
		// read when the first key is made or read, not at start: a node that never
		// issues a token needs no master key
		SingletonSupplier<MasterKey> key = SingletonSupplier
			.of(() -> MasterKey.load(masterKey, properties.masterKeyFile()));
		return new SigningKeys(jdbc, transactions, key, properties.keyOverlap(), properties.keyRefresh(),
				Clock.systemUTC());
	}

	@Bean
	JWKSource<SecurityContext> jwkSource(SigningKeys keys) {
		return keys.verifying();
	}

	@Bean
	JwtEncoder jwtEncoder(SigningKeys keys) {
		return new NimbusJwtEncoder(keys.signing());
	}

	@Bean
	JwtDecoder jwtDecoder(SigningKeys keys) {
		return NimbusJwtDecoder.withJwkSource(keys.verifying()).build();
	}

	@Bean
	IdentitySignIn identitySignIn(EnabledClients clients, OAuth2AuthorizationService authorizations,
			PasswordThrottle throttle) {
		// the password throttle of the whole control plane
		return new IdentitySignIn(clients, authorizations, throttle);
	}

	@Bean
	BrokeredSignIn brokeredSignIn(OpenIdRegistrations registrations, OpenIdTrial trial, ConfigService config,
			RealmChanges realms, JdbcTemplate jdbc) {
		return new BrokeredSignIn(registrations, trial, config, realms, jdbc);
	}

	@Bean
	OAuth2TokenCustomizer<JwtEncodingContext> identityClaims(ConfigService config) {
		return new IdentityClaims(
				(realm, username) -> config.current().realm(realm).flatMap((found) -> found.user(username)));
	}

	@Bean
	@Order(0)
	SecurityFilterChain identity(HttpSecurity http, EnabledClients clients, OAuth2AuthorizationService authorizations,
			PasswordEncoder encoder, IdentitySignIn signIn, ConfigService config, JdbcTemplate jdbc,
			BrokeredSignIn brokered) throws Exception {
		// during a secret rotation's grace period, a client whose current secret failed
		// is checked once more against its previous secret, with the same checks
		ClientSecretAuthenticationProvider previousSecrets = new ClientSecretAuthenticationProvider(
				clients.previousSecrets(Clock.systemUTC()), authorizations);
		previousSecrets.setPasswordEncoder(encoder);
		PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
		OAuth2AuthorizationServerConfigurer server = new OAuth2AuthorizationServerConfigurer();
		http.securityMatcher(new OrRequestMatcher(server.getEndpointsMatcher(), paths.matcher("/identity/**")));
		http.with(server, (authorizationServer) -> authorizationServer
			.oidc((oidc) -> oidc.userInfoEndpoint((userInfo) -> userInfo.userInfoMapper(IdentityClaims::userInfo))
				.providerConfigurationEndpoint((discovery) -> discovery.providerConfigurationCustomizer(
						(configuration) -> configuration.scopes((scopes) -> supportedScopes(scopes, jdbc)))))
			.authorizationEndpoint((endpoint) -> endpoint.consentPage(CONSENT))
			.deviceVerificationEndpoint((endpoint) -> endpoint.consentPage(CONSENT)
				.deviceVerificationResponseHandler(
						new SimpleUrlAuthenticationSuccessHandler(DEVICE_VERIFICATION + "?approved"))
				.errorResponseHandler(new SimpleUrlAuthenticationFailureHandler(DEVICE_VERIFICATION + "?failed")))
			.clientAuthentication((authentication) -> authentication
				.authenticationProviders((providers) -> providers.add(previousSecrets))));
		http.authorizeHttpRequests(
				(requests) -> requests.dispatcherTypeMatchers(DispatcherType.FORWARD, DispatcherType.ERROR)
					.permitAll()
					.requestMatchers(paths.matcher(SIGN_IN), paths.matcher(HttpMethod.POST, DEVICE),
							paths.matcher(BrokeredSignIn.START + "/**"))
					.permitAll()
					// the page that asks for a user code; with a code, the user signs in
					.requestMatchers(new AndRequestMatcher(paths.matcher(HttpMethod.GET, DEVICE_VERIFICATION),
							(request) -> request.getParameter(OAuth2ParameterNames.USER_CODE) == null))
					.permitAll()
					.anyRequest()
					.authenticated());
		// the realm user's session is kept apart from a console session in the same
		// browser: another attribute, so a console admin is not a realm user here
		HttpSessionSecurityContextRepository contexts = new HttpSessionSecurityContextRepository();
		contexts.setSpringSecurityContextKey(IdentitySignIn.CONTEXT);
		http.securityContext((context) -> context.securityContextRepository(contexts));
		http.requestCache((cache) -> cache.requestCache(signIn.requestCache()));
		// realm users only: the console's accounts (the global authentication manager)
		// never sign in here
		http.getSharedObject(AuthenticationManagerBuilder.class).parentAuthenticationManager(null);
		RealmUserAuthenticationProvider realmUsers = new RealmUserAuthenticationProvider(config);
		http.authenticationProvider(realmUsers);
		http.formLogin((form) -> form.loginPage(SIGN_IN)
			// the sign-in form alone checks passwords, behind the shared throttle; the
			// authorization server's endpoints keep the chain's own manager
			.withObjectPostProcessor(new ObjectPostProcessor<UsernamePasswordAuthenticationFilter>() {

				@Override
				public <O extends UsernamePasswordAuthenticationFilter> O postProcess(O filter) {
					filter.setAuthenticationManager(signIn.passwords(realmUsers));
					return filter;
				}

			})
			.loginProcessingUrl(SIGN_IN)
			.authenticationDetailsSource(signIn::realm)
			.successHandler(signIn.success())
			.failureHandler(signIn.failure()));
		// brokering: the OpenID logins the waiting client's realm offers; after the
		// provider the realm user is signed in as the password form signs them in
		ClientRegistrationRepository registrations = brokered.registrations();
		http.oauth2Login((login) -> login.loginPage(SIGN_IN)
			.clientRegistrationRepository(registrations)
			.authorizedClientRepository(OpenIdRegistrations.noAuthorizedClients())
			.authorizationEndpoint((endpoint) -> endpoint.baseUri(BrokeredSignIn.START)
				.authorizationRequestResolver(brokered.requestResolver(registrations, signIn::realm))
				// a sealed Lax cookie: the Strict session does not come back from another
				// site
				.authorizationRequestRepository(brokered.states(signIn.requestCache())))
			.redirectionEndpoint((endpoint) -> endpoint.baseUri(BrokeredSignIn.START + "/*/callback"))
			.tokenEndpoint((endpoint) -> endpoint.accessTokenResponseClient(brokered.trial().tokenClient()))
			.userInfoEndpoint((userInfo) -> userInfo.oidcUserService(brokered.users()))
			.successHandler(SameSiteContinuation
				.success(brokered.success(brokered.continuing(signIn.success(), signIn.requestCache()), contexts)))
			.failureHandler(SameSiteContinuation.failure(brokered.failure())));
		http.addFilterAfter(
				signIn.realmMatchFilter(
						new OrRequestMatcher(paths.matcher("/oauth2/authorize"), paths.matcher(DEVICE_VERIFICATION))),
				SecurityContextHolderFilter.class);
		// userinfo and client registration read the access token
		http.oauth2ResourceServer((resourceServer) -> resourceServer.jwt(Customizer.withDefaults()));
		// a browser that is not signed in goes to the sign-in page; clients get a 401
		// a client that sent no credentials to an endpoint that needs them gets RFC
		// 6749's
		// invalid_client as JSON, which client libraries read (Spring answers a bare 401)
		RequestMatcher clientEndpoints = new OrRequestMatcher(paths.matcher(HttpMethod.POST, "/oauth2/token"),
				paths.matcher(HttpMethod.POST, "/oauth2/introspect"), paths.matcher(HttpMethod.POST, "/oauth2/revoke"),
				paths.matcher(HttpMethod.POST, "/oauth2/device_authorization"));
		http.exceptionHandling((exceptions) -> exceptions
			.defaultAuthenticationEntryPointFor(IdentityConfiguration::invalidClient, clientEndpoints)
			.defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint(SIGN_IN),
					new MediaTypeRequestMatcher(MediaType.TEXT_HTML)));
		http.headers((headers) -> headers
			.contentSecurityPolicy((csp) -> csp.policyDirectives("default-src 'self'; script-src 'self'; "
					+ "style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'"))
			.frameOptions((frames) -> frames.deny()));
		return http.build();
	}

	/**
	 * Discovery's {@code scopes_supported}: the scopes the claims understand, then those
	 * clients are registered with, read per request so a new client's scopes show at
	 * once.
	 */
	static void supportedScopes(List<String> scopes, JdbcTemplate jdbc) {
		Set<String> all = new LinkedHashSet<>(scopes);
		all.addAll(IdentityClaims.SCOPES);
		Set<String> registered = new TreeSet<>();
		for (String list : jdbc.queryForList("select scopes from oauth2_registered_client", String.class)) {
			registered.addAll(StringUtils.commaDelimitedListToSet(list));
		}
		all.addAll(registered);
		scopes.clear();
		scopes.addAll(all);
	}

	private static void invalidClient(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException exception) throws IOException {
		ServletServerHttpResponse answer = new ServletServerHttpResponse(response);
		answer.setStatusCode(HttpStatus.UNAUTHORIZED);
		new OAuth2ErrorHttpMessageConverter().write(
				new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT, "Client authentication required", null), null, answer);
	}

}
