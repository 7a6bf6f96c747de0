package dev.capuchin.app.tokens;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * An API token as the store keeps it: its name, scope, who made it and when, and its life
 * (expiry, last use, revocation). The token itself is never kept, only its hash, and this
 * record carries neither.
 *
 * @param id the token's number
 * @param name what it is for, chosen by its creator
 * @param scope what it may do
 * @param createdBy the account that created it
 * @param createdAt when it was created
 * @param expiresAt when it stops working, or {@code null} for never
 * @param lastUsedAt when it was last used (to the minute), or {@code null}
 * @param revokedAt when it was revoked, or {@code null}
 */
public record ApiToken(long id, String name, Scope scope, String createdBy, Instant createdAt, Instant expiresAt,
		Instant lastUsedAt, Instant revokedAt) {

	public ApiToken {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(scope, "scope");
		Objects.requireNonNull(createdBy, "createdBy");
		Objects.requireNonNull(createdAt, "createdAt");
	}

	/**
	 * The token's state at a point in time.
	 * @param now the time
	 * @return revoked, expired or active
	 */
	public Status status(Instant now) {
		if (this.revokedAt != null) {
			return Status.REVOKED;
		}
		if (this.expiresAt != null && !now.isBefore(this.expiresAt)) {
			return Status.EXPIRED;
		}
		return Status.ACTIVE;
	}

	/** What a token may do on the control listener. */
	public enum Scope {

		/** GET and HEAD under {@code /api/} and on the Actuator endpoints. */
		READ,

		/** Every method under {@code /api/} and on the Actuator endpoints. */
		WRITE;

		/**
		 * The scope's name in the store, forms and the API.
		 * @return {@code read} or {@code write}
		 */
		public String key() {
			return name().toLowerCase(Locale.ROOT);
		}

		/**
		 * The scope for a stored or submitted name.
		 * @param key {@code read} or {@code write}, any case
		 * @return the scope
		 * @throws IllegalArgumentException for any other value
		 */
		public static Scope of(String key) {
			for (Scope scope : values()) {
				if (scope.key().equalsIgnoreCase(String.valueOf(key).trim())) {
					return scope;
				}
			}
			throw new IllegalArgumentException("scope: '" + key + "' (expected: read or write)");
		}

	}

	/** Whether a token works. */
	public enum Status {

		/** It authenticates requests. */
		ACTIVE,

		/** Its expiry has passed. */
		EXPIRED,

		/** An admin revoked it. */
		REVOKED;

		/**
		 * The status's name in pages and the API.
		 * @return {@code active}, {@code expired} or {@code revoked}
		 */
		public String key() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

}
