package dev.capuchin.app.openidlogins;

import java.util.List;
import java.util.Map;

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
 */
public record OpenIdLogin(String name, String issuer, String clientId, String clientSecretEncrypted,
		List<String> scopes, Map<String, String> parameters, String userClaim, Claims claims,
		List<String> allowedDomains) {

	public OpenIdLogin {
		scopes = List.copyOf(scopes);
		parameters = Map.copyOf(parameters);
		allowedDomains = List.copyOf(allowedDomains);
	}

	/**
	 * Whether the login has a client secret.
	 * @return {@code true} for a confidential client
	 */
	public boolean hasSecret() {
		return this.clientSecretEncrypted != null;
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

}
