package dev.capuchin.app.openidlogins;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import com.nimbusds.jose.jwk.JWK;

import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.converter.FormHttpMessageConverter;
import org.springframework.security.oauth2.client.authentication.OAuth2LoginAuthenticationToken;
import org.springframework.security.oauth2.client.endpoint.NimbusJwtClientAuthenticationParametersConverter;
import org.springframework.security.oauth2.client.endpoint.RestClientAuthorizationCodeTokenResponseClient;
import org.springframework.security.oauth2.client.http.OAuth2ErrorResponseErrorHandler;
import org.springframework.security.oauth2.client.oidc.authentication.OidcAuthorizationCodeAuthenticationProvider;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.userinfo.DefaultOAuth2UserService;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationExchange;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationResponse;
import org.springframework.security.oauth2.core.http.converter.OAuth2AccessTokenResponseHttpMessageConverter;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

/**
 * "Try it": a real sign-in through an OpenID login, with the console as the client, so an
 * admin sees the claims a provider sends and what the login's mappings make of them
 * before a location relies on it. Spring Security's OAuth2 client does the protocol: the
 * authorization request with PKCE, {@code state} and {@code nonce}, the code exchange,
 * and the ID token's validation (signature against the provider's keys, issuer, audience,
 * expiry, nonce), with the login's client authentication (a secret, or a client assertion
 * signed with its private key); this class only builds the client registration from the
 * login and reads the result. Every call to the provider has a time limit.
 */
public final class OpenIdTrial {

	/** The console's callback, under the console's own sign-in. */
	public static final String CALLBACK = "/console/openid-logins/{registrationId}/try/callback";

	private final OidcAuthorizationCodeAuthenticationProvider provider;

	private final RestClientAuthorizationCodeTokenResponseClient tokens;

	private final OidcUserService users;

	/**
	 * A trial whose logins have no private keys.
	 * @param timeout how long each call to the provider may take
	 */
	public OpenIdTrial(Duration timeout) {
		this(timeout, (login) -> null);
	}

	/**
	 * @param timeout how long each call to the provider may take
	 * @param clientKeys the private key of a {@code private-key-jwt} login by its name
	 * (the registration id), or {@code null}
	 */
	public OpenIdTrial(Duration timeout, Function<String, JWK> clientKeys) {
		JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(
				HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build());
		requests.setReadTimeout(timeout);
		RestClientAuthorizationCodeTokenResponseClient tokens = new RestClientAuthorizationCodeTokenResponseClient();
		tokens.setRestClient(RestClient.builder().requestFactory(requests).messageConverters((converters) -> {
			converters.clear();
			converters.add(new FormHttpMessageConverter());
			converters.add(new OAuth2AccessTokenResponseHttpMessageConverter());
		}).defaultStatusHandler(new OAuth2ErrorResponseErrorHandler()).build());
		// private_key_jwt (RFC 7523): Spring Security signs the client assertion with the
		// login's key, looked up for each code exchange so a replaced key applies at once
		tokens.addParametersConverter(new NimbusJwtClientAuthenticationParametersConverter<>(
				(registration) -> clientKeys.apply(registration.getRegistrationId())));
		RestTemplate userInfo = new RestTemplate(requests);
		userInfo.setErrorHandler(new OAuth2ErrorResponseErrorHandler());
		DefaultOAuth2UserService users = new DefaultOAuth2UserService();
		users.setRestOperations(userInfo);
		OidcUserService oidcUsers = new OidcUserService();
		oidcUsers.setOauth2UserService(users);
		this.provider = new OidcAuthorizationCodeAuthenticationProvider(tokens, oidcUsers);
		this.tokens = tokens;
		this.users = oidcUsers;
	}

	/**
	 * The code exchange with this class's time limits, for other sign-ins through a login
	 * (the console's and the authorization server's).
	 * @return the token response client
	 */
	public RestClientAuthorizationCodeTokenResponseClient tokenClient() {
		return this.tokens;
	}

	/**
	 * The user info call with this class's time limits.
	 * @return the OpenID Connect user service
	 */
	public OidcUserService userService() {
		return this.users;
	}

