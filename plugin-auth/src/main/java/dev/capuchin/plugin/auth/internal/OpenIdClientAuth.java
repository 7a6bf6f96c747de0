package dev.capuchin.plugin.auth.internal;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import dev.capuchin.core.spi.BlockValues;

/**
 * How a login's client proves itself at the provider's token endpoint (OpenID Connect
 * Core section 9), the {@code client-auth} key of an {@code openid} block.
 */
public enum OpenIdClientAuth {

	/** No client authentication: a public client, PKCE alone. */
	NONE("none"),

	/** The id and secret in an HTTP Basic {@code Authorization} header (the default). */
	CLIENT_SECRET_BASIC("client-secret-basic"),

	/** The id and secret as {@code client_id} and {@code client_secret} in the form. */
	CLIENT_SECRET_POST("client-secret-post"),

	/** A JWT signed with the client's private key (RFC 7523 section 2.2). */
	PRIVATE_KEY_JWT("private-key-jwt");

	private final String value;

	OpenIdClientAuth(String value) {
		this.value = value;
	}

	/**
	 * The name in a block.
	 * @return such as {@code private-key-jwt}
	 */
	public String value() {
		return this.value;
	}

	/**
	 * Read {@code client-auth}; {@code none} is never written, it follows from a block
	 * without a secret or key.
	 * @param field the field, for messages
	 * @param raw the value, or {@code null}
	 * @return the kind, or {@code null} when not given
	 * @throws IllegalArgumentException naming the field, for an unknown value
	 */
	public static OpenIdClientAuth parse(String field, Object raw) {
		String text = BlockValues.optionalText(field, raw);
		if (text == null) {
			return null;
		}
		for (OpenIdClientAuth auth : values()) {
			if (auth != NONE && auth.value.equals(text.trim().toLowerCase(Locale.ROOT))) {
				return auth;
			}
		}
		throw BlockValues.invalid(field, text,
				"one of " + Arrays.stream(values())
					.filter((auth) -> auth != NONE)
					.map(OpenIdClientAuth::value)
					.collect(Collectors.joining(", ")));
	}

}
