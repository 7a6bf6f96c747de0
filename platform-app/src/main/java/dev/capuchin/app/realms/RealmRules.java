package dev.capuchin.app.realms;

import dev.capuchin.app.shared.config.InvalidConfigurationException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.List;
import java.util.regex.Pattern;

import dev.capuchin.plugin.auth.UsersFile;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * What a stored realm, its users and their passwords may be, checked the same way by the
 * console, the API and configuration documents; and the hashing of new passwords.
 * <p>
 * Realm and user names appear in URLs ({@code /api/realms/Staff/users/alice}) and a realm
 * name is also the protection space of the challenge, so both are kept to characters that
 * need no escaping anywhere.
 */
public final class RealmRules {

	/** The longest realm name. */
	public static final int MAX_NAME = 64;

	/** The longest description. */
	public static final int MAX_DESCRIPTION = 255;

	/** The longest user name. */
	public static final int MAX_USER = 64;

	/** The shortest password accepted for a realm user. */
	public static final int MIN_PASSWORD = 8;

	/** The longest password in UTF-8 bytes: bcrypt reads no more than 72. */
	public static final int MAX_PASSWORD_BYTES = 72;

	/**
	 * The bcrypt cost of new hashes: about 60 ms on a current core, paid once per
	 * {@code cache-ttl} per user by the auth plugin's credential cache.
	 */
	public static final int BCRYPT_COST = 10;

	/** The longest email address (RFC 5321's path limit). */
	public static final int MAX_EMAIL = 254;

	/** The longest display name. */
	public static final int MAX_DISPLAY_NAME = 200;

	/** The most groups a user is in: each is a claim in every ID token. */
	public static final int MAX_GROUPS = 50;

	/** The longest group name. */
	public static final int MAX_GROUP = 64;

	/** Enough of an address to deliver to; no commas or spaces, one {@code @}. */
	private static final Pattern EMAIL = Pattern.compile("[^\\s@,]{1,64}@[^\\s@,]+");

