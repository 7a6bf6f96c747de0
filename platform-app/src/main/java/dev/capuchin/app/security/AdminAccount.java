package dev.capuchin.app.security;

import java.security.SecureRandom;
import java.util.Base64;

import dev.capuchin.app.users.ConsoleUser;

/**
 * The built-in admin account's password: {@code CAPUCHIN_ADMIN_PASSWORD} when set,
 * otherwise a random one generated at start and logged once.
 *
 * @param password the clear-text password, held only until it is first hashed
 * @param generated whether it was generated
 */
record AdminAccount(String password, boolean generated) {

	static final String USER = ConsoleUser.BUILT_IN_ADMIN;

	static final String ENVIRONMENT_VARIABLE = "CAPUCHIN_ADMIN_PASSWORD";

	static AdminAccount from(String configured) {
		if (configured != null && !configured.isBlank()) {
			if (configured.length() < 8) {
				throw new IllegalArgumentException(
						ENVIRONMENT_VARIABLE + ": too short (expected: at least 8 characters)");
			}
			return new AdminAccount(configured, false);
		}
		byte[] random = new byte[18];
		new SecureRandom().nextBytes(random);
		return new AdminAccount(Base64.getUrlEncoder().withoutPadding().encodeToString(random), true);
	}

}
