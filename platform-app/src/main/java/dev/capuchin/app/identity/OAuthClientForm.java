package dev.capuchin.app.identity;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.capuchin.app.shared.console.FormErrors;

import org.springframework.boot.convert.DurationStyle;

/**
 * The console's form of an OAuth client. Lists are typed one a line (redirect URIs) or
 * separated by spaces (scopes); lifetimes are durations as in properties ({@code 5m},
 * {@code 1h}). {@link OAuthClients} checks every value; its messages name the field
 * ({@code redirect-uris: ...}) and {@link #refused} puts each beside its input.
 *
 * @param clientId the {@code client_id}
 * @param name the name the consent page shows
 * @param type {@code confidential} or {@code public}
 * @param realm the realm whose users sign in
 * @param grantTypes the grants ticked
 * @param scopes the scopes, separated by spaces or lines
 * @param redirectUris the redirect URIs, one a line
 * @param postLogoutRedirectUris the post-logout redirect URIs, one a line
 * @param tokenFormat {@code jwt} or {@code opaque}
 * @param accessTokenLifetime such as {@code 5m}
 * @param refreshTokenLifetime such as {@code 1h}
 * @param consent {@code true} when users are asked to consent (the checkbox)
 */
public record OAuthClientForm(String clientId, String name, String type, String realm, List<String> grantTypes,
		String scopes, String redirectUris, String postLogoutRedirectUris, String tokenFormat,
		String accessTokenLifetime, String refreshTokenLifetime, String consent) {

	/** The longest text of a list field: 20 entries of 500 characters and a little. */
	static final int MAX_LIST_TEXT = 12 * 1024;

	/** Form input by the field a refusal names. */
	private static final Map<String, String> INPUTS = Map.ofEntries(Map.entry("client-id", "clientId"),
			Map.entry("name", "name"), Map.entry("type", "type"), Map.entry("realm", "realm"),
			Map.entry("grant-types", "grantTypes"), Map.entry("scopes", "scopes"),
			Map.entry("redirect-uris", "redirectUris"),
			Map.entry("post-logout-redirect-uris", "postLogoutRedirectUris"), Map.entry("token-format", "tokenFormat"),
			Map.entry("access-token-lifetime", "accessTokenLifetime"),
			Map.entry("refresh-token-lifetime", "refreshTokenLifetime"));

	static OAuthClientForm blank(String realm) {
		return new OAuthClientForm("", "", OAuthClient.Type.CONFIDENTIAL.key(), realm,
				List.of("authorization_code", "refresh_token"), "openid profile", "", "",
				OAuthClient.TokenFormat.JWT.key(), "5m", "1h", "true");
	}

	static OAuthClientForm of(OAuthClient client) {
		return new OAuthClientForm(client.clientId(), client.name(), client.type().key(), client.realm(),
				client.grantTypes(), String.join(" ", client.scopes()), String.join("\n", client.redirectUris()),
				String.join("\n", client.postLogoutRedirectUris()), client.tokenFormat().key(),
				OAuthClient.lifetime(client.accessTokenLifetime()), OAuthClient.lifetime(client.refreshTokenLifetime()),
				Boolean.toString(client.consent()));
	}

	/**
	 * Whether a grant is ticked.
	 * @param grant the grant's name
	 * @return {@code true} when it is
	 */
	public boolean has(String grant) {
		return this.grantTypes != null && this.grantTypes.contains(grant);
	}

	/**
	 * Whether users are asked to consent.
	 * @return {@code true} when the box is ticked
	 */
	public boolean consents() {
		return "true".equals(this.consent) || "on".equals(this.consent);
	}

	/**
	 * What the client is made of, for {@link OAuthClients}; the type is left out when
	 * changing a client (it cannot change).
	 * @param existing whether the client exists already
	 * @return the spec
	 * @throws IllegalArgumentException naming the field of a value that is not even a
	 * duration or a list
	 */
	OAuthClients.Spec spec(boolean existing) {
		return new OAuthClients.Spec(existing ? null : trimmed(this.clientId), trimmed(this.name),
				existing ? null : trimmed(this.type), trimmed(this.realm),
				(this.grantTypes != null) ? this.grantTypes : List.of(), words(this.scopes, "scopes", "\\s+"),
				words(this.redirectUris, "redirect-uris", "\\R"),
				words(this.postLogoutRedirectUris, "post-logout-redirect-uris", "\\R"), trimmed(this.tokenFormat),
				duration(this.accessTokenLifetime, "access-token-lifetime"),
				duration(this.refreshTokenLifetime, "refresh-token-lifetime"), consents(), null, null);
	}

	/**
	 * Put a refusal beside the input it names ({@code redirect-uris: ...}), or at the top
	 * of the form.
	 * @param message the refusal
	 * @param errors the form's errors
	 * @return the errors
	 */
	static FormErrors refused(String message, FormErrors errors) {
		int colon = message.indexOf(": ");
		String input = (colon > 0) ? INPUTS.get(message.substring(0, colon)) : null;
		if (input != null) {
			errors.field(input, message);
		}
		else {
			errors.global(message);
		}
		return errors;
	}

	private static List<String> words(String text, String field, String separator) {
		if (text == null || text.isBlank()) {
			return List.of();
		}
		if (text.length() > MAX_LIST_TEXT) {
			throw new IllegalArgumentException(
					field + ": " + text.length() + " characters (expected: at most " + MAX_LIST_TEXT + ")");
		}
		return Arrays.stream(text.strip().split(separator)).map(String::strip).filter((w) -> !w.isEmpty()).toList();
	}

	private static Duration duration(String text, String field) {
		String value = trimmed(text);
		if (value == null) {
			return null;
		}
		try {
			return DurationStyle.detectAndParse(value);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(field + ": '" + value + "' (expected: a duration such as 5m, 1h or 7d)");
		}
	}

	private static String trimmed(String value) {
		return (value == null || value.isBlank()) ? null : value.strip();
	}

}
