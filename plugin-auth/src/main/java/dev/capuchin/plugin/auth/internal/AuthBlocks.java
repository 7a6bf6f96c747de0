package dev.capuchin.plugin.auth.internal;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.capuchin.plugin.auth.AuthMode;
import dev.capuchin.plugin.auth.LocationAuth;
import dev.capuchin.plugin.auth.Require;
import dev.capuchin.plugin.auth.UsersFile;

/**
 * Reads the keys every mode shares in a location's {@code auth:} block ({@code mode},
 * {@code realm}, {@code require}), refuses keys no one reads, and hands the rest to the
 * chosen mode. A block names its mode with {@code mode:}, or by holding a key of the
 * mode's name ({@code bearer: {issuer: …}}); without either it is {@code basic}.
 */
public final class AuthBlocks {

	/** The mode of a block that names none. */
	public static final String DEFAULT_MODE = "basic";

	/** The realm of a block that names none. */
	public static final String DEFAULT_REALM = "Restricted";

	/** The longest realm accepted. */
	static final int MAX_REALM = 256;

	private static final Set<String> COMMON_KEYS = Set.of("mode", "realm", "require");

	private final Map<String, AuthMode> modes;

	/**
	 * Read blocks for the given modes.
	 * @param modes the modes by name
	 */
	public AuthBlocks(Map<String, AuthMode> modes) {
		this.modes = Map.copyOf(modes);
	}

	/**
	 * Compile one block.
	 * @param field the block's name for messages, such as
	 * {@code site shop: locations[0].auth}
	 * @param raw the block as read from the site file
	 * @return the compiled block
	 * @throws IllegalArgumentException naming the field at fault
	 */
	public LocationAuth compile(String field, Object raw) {
		if (!(raw instanceof Map<?, ?> map)) {
			throw new IllegalArgumentException(field + ": expected a map (realm, users-file, require)");
		}
		@SuppressWarnings("unchecked")
		Map<String, Object> block = (Map<String, Object>) map;
		AuthMode mode = mode(field, block);
		for (Object key : block.keySet()) {
			if (!COMMON_KEYS.contains(key) && !mode.keys().contains(key)) {
				Set<String> known = new TreeSet<>(COMMON_KEYS);
				known.addAll(mode.keys());
				throw new IllegalArgumentException(field + "." + key + ": unknown key for mode " + mode.name()
						+ " (expected: " + String.join(", ", known) + ")");
			}
		}
		String realm = realm(field + ".realm", block.get("realm"));
		Require require = require(field + ".require", block.get("require"));
		Object modeSettings = mode.compile(field, block, realm);
		return new LocationAuth(field, mode, realm, require, modeSettings);
	}

	private AuthMode mode(String field, Map<String, Object> block) {
		Object raw = block.get("mode");
		if (raw == null) {
			for (String name : new TreeSet<>(this.modes.keySet())) {
				if (!name.equals(DEFAULT_MODE) && block.containsKey(name)) {
					return this.modes.get(name);
				}
			}
			return this.modes.get(DEFAULT_MODE);
		}
		AuthMode mode = (raw instanceof String name) ? this.modes.get(name) : null;
		if (mode == null) {
			throw new IllegalArgumentException(field + ".mode: '" + raw + "' is not supported (expected: "
					+ String.join(", ", new TreeSet<>(this.modes.keySet())) + ")");
		}
		return mode;
	}

	/**
	 * A realm: printable ASCII, so it goes on the wire as written and nothing in it can
	 * end the header line.
	 */
	static String realm(String field, Object raw) {
		if (raw == null) {
			return DEFAULT_REALM;
		}
		if (!(raw instanceof String realm) || realm.isEmpty()) {
			throw new IllegalArgumentException(field + ": expected a non-empty string");
		}
		if (realm.length() > MAX_REALM) {
			throw new IllegalArgumentException(
					field + ": " + realm.length() + " characters (expected: at most " + MAX_REALM + ")");
		}
		for (int i = 0; i < realm.length(); i++) {
			char c = realm.charAt(i);
			if (c < 0x20 || c > 0x7e) {
				throw new IllegalArgumentException(field + ": '" + realm.replaceAll("\\p{Cntrl}", "?")
						+ "' contains a character outside printable ASCII (expected: printable ASCII)");
			}
		}
		return realm;
	}

	static Require require(String field, Object raw) {
		if (raw == null || "valid-user".equals(raw)) {
			return Require.VALID_USER;
		}
		if (!(raw instanceof List<?> list) || list.isEmpty()) {
			throw new IllegalArgumentException(
					field + ": '" + raw + "' (expected: valid-user or a non-empty list of users)");
		}
		Set<String> users = new LinkedHashSet<>();
		for (int i = 0; i < list.size(); i++) {
			Object user = list.get(i);
			String problem = (user instanceof String name) ? UsersFile.userProblem(name) : "expected a user name";
			if (problem != null) {
				throw new IllegalArgumentException(field + "[" + i + "]: " + problem);
			}
			users.add((String) user);
		}
		return Require.users(users);
	}

}
