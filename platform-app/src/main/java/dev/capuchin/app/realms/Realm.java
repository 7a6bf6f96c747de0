package dev.capuchin.app.realms;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A stored auth realm: a named set of data-plane users that a location protects itself
 * with by naming it ({@code auth: {realm: Staff}}) instead of a users file. The realm's
 * name is also the protection space sent in the challenge.
 *
 * @param name the name, unique (see {@link RealmRules#nameProblem(String)})
 * @param description what the realm is for, may be empty
 * @param users its users, by name
 * @param createdAt when it was stored, or {@code null} for one not stored yet
 */
public record Realm(String name, String description, List<RealmUser> users, Instant createdAt) {

	public Realm {
		Objects.requireNonNull(name, "name");
		description = (description != null) ? description : "";
		users = users.stream().sorted(Comparator.comparing(RealmUser::name)).toList();
	}

	/**
	 * One user.
	 * @param user the user name
	 * @return the user, or empty
	 */
	public Optional<RealmUser> user(String user) {
		return this.users.stream().filter((candidate) -> candidate.name().equals(user)).findFirst();
	}

	/**
	 * This realm with another name and description.
	 * @param newName the name
	 * @param newDescription the description
	 * @return the copy
	 */
	public Realm withNameAndDescription(String newName, String newDescription) {
		return new Realm(newName, newDescription, this.users, this.createdAt);
	}

	/**
	 * This realm with a user added or replaced.
	 * @param user the user
	 * @return the copy
	 */
	public Realm withUser(RealmUser user) {
		List<RealmUser> next = new ArrayList<>(this.users);
		next.removeIf((candidate) -> candidate.name().equals(user.name()));
		next.add(user);
		return new Realm(this.name, this.description, next, this.createdAt);
	}

	/**
	 * This realm without a user.
	 * @param user the user name
	 * @return the copy
	 */
	public Realm withoutUser(String user) {
		List<RealmUser> next = new ArrayList<>(this.users);
		next.removeIf((candidate) -> candidate.name().equals(user));
		return new Realm(this.name, this.description, next, this.createdAt);
	}

}
