package dev.capuchin.app.identity;

import java.time.Instant;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A signing key as listed: never its private part.
 *
 * @param kid its key id, in every token it signs
 * @param algorithm the JWS algorithm ({@code RS256})
 * @param state whether it signs or only verifies
 * @param createdAt when it was made
 * @param retireAt when it leaves the JWK set, or {@code null} while it signs
 */
public record SigningKey(String kid, String algorithm, State state, Instant createdAt, Instant retireAt) {

	/** What a key does. */
	public enum State {

		/** It signs new tokens, and is published. */
		ACTIVE,

		/** A newer key signs; it stays published until the tokens it signed expired. */
		RETIRING;

		/**
		 * The name in the store and in answers.
		 * @return the lower-case name
		 */
		@JsonValue
		public String key() {
			return name().toLowerCase(Locale.ROOT);
		}

		static State of(String key) {
			return valueOf(key.toUpperCase(Locale.ROOT));
		}

	}

}
