package dev.capuchin.app.identity;

import java.time.Clock;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

import dev.capuchin.app.audit.AuditLog;
import dev.capuchin.app.shared.config.ConfigService;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.config.Customizer;
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
import org.springframework.security.web.SecurityFilterChain;
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
	OAuth2AuthorizationService authorizationService(JdbcTemplate jdbc) {
		// authorizations of a disabled client still read (to be listed and revoked)
		return new JdbcOAuth2AuthorizationService(jdbc, this.store);
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
	@Order(0)
	SecurityFilterChain identity(HttpSecurity http, EnabledClients clients, OAuth2AuthorizationService authorizations,
			PasswordEncoder encoder) throws Exception {
		// during a secret rotation's grace period, a client whose current secret failed
		// is checked once more against its previous secret, with the same checks
		ClientSecretAuthenticationProvider previousSecrets = new ClientSecretAuthenticationProvider(
				clients.previousSecrets(Clock.systemUTC()), authorizations);
		previousSecrets.setPasswordEncoder(encoder);
		OAuth2AuthorizationServerConfigurer server = new OAuth2AuthorizationServerConfigurer();
		http.securityMatcher(server.getEndpointsMatcher());
		http.with(server,
				(authorizationServer) -> authorizationServer.oidc(Customizer.withDefaults())
					.clientAuthentication((authentication) -> authentication
						.authenticationProviders((providers) -> providers.add(previousSecrets))));
		http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated());
		// userinfo and client registration read the access token
		http.oauth2ResourceServer((resourceServer) -> resourceServer.jwt(Customizer.withDefaults()));
		// a browser that is not signed in goes to the sign-in page; clients get a 401
		http.exceptionHandling((exceptions) -> exceptions.defaultAuthenticationEntryPointFor(
				new LoginUrlAuthenticationEntryPoint(SIGN_IN), new MediaTypeRequestMatcher(MediaType.TEXT_HTML)));
		return http.build();
	}

}