	/**
	 * The client registration of a login, the console's try callback as its redirect URI.
	 * @param login the login
	 * @param metadata its provider's discovery document
	 * @param secret its client secret in plain, or {@code null} (a public client, or one
	 * of {@code private-key-jwt})
	 * @return the registration
	 */
	public static ClientRegistration registration(OpenIdLogin login, OpenIdDiscovery.Metadata metadata, String secret) {
		return registration(login, metadata, secret, "{baseUrl}" + CALLBACK);
	}

	/**
	 * The client registration of a login with a redirect URI of its own.
	 * @param login the login
	 * @param metadata its provider's discovery document
	 * @param secret its client secret in plain, or {@code null}
	 * @param redirectUri the redirect URI template ({@code {baseUrl}},
	 * {@code {registrationId}})
	 * @return the registration
	 */
	public static ClientRegistration registration(OpenIdLogin login, OpenIdDiscovery.Metadata metadata, String secret,
			String redirectUri) {
		ClientRegistration.Builder builder = ClientRegistration.withRegistrationId(login.name())
			.clientId(login.clientId())
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.redirectUri(redirectUri)
			.scope(new LinkedHashSet<>(login.scopes()))
			.authorizationUri(metadata.authorizationEndpoint())
			.tokenUri(metadata.tokenEndpoint())
			.jwkSetUri(metadata.jwksUri())
			.issuerUri(metadata.issuer())
			.userNameAttributeName(login.userClaim())
			.clientName(login.name());
		// no userinfo endpoint: the claims are the ID token's, as the data plane reads
		// them, so "Try it", the console and brokering see what a protected location sees
		// (and an access token meant for an API, which userinfo may refuse, is not used)
		ClientAuthenticationMethod method = login.authenticationMethod();
		if (secret != null && !ClientAuthenticationMethod.PRIVATE_KEY_JWT.equals(method)) {
			builder.clientSecret(secret);
		}
		else if (!ClientAuthenticationMethod.PRIVATE_KEY_JWT.equals(method)) {
			method = ClientAuthenticationMethod.NONE;
		}
		return builder.clientAuthenticationMethod(method).build();
	}

	/**
	 * Finish a sign-in: exchange the code and validate the ID token.
	 * @param registration the login's registration
	 * @param request the authorization request the browser was sent with
	 * @param response what the provider sent back
	 * @return the signed-in user
	 * @throws org.springframework.security.oauth2.core.OAuth2AuthenticationException when
	 * the provider refused, or the code or the ID token does not check out
	 */
	public OidcUser complete(ClientRegistration registration, OAuth2AuthorizationRequest request,
			OAuth2AuthorizationResponse response) {
		OAuth2LoginAuthenticationToken result = (OAuth2LoginAuthenticationToken) this.provider.authenticate(
				new OAuth2LoginAuthenticationToken(registration, new OAuth2AuthorizationExchange(request, response)));
		return (OidcUser) result.getPrincipal();
	}

	/**
	 * What a login's mappings make of a user's claims.
	 * @param login the login
	 * @param claims the ID token's and user info's claims
	 * @return the user name, email, name, groups and whether the email's domain is
	 * allowed, in that order
	 */
	public static Map<String, Object> mapped(OpenIdLogin login, Map<String, Object> claims) {
		Map<String, Object> mapped = new LinkedHashMap<>();
		mapped.put("user", text(claims.get(login.userClaim())));
		String email = text(claims.get(login.claims().email()));
		mapped.put("email", email);
		mapped.put("name", text(claims.get(login.claims().name())));
		mapped.put("groups", groups(claims.get(login.claims().groups())));
		mapped.put("email domain allowed", allowed(login, email));
		if (login.console() != null) {
			String role = login.console().role(claims);
			mapped.put("console role", (role != null) ? role : "none (refused)");
		}
		return mapped;
	}

	/**
	 * The claims in a stable order, for showing.
	 * @param user the signed-in user
	 * @return the claims by name
	 */
	public static Map<String, Object> claims(OidcUser user) {
		return new TreeMap<>(user.getClaims());
	}

	private static String allowed(OpenIdLogin login, String email) {
		if (login.allowedDomains().isEmpty()) {
			return "yes (any domain)";
		}
		if (email == null || email.indexOf('@') < 0) {
			return "no (no email)";
		}
		String domain = email.substring(email.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
		return login.allowedDomains().contains(domain) ? "yes (" + domain + ")" : "no (" + domain + ")";
	}

	private static String text(Object value) {
		return (value != null) ? String.valueOf(value) : null;
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
