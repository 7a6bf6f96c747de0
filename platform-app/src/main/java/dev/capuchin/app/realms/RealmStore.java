package dev.capuchin.app.realms;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;

/**
 * Auth realms and their users in the {@code auth_realm} and {@code auth_realm_user}
 * tables. Hashes arrive here already hashed. Callers own the transaction.
 */
public class RealmStore {

	private final JdbcTemplate jdbc;

	public RealmStore(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Every realm with its users, by name.
	 * @return the realms
	 */
	public List<Realm> findAll() {
		Map<Long, List<RealmUser>> users = new LinkedHashMap<>();
		this.jdbc.query("""
				select realm_id, username, password_hash, email, display_name, group_names, created_at
				from auth_realm_user order by username""", (rs) -> {
			users.computeIfAbsent(rs.getLong("realm_id"), (id) -> new ArrayList<>())
				.add(new RealmUser(rs.getString("username"), rs.getString("password_hash"), rs.getString("email"),
						rs.getString("display_name"), groups(rs.getString("group_names")),
						rs.getTimestamp("created_at").toInstant()));
		});
		return this.jdbc.query("select id, name, description, created_at from auth_realm order by name",
				(rs, row) -> new Realm(rs.getString("name"), rs.getString("description"),
						users.getOrDefault(rs.getLong("id"), List.of()), rs.getTimestamp("created_at").toInstant()));
	}

	/**
	 * One realm with its users.
	 * @param name the realm's name
	 * @return the realm, or empty
	 */
	public Optional<Realm> find(String name) {
		return findAll().stream().filter((realm) -> realm.name().equals(name)).findFirst();
	}

	/**
	 * Make the stored realms these: realms and users missing from the list are deleted,
	 * new ones inserted, changed descriptions and hashes updated. Realms and users that
	 * stay keep their creation time.
	 * @param realms the realms, with unique names
	 */
	public void replaceAll(List<Realm> realms) {
		Map<String, Long> ids = new LinkedHashMap<>();
		this.jdbc.query("select id, name from auth_realm", (rs) -> {
			ids.put(rs.getString("name"), rs.getLong("id"));
		});
		Map<String, Realm> stored = new LinkedHashMap<>();
		findAll().forEach((realm) -> stored.put(realm.name(), realm));
		Timestamp now = Timestamp.from(Instant.now());
		for (Realm realm : realms) {
			Long id = ids.remove(realm.name());
			if (id == null) {
				id = insert(realm, now);
				for (RealmUser user : realm.users()) {
					insertUser(id, user, now);
				}
				continue;
			}
			Realm before = stored.get(realm.name());
			if (!before.description().equals(realm.description())) {
				this.jdbc.update("update auth_realm set description = ? where id = ?", realm.description(), id);
			}
			replaceUsers(id, before, realm, now);
		}
		for (Long gone : ids.values()) {
			this.jdbc.update("delete from auth_realm where id = ?", gone);
		}
	}

	private void replaceUsers(long realmId, Realm before, Realm after, Timestamp now) {
		Map<String, RealmUser> old = new LinkedHashMap<>();
		before.users().forEach((user) -> old.put(user.name(), user));
		for (RealmUser user : after.users()) {
			RealmUser previous = old.remove(user.name());
			if (previous == null) {
				insertUser(realmId, user, now);
			}
			else if (!Objects.equals(previous.passwordHash(), user.passwordHash()) || !previous.sameProfile(user)) {
				this.jdbc.update("""
						update auth_realm_user set password_hash = ?, email = ?, display_name = ?, group_names = ?
						where realm_id = ? and username = ?""", user.passwordHash(), user.email(), user.displayName(),
						groupNames(user), realmId, user.name());
			}
		}
		for (String gone : old.keySet()) {
			this.jdbc.update("delete from auth_realm_user where realm_id = ? and username = ?", realmId, gone);
		}
	}

	private long insert(Realm realm, Timestamp now) {
		KeyHolder key = new GeneratedKeyHolder();
		this.jdbc.update((connection) -> {
			var statement = connection.prepareStatement(
					"insert into auth_realm (name, description, created_at) values (?, ?, ?)", new String[] { "id" });
			statement.setString(1, realm.name());
			statement.setString(2, realm.description());
			statement.setTimestamp(3, now);
			return statement;
		}, key);
		return key.getKey().longValue();
	}

	private void insertUser(long realmId, RealmUser user, Timestamp now) {
		this.jdbc.update(
				"""
						insert into auth_realm_user (realm_id, username, password_hash, email, display_name, group_names, created_at)
						values (?, ?, ?, ?, ?, ?, ?)""",
				realmId, user.name(), user.passwordHash(), user.email(), user.displayName(), groupNames(user), now);
	}

	private static String groupNames(RealmUser user) {
		// group names hold no comma (RealmRules)
		return user.groups().isEmpty() ? null : String.join(",", user.groups());
	}

	private static List<String> groups(String names) {
		return (names == null || names.isEmpty()) ? List.of() : List.of(names.split(","));
	}

}
