package dev.capuchin.app.identity;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

import org.springframework.boot.convert.DurationStyle;

/**
 * An OAuth client as the console and the API show it: never its secret or the secret's
 * hash.
 *
 * @param clientId the {@code client_id}
 * @param name the name shown on the consent page
 * @param type confidential (has a secret) or public (PKCE only)
 * @param realm the auth realm whose users sign in to it
 * @param grantTypes the grants it may use
 * @param scopes the scopes it may ask for
 * @param redirectUris where authorization answers may go, matched exactly
 * @param postLogoutRedirectUris where RP-initiated logout may return to
 * @param tokenFormat signed JWT or opaque access tokens
 * @param accessTokenLifetime how long an access token lives
 * @param refreshTokenLifetime how long a refresh token lives
 * @param consent whether users are asked to consent
 * @param enabled whether it may get tokens
 * @param jwkSetUrl where its keys for {@code private_key_jwt} are, or {@code null}
 * @param createdAt when it was made
 * @param previousSecretExpiresAt until when the secret before the last rotation still
 * works, or {@code null}
 */
public record OAuthClient(String clientId, String name, Type type, String realm, List<String> grantTypes,
		List<String> scopes, List<String> redirectUris, List<String> postLogoutRedirectUris, TokenFormat tokenFormat,
		Duration accessTokenLifetime, Duration refreshTokenLifetime, boolean consent, boolean enabled, String jwkSetUrl,
		Instant createdAt, Instant previousSecretExpiresAt) {

	/** Whether a client can keep a secret. */
	public enum Type {

		/**
		 * A server-side application with a secret (or a key for {@code private_key_jwt}).
		 */
		CONFIDENTIAL,

		/** A browser or native application: no secret, PKCE required. */
		PUBLIC;

		/**
		 * The name in answers.
		 * @return the lower-case name
		 */
		public String key() {
			return name().toLowerCase(Locale.ROOT);
		}

		/**
		 * The type named.
		 * @param key {@code confidential} or {@code public}
		 * @return the type
		 * @throws IllegalArgumentException for any other name
		 */
		public static Type of(String key) {
			for (Type type : values()) {
				if (type.key().equals(key)) {
					return type;
				}
			}
			throw new IllegalArgumentException("type: '" + key + "' (expected: confidential or public)");
		}

	}

	/** How access tokens look. */
	public enum TokenFormat {

		/**
		 * A JWT signed by the active signing key: checked offline by resource servers.
		 */
		JWT,

		/** A random reference: checked by introspection, revocable at once. */
		OPAQUE;

		/**
		 * The name in answers.
		 * @return the lower-case name
		 */
		public String key() {
			return name().toLowerCase(Locale.ROOT);
		}

		/**
		 * The format named.
		 * @param key {@code jwt} or {@code opaque}
		 * @return the format
		 * @throws IllegalArgumentException for any other name
		 */
		public static TokenFormat of(String key) {
			for (TokenFormat format : values()) {
				if (format.key().equals(key)) {
					return format;
				}
			}
			throw new IllegalArgumentException("token-format: '" + key + "' (expected: jwt or opaque)");
		}

	}

	/**
	 * A duration in its largest whole unit, as typed in the console form and shown by the
	 * API.
	 * @param duration the duration
	 * @return for example {@code 5m}, {@code 36h}, {@code 1500ms}
	 */
	static String lifetime(Duration duration) {
		for (ChronoUnit unit : List.of(ChronoUnit.DAYS, ChronoUnit.HOURS, ChronoUnit.MINUTES, ChronoUnit.SECONDS)) {
			if (!duration.isZero() && duration.toMillis() % unit.getDuration().toMillis() == 0) {
				return DurationStyle.SIMPLE.print(duration, unit);
			}
		}
		return DurationStyle.SIMPLE.print(duration, ChronoUnit.MILLIS);
	}

}
