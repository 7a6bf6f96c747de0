package dev.capuchin.app.realms;

import java.time.Instant;
import java.util.Objects;

/**
 * A user of a stored auth realm: a name and a password hash (bcrypt or {@code {SHA}}, the
 * forms the auth plugin accepts), never a password. {@link #toString()} leaves the hash
 * out.
 *
 * @param name the user name
 * @param passwordHash the encoded hash
 * @param createdAt when the user was stored, or {@code null} for one not stored yet
 */
public record RealmUser(String name, String passwordHash, Instant createdAt) {

	public RealmUser {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(passwordHash, "passwordHash");
	}

	/**
	 * This user with another hash.
	 * @param hash the new hash
	 * @return the copy
	 */
	public RealmUser withPasswordHash(String hash) {
		return new RealmUser(this.name, hash, this.createdAt);
	}

	@Override
	public String toString() {
		return "RealmUser[name=" + this.name + "]";
	}

}
