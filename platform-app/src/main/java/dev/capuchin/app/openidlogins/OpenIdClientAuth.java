package dev.capuchin.app.openidlogins;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.springframework.security.oauth2.core.ClientAuthenticationMethod;

/**
 * How an OpenID login's client proves itself at the provider's token endpoint: the
 * {@code client-auth} of a login, in the console, the API and the configuration document.
 * A login without a secret and without {@code private-key-jwt} is a public client (PKCE
 * alone), whatever this says.
 */
public enum OpenIdClientAuth {

	/** The secret in an HTTP Basic {@code Authorization} header: the default. */
	CLIENT_SECRET_BASIC("client-secret-basic", ClientAuthenticationMethod.CLIENT_SECRET_BASIC),

	/** The secret as {@code client_secret} in the token request's form. */
	CLIENT_SECRET_POST("client-secret-post", ClientAuthenticationMethod.CLIENT_SECRET_POST),

	/**
	 * A JWT signed with the login's private key (RFC 7523); the provider holds the public
	 * key the login publishes.
	 */
	PRIVATE_KEY_JWT("private-key-jwt", ClientAuthenticationMethod.PRIVATE_KEY_JWT);

	/** When a login names none. */
	public static final OpenIdClientAuth DEFAULT = CLIENT_SECRET_BASIC;

	private final String value;

	private final ClientAuthenticationMethod method;

	OpenIdClientAuth(String value, ClientAuthenticationMethod method) {
		this.value = value;
		this.method = method;
	}

	/**
	 * The name in documents and forms.
	 * @return such as {@code private-key-jwt}
	 */
	public String value() {
		return this.value;
	}

	/**
	 * Spring Security's name for it.
	 * @return the method
	 */
	public ClientAuthenticationMethod method() {
		return this.method;
	}

	/**
	 * The names, for messages and the form's choices.
	 * @return the names in declaration order
	 */
	public static List<String> names() {
		return Arrays.stream(values()).map(OpenIdClientAuth::value).toList();
	}

	/**
	 * Read a {@code client-auth} value.
	 * @param field the field, for messages
	 * @param value the value, or {@code null}
	 * @return the kind, or {@code null} when not given
	 * @throws IllegalArgumentException naming the field, for an unknown value
	 */
	public static OpenIdClientAuth of(String field, String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		for (OpenIdClientAuth auth : values()) {
			if (auth.value.equals(value.trim().toLowerCase(Locale.ROOT))) {
				return auth;
			}
		}
		throw new IllegalArgumentException(
				field + ": '" + value + "' (expected: one of " + String.join(", ", names()) + ")");
	}

}
