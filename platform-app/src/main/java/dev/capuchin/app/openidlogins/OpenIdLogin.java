package dev.capuchin.app.openidlogins;

import java.util.List;
import java.util.Map;

import org.springframework.security.oauth2.core.ClientAuthenticationMethod;

/**
 * An OpenID login as stored: an external OpenID Connect provider and the client Capuchin
 * is at that provider. The client secret is only ever held encrypted here; the plain
 * secret exists in memory in the blocks handed to the data plane
 * ({@link OpenIdLoginReferences}).
 *
 * @param name the name locations refer to ({@code auth: {openid: {login: corp}}})
 * @param issuer the provider's issuer URL, as its discovery document names it
 * @param clientId the {@code client_id} Capuchin has at the provider
 * @param clientSecretEncrypted the client secret encrypted with the master key (Base64 of
 * IV and cipher text), or {@code null} for a public client (PKCE only)
 * @param scopes the scopes asked for, {@code openid} among them
 * @param parameters extra authorization request parameters, such as {@code prompt}
 * @param userClaim the claim that is the user name
 * @param claims which claims carry the email, the display name and the groups
 * @param allowedDomains the email domains allowed to sign in, or empty for any
 * @param console how the login signs people in to the console, or {@code null} when it is
 * not offered on the console's sign-in page
 * @param broker the realm whose sign-in page at the authorization server offers the
 * login, or {@code null} when none does
 * @param clientAuth how the client proves itself at the token endpoint
 * @param privateKeyEncrypted the private key of {@code private-key-jwt} (a JWK) encrypted
 * with the master key, or {@code null}
 */
