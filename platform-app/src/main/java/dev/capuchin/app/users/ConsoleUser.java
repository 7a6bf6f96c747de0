package dev.capuchin.app.users;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A console account kept in the store. The password hash stays in the store: this record
 * never carries it.
 *
 * @param username the sign-in name, lower case
 * @param role what the account may do
 * @param createdAt when it was created
 * @param enabled whether it may sign in
 */
public record ConsoleUser(String username, Role role, Instant createdAt, boolean enabled) {

	/** The built-in account's name, which no stored account may take. */
	public static final String BUILT_IN_ADMIN = "admin";

	public ConsoleUser {
		Objects.requireNonNull(username, "username");
		Objects.requireNonNull(role, "role");
		Objects.requireNonNull(createdAt, "createdAt");
	}

	/** What a console account may do. */
	public enum Role {

		/** Sees everything and changes configuration, users and imports. */
		ADMIN,

		/**
		 * Sees everything and changes sites, locations, access rules, upstreams and
		 * realms; not accounts, API tokens, OAuth clients, signing keys, sign-in locks or
		 * whole imports (which may carry OAuth clients).
		 */
		OPERATOR,

		/** Sees everything and changes nothing. */
		VIEWER;

		/**
		 * The role's name in the store and in forms.
		 * @return {@code admin}, {@code operator} or {@code viewer}
		 */
		public String key() {
			return name().toLowerCase(Locale.ROOT);
		}

		/**
		 * The role for a stored or submitted name.
		 * @param key {@code admin}, {@code operator} or {@code viewer}, any case
		 * @return the role
		 * @throws IllegalArgumentException for any other value
		 */
		public static Role of(String key) {
			for (Role role : values()) {
				if (role.key().equalsIgnoreCase(String.valueOf(key).trim())) {
					return role;
				}
			}
			throw new IllegalArgumentException("role: '" + key + "' (expected: admin, operator or viewer)");
		}

	}

}
