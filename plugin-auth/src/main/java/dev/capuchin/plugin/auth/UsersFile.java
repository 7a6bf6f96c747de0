package dev.capuchin.plugin.auth;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.capuchin.core.spi.StrictUtf8;
import dev.capuchin.plugin.auth.internal.PasswordHash;

/**
 * The users of a users file in htpasswd form: one {@code user:hash} per line, blank lines
 * and {@code #} comments ignored. Only hashes that are safe to keep are read: bcrypt
 * ({@code $2y$}, {@code $2a$}, {@code $2b$}) and {@code {SHA}}; a plaintext password or
 * any other scheme ({@code $apr1$}, crypt) refuses the whole file with a message naming
 * the file, the line and the user. Immutable.
 */
public final class UsersFile {

	/**
	 * The largest users file read: close to a million bcrypt users fit, and a wrong path
	 * (a log, a disk image) is refused rather than read into memory.
	 */
	public static final long MAX_SIZE = 64L * 1024 * 1024;

	private final String source;

	private final Map<String, PasswordHash> users;

	private final PasswordHash decoy;

	private UsersFile(String source, Map<String, PasswordHash> users) {
		this.source = source;
		this.users = Collections.unmodifiableMap(users);
		this.decoy = users.values().stream().findFirst().orElse(null);
	}

	/**
	 * Read a users file. Blocks: call it off the event loops.
	 * @param file the file
	 * @return the users
	 * @throws IllegalArgumentException naming the file (and the line and user) when it
	 * cannot be read or an entry is refused
	 */
	public static UsersFile load(Path file) {
		byte[] bytes;
		try {
			long size = Files.size(file);
			if (size > MAX_SIZE) {
				throw new IllegalArgumentException(
						file + ": " + size + " bytes (expected: at most " + MAX_SIZE + " for a users file)");
			}
			bytes = Files.readAllBytes(file);
		}
		catch (NoSuchFileException ex) {
			throw new IllegalArgumentException(file + ": no such file");
		}
		catch (IOException ex) {
			throw new IllegalArgumentException(file + ": cannot be read (" + ex + ")");
		}
		String text;
		try {
			text = StrictUtf8.decode(bytes);
		}
		catch (CharacterCodingException ex) {
			throw new IllegalArgumentException(file + ": not UTF-8 text");
		}
		return parse(file.toString(), text);
	}

	/**
	 * Read the text of a users file.
	 * @param source the file's name, for messages
	 * @param text the file's text
	 * @return the users
	 * @throws IllegalArgumentException naming the source, line and user of a refused
	 * entry
	 */
	public static UsersFile parse(String source, String text) {
		Map<String, PasswordHash> users = new LinkedHashMap<>();
		Map<String, Integer> lines = new HashMap<>();
		String[] rows = text.split("\n", -1);
		for (int i = 0; i < rows.length; i++) {
			int number = i + 1;
			String line = rows[i].endsWith("\r") ? rows[i].substring(0, rows[i].length() - 1) : rows[i];
			String content = line.strip();
			if (content.isEmpty() || content.startsWith("#")) {
				continue;
			}
			int colon = line.indexOf(':');
			if (colon < 0) {
				throw new IllegalArgumentException(source + ": line " + number + ": expected user:hash");
			}
			String user = line.substring(0, colon);
			String problem = userProblem(user);
			if (problem != null) {
				throw new IllegalArgumentException(source + ": line " + number + ": " + problem);
			}
			String prefix = source + ": line " + number + ": user " + user + ": ";
			Integer first = lines.putIfAbsent(user, number);
			if (first != null) {
				throw new IllegalArgumentException(prefix + "listed again (first on line " + first + ")");
			}
			try {
				users.put(user, PasswordHash.of(line.substring(colon + 1).strip()));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException(prefix + ex.getMessage());
			}
		}
		return new UsersFile(source, users);
	}

	/**
	 * Read users given as a mapping of user names to encoded hashes (a location block's
	 * {@code users:}), checked exactly as the lines of a users file.
	 * @param source the mapping's name, for messages, such as
	 * {@code site shop: locations[0].auth.users}
	 * @param entries user name to encoded hash
	 * @return the users, in mapping order
	 * @throws IllegalArgumentException naming the source and user of a refused entry;
	 * never quoting a hash or password
	 */
	public static UsersFile of(String source, Map<?, ?> entries) {
		Map<String, PasswordHash> users = new LinkedHashMap<>();
		for (Map.Entry<?, ?> entry : entries.entrySet()) {
			if (!(entry.getKey() instanceof String user)) {
				throw new IllegalArgumentException(source + ": '" + entry.getKey() + "' (expected: a user name)");
			}
			String problem = userProblem(user);
			if (problem != null) {
				throw new IllegalArgumentException(source + ": " + problem);
			}
			String prefix = source + ": user " + user + ": ";
			if (!(entry.getValue() instanceof String encoded)) {
				throw new IllegalArgumentException(
						prefix + "expected a password hash (bcrypt $2y$, $2a$ or $2b$, or {SHA})");
			}
			try {
				users.put(user, PasswordHash.of(encoded.strip()));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException(prefix + ex.getMessage());
			}
		}
		return new UsersFile(source, users);
	}

	/**
	 * What is wrong with a user name, or {@code null} when it may be used: not empty, no
	 * colon or control character, no surrounding white space, no leading {@code #}.
	 * @param user the user name
	 * @return the problem, or {@code null}
	 */
	public static String userProblem(String user) {
		if (user.isEmpty()) {
			return "empty user name";
		}
		if (user.indexOf(':') >= 0) {
			return "user name contains ':'";
		}
		if (!user.strip().equals(user)) {
			return "user name starts or ends with white space";
		}
		if (user.startsWith("#")) {
			return "user name starts with '#'";
		}
		for (int i = 0; i < user.length(); i++) {
			if (Character.isISOControl(user.charAt(i))) {
				return "user name contains a control character";
			}
		}
		return null;
	}

	/**
	 * The file this was read from.
	 * @return the source name
	 */
	public String source() {
		return this.source;
	}

	/**
	 * The user names, in file order.
	 * @return the users
	 */
	public Set<String> users() {
		return this.users.keySet();
	}

	/**
	 * Whether a user is listed.
	 * @param user the user name
	 * @return {@code true} when listed
	 */
	public boolean contains(String user) {
		return this.users.containsKey(user);
	}

	/**
	 * Check a user's password. An unknown user costs the same as a known one (the
	 * password is checked against another entry and the result thrown away), so response
	 * times do not tell which users exist. Blocks: call it off the event loops.
	 * @param user the user name
	 * @param password the password
	 * @return {@code true} when the user is listed and the password matches
	 */
	public boolean verify(String user, String password) {
		PasswordHash hash = this.users.get(user);
		if (hash == null) {
			if (this.decoy != null) {
				this.decoy.matches(password);
			}
			return false;
		}
		return hash.matches(password);
	}

	@Override
	public String toString() {
		return this.source + " (" + this.users.size() + " users)";
	}

}
