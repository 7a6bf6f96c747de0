package dev.capuchin.app.users;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Console accounts in the {@code console_user} table. Passwords arrive here already
 * hashed; reads never return the hash except to the sign-in check.
 */
public class ConsoleUserStore {

	private static final String COLUMNS = "username, role, created_at, enabled";

	private final JdbcTemplate jdbc;

	public ConsoleUserStore(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Every account, by name.
	 * @return the accounts
	 */
	public List<ConsoleUser> findAll() {
		return this.jdbc.query("select " + COLUMNS + " from console_user order by username", (rs, row) -> user(rs));
	}

	/**
	 * One account.
	 * @param username the name
	 * @return the account, or empty
	 */
	public Optional<ConsoleUser> find(String username) {
		return this.jdbc
			.query("select " + COLUMNS + " from console_user where username = ?", (rs, row) -> user(rs), username)
			.stream()
			.findFirst();
	}

	/**
	 * An account with its password hash, for the sign-in check only.
	 * @param username the name
	 * @return the account and hash, or empty
	 */
	public Optional<Credentials> credentials(String username) {
		return this.jdbc
			.query("select " + COLUMNS + ", password_hash from console_user where username = ?",
					(rs, row) -> new Credentials(user(rs), rs.getString("password_hash")), username)
			.stream()
			.findFirst();
	}

	/**
	 * Add an account.
	 * @param username the name, not taken yet
	 * @param passwordHash the encoded password
	 * @param role the role
	 * @return the account
	 */
	public ConsoleUser create(String username, String passwordHash, ConsoleUser.Role role) {
		Instant now = Instant.now();
		this.jdbc.update(
				"insert into console_user (username, password_hash, role, created_at, enabled) values (?, ?, ?, ?, ?)",
				username, passwordHash, role.key(), Timestamp.from(now), true);
		return find(username).orElseThrow();
	}

	/**
	 * Change an account's role and switch.
	 * @param username the name
	 * @param role the new role
	 * @param enabled whether it may sign in
	 * @return whether the account exists
	 */
	public boolean update(String username, ConsoleUser.Role role, boolean enabled) {
		return this.jdbc.update("update console_user set role = ?, enabled = ? where username = ?", role.key(), enabled,
				username) == 1;
	}

	/**
	 * Replace an account's password.
	 * @param username the name
	 * @param passwordHash the encoded password
	 * @return whether the account exists
	 */
	public boolean changePassword(String username, String passwordHash) {
		return this.jdbc.update("update console_user set password_hash = ? where username = ?", passwordHash,
				username) == 1;
	}

	/**
	 * Remove an account.
	 * @param username the name
	 * @return whether it existed
	 */
	public boolean delete(String username) {
		return this.jdbc.update("delete from console_user where username = ?", username) == 1;
	}

	private static ConsoleUser user(ResultSet rs) throws SQLException {
		return new ConsoleUser(rs.getString("username"), ConsoleUser.Role.of(rs.getString("role")),
				rs.getTimestamp("created_at").toInstant(), rs.getBoolean("enabled"));
	}

	/**
	 * An account and its password hash.
	 *
	 * @param user the account
	 * @param passwordHash the encoded password
	 */
	public record Credentials(ConsoleUser user, String passwordHash) {
	}

}
