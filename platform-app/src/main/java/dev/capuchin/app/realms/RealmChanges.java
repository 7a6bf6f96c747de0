package dev.capuchin.app.realms;

import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.app.shared.config.ConfigurationConflictException;
import dev.capuchin.app.shared.config.InvalidFieldException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The changes the console and the API make to realms, one at a time: create, rename or
 * describe, delete, add a user, set a user's password, delete a user. Input is checked
 * with {@link RealmRules}, passwords are hashed here (bcrypt), and every change goes
 * through {@link ConfigService#changeRealms}, so it is validated against the sites,
 * stored with a new version and an audit entry, and live at once.
 */
public class RealmChanges {

	private final ConfigService config;

	/**
	 * Create the changes.
	 * @param config the configuration service
	 */
	public RealmChanges(ConfigService config) {
		this.config = Objects.requireNonNull(config, "config");
	}

	/**
	 * Create an empty realm.
	 * @param name its name
	 * @param description what it is for, may be empty
	 * @param actor who asks
	 * @return the outcome
	 * @throws InvalidFieldException for a refused name or description
	 * @throws ConfigurationConflictException when the name is taken
	 */
	public ConfigService.Outcome create(String name, String description, String actor) {
		String checkedName = name(name);
		String checkedDescription = description(description);
		return change((realms) -> {
			if (find(realms, checkedName) >= 0) {
				throw new ConfigurationConflictException("name: a realm named '" + checkedName + "' exists already");
			}
			List<Realm> next = new ArrayList<>(realms);
			next.add(new Realm(checkedName, checkedDescription, List.of(), null));
			return next;
		}, actor);
	}

	/**
	 * Rename a realm or change its description. A realm that locations name keeps its
	 * name.
	 * @param name the realm
	 * @param newName its new name, or the same
	 * @param description its new description
	 * @param actor who asks
	 * @return the outcome
	 * @throws RealmNotFoundException when there is no such realm
	 * @throws ConfigurationConflictException when the new name is taken, or the realm is
	 * renamed while in use
	 */
	public ConfigService.Outcome update(String name, String newName, String description, String actor) {
		String checkedName = name(newName);
		String checkedDescription = description(description);
		return change((realms) -> {
			int index = existing(realms, name);
			if (!checkedName.equals(name) && find(realms, checkedName) >= 0) {
				throw new ConfigurationConflictException("name: a realm named '" + checkedName + "' exists already");
			}
			List<Realm> next = new ArrayList<>(realms);
			next.set(index, realms.get(index).withNameAndDescription(checkedName, checkedDescription));
			return next;
		}, actor);
	}

	/**
	 * Delete a realm and its users.
	 * @param name the realm
	 * @param actor who asks
	 * @return the outcome
	 * @throws RealmNotFoundException when there is no such realm
	 * @throws ConfigurationConflictException naming the sites and locations that still
	 * name it
	 */
	public ConfigService.Outcome delete(String name, String actor) {
		return change((realms) -> {
			List<Realm> next = new ArrayList<>(realms);
			next.remove(existing(realms, name));
			return next;
		}, actor);
	}

	/**
	 * Add a user with a password.
	 * @param realm the realm
	 * @param user the user name
	 * @param password the password, hashed here
	 * @param actor who asks
	 * @return the outcome
	 * @throws InvalidFieldException for a refused name or password
	 * @throws ConfigurationConflictException when the realm has that user already
	 */
	public ConfigService.Outcome addUser(String realm, String user, String password, String actor) {
		return addUser(realm, user, password, null, null, null, actor);
	}

	/**
	 * Add a user with a password and a profile.
	 * @param realm the realm
	 * @param user the user name
	 * @param password the password, hashed here
	 * @param email the email address, or {@code null}
	 * @param displayName the display name, or {@code null}
	 * @param groups the groups, or {@code null} for none
	 * @param actor who asks
	 * @return the outcome
	 * @throws InvalidFieldException for a refused name, password or profile field
	 * @throws ConfigurationConflictException when the realm has that user already
	 */
	public ConfigService.Outcome addUser(String realm, String user, String password, String email, String displayName,
			List<String> groups, String actor) {
		String checkedUser = user(user);
		RealmUser profiled = profile(new RealmUser(checkedUser, "-", null), email, displayName, groups);
		String hash = hash(password);
		return change((realms) -> {
			int index = existing(realms, realm);
			if (realms.get(index).user(checkedUser).isPresent()) {
				throw new ConfigurationConflictException(
						"name: realm " + realm + " has a user named '" + checkedUser + "' already");
			}
			List<Realm> next = new ArrayList<>(realms);
			next.set(index, realms.get(index).withUser(profiled.withPasswordHash(hash)));
			return next;
		}, actor);
	}

	/**
	 * Set a user's email address, display name and groups.
	 * @param realm the realm
	 * @param user the user name
	 * @param email the email address, or {@code null} or blank for none
	 * @param displayName the display name, or {@code null} or blank for none
	 * @param groups the groups, or {@code null} for none
	 * @param actor who asks
	 * @return the outcome
	 * @throws InvalidFieldException for a refused field
	 * @throws RealmNotFoundException when there is no such realm or user
	 */
	public ConfigService.Outcome changeProfile(String realm, String user, String email, String displayName,
			List<String> groups, String actor) {
		return change((realms) -> {
			int index = existing(realms, realm);
			RealmUser existing = existingUser(realms.get(index), user);
			List<Realm> next = new ArrayList<>(realms);
			next.set(index, realms.get(index).withUser(profile(existing, email, displayName, groups)));
			return next;
		}, actor);
	}

	private static RealmUser profile(RealmUser user, String email, String displayName, List<String> groups) {
		List<String> names = (groups != null)
				? groups.stream().filter((group) -> group != null && !group.isBlank()).map(String::strip).toList()
				: List.of();
		RealmUser changed = user.withProfile(email, displayName, names);
		String problem = RealmRules.emailProblem(changed.email());
		if (problem != null) {
			throw new InvalidFieldException("email", problem);
		}
		problem = RealmRules.displayNameProblem(changed.displayName());
		if (problem != null) {
			throw new InvalidFieldException("display-name", problem);
		}
		problem = RealmRules.groupsProblem(changed.groups());
		if (problem != null) {
			throw new InvalidFieldException("groups", problem);
		}
		return changed;
	}

	/**
	 * Set a user's password.
	 * @param realm the realm
	 * @param user the user name
	 * @param password the new password, hashed here
	 * @param actor who asks
	 * @return the outcome
	 * @throws InvalidFieldException for a refused password
	 * @throws RealmNotFoundException when there is no such realm or user
	 */
	public ConfigService.Outcome changePassword(String realm, String user, String password, String actor) {
		String hash = hash(password);
		return change((realms) -> {
			int index = existing(realms, realm);
			RealmUser existing = existingUser(realms.get(index), user);
			List<Realm> next = new ArrayList<>(realms);
			next.set(index, realms.get(index).withUser(existing.withPasswordHash(hash)));
			return next;
		}, actor);
	}

	/**
	 * Delete a user.
	 * @param realm the realm
	 * @param user the user name
	 * @param actor who asks
	 * @return the outcome
	 * @throws RealmNotFoundException when there is no such realm or user
	 */
	public ConfigService.Outcome deleteUser(String realm, String user, String actor) {
		return change((realms) -> {
			int index = existing(realms, realm);
			existingUser(realms.get(index), user);
			List<Realm> next = new ArrayList<>(realms);
			next.set(index, realms.get(index).withoutUser(user));
			return next;
		}, actor);
	}

	private ConfigService.Outcome change(UnaryOperator<List<Realm>> change, String actor) {
		return this.config.changeRealms(change, actor);
	}

	private static String name(String name) {
		String trimmed = (name != null) ? name.trim() : "";
		String problem = RealmRules.nameProblem(trimmed);
		if (problem != null) {
			throw new InvalidFieldException("name", problem);
		}
		return trimmed;
	}

	private static String description(String description) {
		String trimmed = (description != null) ? description.trim() : "";
		String problem = RealmRules.descriptionProblem(trimmed);
		if (problem != null) {
			throw new InvalidFieldException("description", problem);
		}
		return trimmed;
	}

	private static String user(String user) {
		String trimmed = (user != null) ? user.trim() : "";
		String problem = RealmRules.userProblem(trimmed);
		if (problem != null) {
			throw new InvalidFieldException("name", problem);
		}
		return trimmed;
	}

	private static String hash(String password) {
		String problem = RealmRules.passwordProblem(password);
		if (problem != null) {
			throw new InvalidFieldException("password", problem);
		}
		return RealmRules.hash(password);
	}

	private static int find(List<Realm> realms, String name) {
		for (int i = 0; i < realms.size(); i++) {
			if (realms.get(i).name().equals(name)) {
				return i;
			}
		}
		return -1;
	}

	private static int existing(List<Realm> realms, String name) {
		int index = find(realms, name);
		if (index < 0) {
			throw new RealmNotFoundException("no realm '" + name + "'");
		}
		return index;
	}

	private static RealmUser existingUser(Realm realm, String user) {
		return realm.user(user)
			.orElseThrow(() -> new RealmNotFoundException("realm " + realm.name() + ": no user '" + user + "'"));
	}

}
