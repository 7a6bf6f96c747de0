package dev.capuchin.app.openidlogins;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;

/**
 * The OpenID logins as Spring Security's OAuth2 client sees them, for sign-ins other than
 * "Try it": a {@link ClientRegistrationRepository} read from the logins in the store (so
 * a login changed in the console applies at the next sign-in, on every node), each
 * registration built from its provider's discovery document. A registration is kept for
 * {@link #REMEMBERED} so a sign-in, which asks for it at its start and at its callback,
 * fetches the document at most once; a changed login is another key and is built afresh.
 */
public final class OpenIdRegistrations {

	/** How long a login's registration (and so its discovery document) is kept. */
	public static final Duration REMEMBERED = Duration.ofMinutes(5);

	private final OpenIdLogins logins;

	private final OpenIdLoginKeys keys;

	private final Cache<Key, ClientRegistration> registrations = Caffeine.newBuilder()
		.expireAfterWrite(REMEMBERED)
		.maximumSize(2L * OpenIdLoginRules.MAX_LOGINS)
		.build();

	/**
	 * @param logins the logins
	 * @param keys decrypts their secrets
	 */
	public OpenIdRegistrations(OpenIdLogins logins, OpenIdLoginKeys keys) {
		this.logins = logins;
		this.keys = keys;
	}

	/**
	 * The logins that a predicate offers, as registrations with one redirect URI.
	 * @param offered which logins this sign-in offers
	 * @param redirectUri the redirect URI template, {@code {registrationId}} being the
	 * login's name
	 * @return the repository; a login not offered, or whose provider cannot be reached,
	 * is not found
	 */
	public ClientRegistrationRepository repository(Predicate<OpenIdLogin> offered, String redirectUri) {
		return (name) -> find(name).filter(offered).map((login) -> registration(login, redirectUri)).orElse(null);
	}

	/**
	 * One login.
	 * @param name its name
	 * @return the login
	 */
	public Optional<OpenIdLogin> find(String name) {
		return (name != null) ? this.logins.find(name) : Optional.empty();
	}

	/**
	 * The authorization requests of a sign-in: PKCE for confidential clients too, and the
	 * login's extra parameters ({@code prompt}, {@code acr_values}).
	 * @param repository the sign-in's registrations
	 * @param baseUri where the sign-in starts ({@code baseUri/{login}})
	 * @return the resolver
	 */
	public OAuth2AuthorizationRequestResolver requestResolver(ClientRegistrationRepository repository, String baseUri) {
		DefaultOAuth2AuthorizationRequestResolver resolver = new DefaultOAuth2AuthorizationRequestResolver(repository,
				baseUri);
		resolver.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce()
			.andThen((builder) -> builder
				.attributes((attributes) -> find((String) attributes.get(OAuth2ParameterNames.REGISTRATION_ID))
					.ifPresent((login) -> builder
						.additionalParameters((parameters) -> parameters.putAll(login.parameters()))))));
		return resolver;
	}

	/**
	 * Where a sign-in's authorization request waits while the browser is at the provider:
	 * a sealed {@code SameSite=Lax} cookie, so that a provider on another site returns to
	 * a sign-in that is still there.
	 * @param purpose which sign-in, such as {@code console}: its sealing key and cookie
	 * name
	 * @param path the cookie's path, covering the sign-in's start and callback
	 * @return the repository
	 */
	public SealedAuthorizationRequests states(String purpose, String path) {
		return states(purpose, path, (request) -> null);
	}

	/**
	 * Where a sign-in's authorization request waits, with what waited in the session when
	 * it started (see {@link SealedAuthorizationRequests}).
	 * @param purpose which sign-in: its sealing key and cookie name
	 * @param path the cookie's path
	 * @param waiting the URL waiting at the start of a sign-in, or {@code null}
	 * @return the repository
	 */
	public SealedAuthorizationRequests states(String purpose, String path,
			java.util.function.Function<HttpServletRequest, String> waiting) {
		return new SealedAuthorizationRequests("CAPUCHIN_OPENID_" + purpose.toUpperCase(java.util.Locale.ROOT), path,
				() -> this.keys.signInStateKey(purpose), Clock.systemUTC(), waiting);
	}

	/**
	 * Where a sign-in's authorized client would be kept: nowhere, as the console and the
	 * authorization server need the person, not the provider's tokens.
	 * @return a repository that keeps nothing
	 */
	public static OAuth2AuthorizedClientRepository noAuthorizedClients() {
		return new OAuth2AuthorizedClientRepository() {

			@Override
			public <T extends OAuth2AuthorizedClient> T loadAuthorizedClient(String clientRegistrationId,
					Authentication principal, HttpServletRequest request) {
				return null;
			}

			@Override
			public void saveAuthorizedClient(OAuth2AuthorizedClient authorizedClient, Authentication principal,
					HttpServletRequest request, HttpServletResponse response) {
			}

			@Override
			public void removeAuthorizedClient(String clientRegistrationId, Authentication principal,
					HttpServletRequest request, HttpServletResponse response) {
			}

		};
	}

	private ClientRegistration registration(OpenIdLogin login, String redirectUri) {
		return this.registrations.get(new Key(login, redirectUri), (key) -> {
			try {
				return OpenIdTrial.registration(login, this.logins.discover(login.issuer()),
						login.hasSecret() ? this.keys.decrypt(login.clientSecretEncrypted()) : null, redirectUri);
			}
			catch (IllegalArgumentException ex) {
				// not remembered: the next sign-in tries again
				return null;
			}
		});
	}

	private record Key(OpenIdLogin login, String redirectUri) {
	}

}
