package dev.capuchin.plugin.auth;

import java.util.Objects;
import java.util.Set;

/**
 * Who may pass a location once authenticated: any user of its users ({@code valid-user})
 * or only the users listed. An authenticated user outside the list gets 403.
 *
 * @param validUser whether every authenticated user passes
 * @param users the users that pass when {@code validUser} is false
 */
public record Require(boolean validUser, Set<String> users) {

	/** Every authenticated user passes. */
	public static final Require VALID_USER = new Require(true, Set.of());

	public Require {
		users = Set.copyOf(Objects.requireNonNull(users, "users"));
		if (!validUser && users.isEmpty()) {
			throw new IllegalArgumentException("require: an empty user list (expected: valid-user or users)");
		}
	}

	/**
	 * Only the given users pass.
	 * @param users the users
	 * @return the requirement
	 */
	public static Require users(Set<String> users) {
		return new Require(false, users);
	}

	/**
	 * Whether an authenticated user passes.
	 * @param user the authenticated user name
	 * @return {@code true} when the user may pass
	 */
	public boolean permits(String user) {
		return this.validUser || this.users.contains(user);
	}

	@Override
	public String toString() {
		return this.validUser ? "valid-user" : this.users.toString();
	}

}