public record OpenIdLogin(String name, String issuer, String clientId, String clientSecretEncrypted,
		List<String> scopes, Map<String, String> parameters, String userClaim, Claims claims,
		List<String> allowedDomains, Console console, Broker broker, OpenIdClientAuth clientAuth,
		String privateKeyEncrypted) {

	public OpenIdLogin {
		scopes = List.copyOf(scopes);
		parameters = Map.copyOf(parameters);
		allowedDomains = List.copyOf(allowedDomains);
		clientAuth = (clientAuth != null) ? clientAuth : OpenIdClientAuth.DEFAULT;
	}

	/**
	 * A login whose client, if confidential, sends its secret in HTTP Basic.
	 * @param name the name
	 * @param issuer the issuer URL
	 * @param clientId the client id
	 * @param clientSecretEncrypted the encrypted secret, or {@code null}
	 * @param scopes the scopes
	 * @param parameters extra authorization parameters
	 * @param userClaim the user name claim
	 * @param claims the email, name and groups claims
	 * @param allowedDomains the allowed email domains
	 * @param console the console sign-in, or {@code null}
	 * @param broker the brokering, or {@code null}
	 */
	public OpenIdLogin(String name, String issuer, String clientId, String clientSecretEncrypted, List<String> scopes,
			Map<String, String> parameters, String userClaim, Claims claims, List<String> allowedDomains,
			Console console, Broker broker) {
		this(name, issuer, clientId, clientSecretEncrypted, scopes, parameters, userClaim, claims, allowedDomains,
				console, broker, OpenIdClientAuth.DEFAULT, null);
	}

	/**
	 * A login used by locations only: neither the console nor a realm offers it.
	 * @param name the name
	 * @param issuer the issuer URL
	 * @param clientId the client id
	 * @param clientSecretEncrypted the encrypted secret, or {@code null}
	 * @param scopes the scopes
	 * @param parameters extra authorization parameters
	 * @param userClaim the user name claim
	 * @param claims the email, name and groups claims
	 * @param allowedDomains the allowed email domains
	 */
	public OpenIdLogin(String name, String issuer, String clientId, String clientSecretEncrypted, List<String> scopes,
			Map<String, String> parameters, String userClaim, Claims claims, List<String> allowedDomains) {
		this(name, issuer, clientId, clientSecretEncrypted, scopes, parameters, userClaim, claims, allowedDomains, null,
				null, OpenIdClientAuth.DEFAULT, null);
	}

	/**
	 * Whether the login has a client secret.
	 * @return {@code true} for a confidential client
	 */
	public boolean hasSecret() {
		return this.clientSecretEncrypted != null;
	}

	/**
	 * Whether the login signs client assertions with a private key of its own.
	 * @return {@code true} for {@code private-key-jwt}
	 */
	public boolean hasPrivateKey() {
		return this.privateKeyEncrypted != null;
	}

	/**
	 * How the client authenticates in fact: {@code NONE} for a public client.
	 * @return the method Spring Security's client uses at the token endpoint
	 */
	public ClientAuthenticationMethod authenticationMethod() {
		if (this.clientAuth == OpenIdClientAuth.PRIVATE_KEY_JWT) {
			return ClientAuthenticationMethod.PRIVATE_KEY_JWT;
		}
		if (!hasSecret()) {
			return ClientAuthenticationMethod.NONE;
		}
		return this.clientAuth.method();
	}

	/**
	 * The claims that carry a user's email, display name and groups.
	 *
	 * @param email the email claim
	 * @param name the display name claim
	 * @param groups the groups claim (a list of strings, or one string)
	 */
	public record Claims(String email, String name, String groups) {

		/** The standard claims: {@code email}, {@code name}, {@code groups}. */
		public static final Claims STANDARD = new Claims("email", "name", "groups");

	}

	/**
	 * The console's single sign-on through a login: which claim's values give which
	 * console role (the highest role wins), and the email domains whose console users
	 * must sign in through this login rather than with a password.
	 *
	 * @param claim the claim whose values are mapped, such as {@code groups}
	 * @param admin the values that give the admin role
	 * @param operator the values that give the operator role
	 * @param viewer the values that give the viewer role
	 * @param requiredDomains email domains whose console users the local form refuses
	 */
	public record Console(String claim, List<String> admin, List<String> operator, List<String> viewer,
			List<String> requiredDomains) {

		public Console {
			admin = List.copyOf(admin);
			operator = List.copyOf(operator);
			viewer = List.copyOf(viewer);
			requiredDomains = List.copyOf(requiredDomains);
		}

		/**
		 * The role a person's claims give: the highest any value of {@link #claim()}
		 * gives.
		 * @param claims the person's claims (a list of strings or one string under the
		 * claim)
		 * @return {@code admin}, {@code operator} or {@code viewer}, or {@code null}
		 */
		public String role(Map<String, Object> claims) {
			Object value = claims.get(this.claim);
			java.util.Set<String> values = new java.util.HashSet<>();
			if (value instanceof Iterable<?> list) {
				list.forEach((one) -> values.add(String.valueOf(one)));
			}
			else if (value != null) {
				values.add(String.valueOf(value));
			}
			for (String role : List.of("admin", "operator", "viewer")) {
				if (values(role).stream().anyMatch(values::contains)) {
					return role;
				}
			}
			return null;
		}

		/**
		 * The values that give a role.
		 * @param role {@code admin}, {@code operator} or {@code viewer}
		 * @return the values
		 */
		public List<String> values(String role) {
			return switch (role) {
				case "admin" -> this.admin;
				case "operator" -> this.operator;
				case "viewer" -> this.viewer;
				default -> List.of();
			};
		}

	}

	/**
	 * Brokering: the authorization server's sign-in page of a realm offers the login, and
	 * a person signed in through it becomes a user of that realm.
	 *
	 * @param realm the realm
	 * @param linkClaim how a person is matched to an existing realm user: {@code email}
	 * (the realm user with that verified email) or {@code sub} (only the users this login
	 * made or linked before, by the provider's subject)
	 */
	public record Broker(String realm, String linkClaim) {

		/** Link by the realm user's email. */
		public static final String EMAIL = "email";

		/** Link by the provider's subject only. */
		public static final String SUB = "sub";

	}

}