	/** Group names are stored joined by commas: none in a name. */
	private static final Pattern GROUP = Pattern
		.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}._@+/:-]{0," + (MAX_GROUP - 1) + "}");

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_NAME - 1) + "}");

	private static final Pattern USER = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}._@+-]{0," + (MAX_USER - 1) + "}");

	private static final BCryptPasswordEncoder ENCODER = new BCryptPasswordEncoder(
			BCryptPasswordEncoder.BCryptVersion.$2Y, BCRYPT_COST);

	private RealmRules() {
	}

	/**
	 * What is wrong with a realm name.
	 * @param name the name
	 * @return the problem, or {@code null} when it may be used
	 */
	public static String nameProblem(String name) {
		if (name == null || name.isEmpty()) {
			return "missing (expected: a realm name)";
		}
		if (!NAME.matcher(name).matches()) {
			return "'" + printable(name) + "' (expected: 1 to " + MAX_NAME
					+ " letters, digits, '.', '_' or '-', starting with a letter or digit)";
		}
		return null;
	}

	/**
	 * What is wrong with a description.
	 * @param description the description, may be empty
	 * @return the problem, or {@code null}
	 */
	public static String descriptionProblem(String description) {
		if (description == null) {
			return null;
		}
		if (description.length() > MAX_DESCRIPTION) {
			return description.length() + " characters (expected: at most " + MAX_DESCRIPTION + ")";
		}
		if (description.chars().anyMatch(Character::isISOControl)) {
			return "contains a control character (expected: one line of text)";
		}
		return null;
	}

	/**
	 * What is wrong with a realm user's name.
	 * @param user the user name
	 * @return the problem, or {@code null}
	 */
	public static String userProblem(String user) {
		if (user == null || user.isEmpty()) {
			return "missing (expected: a user name)";
		}
		if (!USER.matcher(user).matches()) {
			return "'" + printable(user) + "' (expected: 1 to " + MAX_USER
					+ " letters, digits, '.', '_', '@', '+' or '-', starting with a letter or digit)";
		}
		return null;
	}

	/**
	 * What is wrong with a user's email address.
	 * @param email the address, or {@code null} for none
	 * @return the problem, or {@code null}
	 */
	public static String emailProblem(String email) {
		if (email == null || email.isEmpty()) {
			return null;
		}
		if (email.length() > MAX_EMAIL || !EMAIL.matcher(email).matches()) {
			return "'" + printable(email) + "' (expected: an address like name@example.com, up to " + MAX_EMAIL
					+ " characters)";
		}
		return null;
	}

	/**
	 * What is wrong with a user's display name.
	 * @param displayName the name, or {@code null} for none
	 * @return the problem, or {@code null}
	 */
	public static String displayNameProblem(String displayName) {
		if (displayName == null) {
			return null;
		}
		if (displayName.length() > MAX_DISPLAY_NAME) {
			return displayName.length() + " characters (expected: at most " + MAX_DISPLAY_NAME + ")";
		}
		if (displayName.chars().anyMatch(Character::isISOControl)) {
			return "contains a control character";
		}
		return null;
	}

	/**
	 * What is wrong with a user's groups.
	 * @param groups the group names
	 * @return the problem, or {@code null}
	 */
	public static String groupsProblem(List<String> groups) {
		if (groups == null) {
			return null;
		}
		if (groups.size() > MAX_GROUPS) {
			return groups.size() + " groups (expected: at most " + MAX_GROUPS + ")";
		}
		for (String group : groups) {
			if (group == null || !GROUP.matcher(group).matches()) {
				return "'" + printable(String.valueOf(group)) + "' (expected: 1 to " + MAX_GROUP
						+ " letters, digits, '.', '_', '@', '+', '/', ':' or '-', starting with a letter or digit)";
			}
		}
		return null;
	}

	/**
	 * Check a user's profile.
	 * @param label what comes before the field in a message, such as
	 * {@code realm Staff: users: alice: }
	 * @param user the user
	 * @throws InvalidConfigurationException naming the field at fault
	 */
	public static void checkProfile(String label, RealmUser user) {
		String problem = emailProblem(user.email());
		if (problem != null) {
			throw new InvalidConfigurationException(label + "email: " + problem);
		}
		problem = displayNameProblem(user.displayName());
		if (problem != null) {
			throw new InvalidConfigurationException(label + "display-name: " + problem);
		}
		problem = groupsProblem(user.groups());
		if (problem != null) {
			throw new InvalidConfigurationException(label + "groups: " + problem);
		}
	}

	/**
	 * What is wrong with a new password; never quotes it.
	 * @param password the password
	 * @return the problem, or {@code null}
	 */
	public static String passwordProblem(String password) {
		if (password == null || password.isEmpty()) {
			return "missing (expected: a password)";
		}
		if (password.codePointCount(0, password.length()) < MIN_PASSWORD) {
			return "too short (expected: at least " + MIN_PASSWORD + " characters)";
		}
		if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
			return "too long (expected: at most " + MAX_PASSWORD_BYTES + " bytes; bcrypt ignores the rest)";
		}
		if (password.chars().anyMatch(Character::isISOControl)) {
			return "contains a control character";
		}
		return null;
	}

	/**
	 * Check a stored hash as the auth plugin will read it.
	 * @param field the field, for the message, such as
	 * {@code realm Staff: users[0].password-hash}
	 * @param user the user name
	 * @param hash the encoded hash
	 * @throws InvalidConfigurationException naming the field and user, never quoting the
	 * hash
	 */
	public static void checkHash(String field, String user, String hash) {
		try {
			UsersFile.of(field, Map.of(user, hash));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationException(ex.getMessage());
		}
	}

	/**
	 * Check a whole realm before it is stored.
	 * @param realm the realm
	 * @throws InvalidConfigurationException naming the realm, field and user at fault
	 */
	public static void check(Realm realm) {
		String problem = nameProblem(realm.name());
		if (problem != null) {
			throw new InvalidConfigurationException("realms: name: " + problem);
		}
		String label = "realm " + realm.name() + ": ";
		problem = descriptionProblem(realm.description());
		if (problem != null) {
			throw new InvalidConfigurationException(label + "description: " + problem);
		}
		for (RealmUser user : realm.users()) {
			problem = userProblem(user.name());
			if (problem != null) {
				throw new InvalidConfigurationException(label + "users: " + problem);
			}
			checkHash(label + "users", user.name(), user.passwordHash());
			checkProfile(label + "users: " + user.name() + ": ", user);
		}
	}

	/**
	 * Hash a new password with bcrypt ({@code $2y$}, the form htpasswd writes). Takes
	 * tens of milliseconds.
	 * @param password the password, checked with {@link #passwordProblem(String)}
	 * @return the encoded hash
	 */
	public static String hash(String password) {
		return ENCODER.encode(password);
	}

	private static String printable(String text) {
		String shown = text.replaceAll("\\p{Cntrl}", "?");
		return (shown.length() > 80) ? shown.substring(0, 80) + "…" : shown;
	}

}
