package dev.capuchin.app.realms;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A user of a stored auth realm: a name and a password hash (bcrypt or {@code {SHA}}, the
 * forms the auth plugin accepts), never a password, and an optional profile (email,
 * display name, groups) that the authorization server puts in the user's ID tokens.
 * {@link #toString()} leaves the hash out.
 *
 * @param name the user name
 * @param passwordHash the encoded hash
 * @param email the email address, or {@code null}
 * @param displayName the name to show, or {@code null}
 * @param groups the groups the user is in, sorted, possibly empty
 * @param createdAt when the user was stored, or {@code null} for one not stored yet
 */
public record RealmUser(String name, String passwordHash, String email, String displayName, List<String> groups,
		Instant createdAt) {

	public RealmUser {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(passwordHash, "passwordHash");
		email = blankToNull(email);
		displayName = blankToNull(displayName);
		groups = (groups != null) ? groups.stream().distinct().sorted().toList() : List.of();
	}

	/**
	 * A user without a profile.
	 * @param name the user name
	 * @param passwordHash the encoded hash
	 * @param createdAt when the user was stored, or {@code null}
	 */
	public RealmUser(String name, String passwordHash, Instant createdAt) {
		this(name, passwordHash, null, null, List.of(), createdAt);
	}

	/**
	 * This user with another hash.
	 * @param hash the new hash
	 * @return the copy
	 */
	public RealmUser withPasswordHash(String hash) {
		return new RealmUser(this.name, hash, this.email, this.displayName, this.groups, this.createdAt);
	}

	/**
	 * This user with another profile.
	 * @param newEmail the email address, or {@code null}
	 * @param newDisplayName the display name, or {@code null}
	 * @param newGroups the groups
	 * @return the copy
	 */
	public RealmUser withProfile(String newEmail, String newDisplayName, List<String> newGroups) {
		return new RealmUser(this.name, this.passwordHash, newEmail, newDisplayName, newGroups, this.createdAt);
	}

	/**
	 * Whether another user has the same profile.
	 * @param other the other user
	 * @return {@code true} when email, display name and groups are equal
	 */
	public boolean sameProfile(RealmUser other) {
		return Objects.equals(this.email, other.email) && Objects.equals(this.displayName, other.displayName)
				&& this.groups.equals(other.groups);
	}

	@Override
	public String toString() {
		return "RealmUser[name=" + this.name + "]";
	}

	private static String blankToNull(String value) {
		return (value == null || value.isBlank()) ? null : value.strip();
	}

}
