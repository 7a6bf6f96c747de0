package dev.capuchin.app.realms;

import dev.capuchin.app.shared.config.InvalidConfigurationException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code realms:} list of a configuration document, naming the entry and field
 * at fault ({@code realms[1].users[0].password-hash: user bob: plaintext password ...}),
 * never quoting a hash.
 */
public final class RealmDocument {

	private static final Set<String> REALM_KEYS = Set.of("name", "description", "users");

	private static final Set<String> USER_KEYS = Set.of("name", "password-hash", "email", "display-name", "groups");

	private static final String USER_EXPECTED = "name, password-hash, email, display-name, groups";

	private RealmDocument() {
	}

	public static List<Realm> read(Object raw) {
		if (raw == null) {
			return List.of();
		}
		if (!(raw instanceof List<?> list)) {
			throw new InvalidConfigurationException("realms: expected a list of realms");
		}
		List<Realm> realms = new ArrayList<>();
		Set<String> names = new HashSet<>();
		for (int i = 0; i < list.size(); i++) {
			String field = "realms[" + i + "]";
			Map<?, ?> map = mapping(field, list.get(i), REALM_KEYS, "name, description, users");
			String name = string(field + ".name", map.get("name"));
			String problem = RealmRules.nameProblem(name);
			if (problem != null) {
				throw new InvalidConfigurationException(field + ".name: " + problem);
			}
			if (!names.add(name)) {
				throw new InvalidConfigurationException(field + ".name: '" + name + "' is listed twice");
			}
			String description = string(field + ".description", map.get("description"));
			problem = RealmRules.descriptionProblem(description);
			if (problem != null) {
				throw new InvalidConfigurationException(field + ".description: " + problem);
			}
			realms.add(new Realm(name, description, users(field, map.get("users")), null));
		}
		return realms;
	}

	private static List<RealmUser> users(String realm, Object raw) {
		if (raw == null) {
			return List.of();
		}
		if (!(raw instanceof List<?> list)) {
			throw new InvalidConfigurationException(realm + ".users: expected a list of users (" + USER_EXPECTED + ")");
		}
		List<RealmUser> users = new ArrayList<>();
		Set<String> names = new HashSet<>();
		for (int i = 0; i < list.size(); i++) {
			String field = realm + ".users[" + i + "]";
			Map<?, ?> map = mapping(field, list.get(i), USER_KEYS, USER_EXPECTED);
			String name = string(field + ".name", map.get("name"));
			String problem = RealmRules.userProblem(name);
			if (problem != null) {
				throw new InvalidConfigurationException(field + ".name: " + problem);
			}
			if (!names.add(name)) {
				throw new InvalidConfigurationException(field + ".name: '" + name + "' is listed twice");
			}
			if (!(map.get("password-hash") instanceof String hash) || hash.isBlank()) {
				throw new InvalidConfigurationException(field + ".password-hash: missing (expected: a bcrypt or {SHA} "
						+ "hash; set passwords in the console or with the API)");
			}
			RealmRules.checkHash(field + ".password-hash", name, hash.strip());
			RealmUser user = new RealmUser(name, hash.strip(), string(field + ".email", map.get("email")),
					string(field + ".display-name", map.get("display-name")),
					groups(field + ".groups", map.get("groups")), null);
			RealmRules.checkProfile(field + ".", user);
			users.add(user);
		}
		return users;
	}

	private static List<String> groups(String field, Object raw) {
		if (raw == null) {
			return List.of();
		}
		if (!(raw instanceof List<?> list)) {
			throw new InvalidConfigurationException(field + ": expected a list of group names");
		}
		List<String> groups = new ArrayList<>();
		for (int i = 0; i < list.size(); i++) {
			groups.add(string(field + "[" + i + "]", list.get(i)));
		}
		return groups;
	}

	private static Map<?, ?> mapping(String field, Object raw, Set<String> keys, String expected) {
		if (!(raw instanceof Map<?, ?> map)) {
			throw new InvalidConfigurationException(field + ": expected a mapping (" + expected + ")");
		}
		for (Object key : map.keySet()) {
			if (!keys.contains(String.valueOf(key))) {
				throw new InvalidConfigurationException(
						field + "." + key + ": unknown key (expected: " + expected + ")");
			}
		}
		return map;
	}

	private static String string(String field, Object raw) {
		if (raw == null || raw instanceof String) {
			return (String) raw;
		}
		throw new InvalidConfigurationException(field + ": '" + raw + "' (expected: text)");
	}

}
