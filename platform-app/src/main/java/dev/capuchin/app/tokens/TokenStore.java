package dev.capuchin.app.tokens;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;

/**
 * API tokens in the {@code api_token} table. Tokens arrive here already hashed and are
 * looked up by their hash; reads return the hash only to the check that compares it.
 */
public class TokenStore {

	private static final String COLUMNS = "id, name, scope, created_by, created_at, expires_at, last_used_at, revoked_at";

	private final JdbcTemplate jdbc;

	public TokenStore(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Every token, newest first, revoked ones included.
	 * @return the tokens
	 */
	public List<ApiToken> findAll() {
		return this.jdbc.query("select " + COLUMNS + " from api_token order by id desc", (rs, row) -> token(rs));
	}

	/**
	 * One token.
	 * @param id its number
	 * @return the token, or empty
	 */
	public Optional<ApiToken> find(long id) {
		return this.jdbc.query("select " + COLUMNS + " from api_token where id = ?", (rs, row) -> token(rs), id)
			.stream()
			.findFirst();
	}

	/**
	 * The token with a hash, for the check of a presented token.
	 * @param tokenHash the hex SHA-256 of the presented token
	 * @return the token and its stored hash, or empty
	 */
	public Optional<Hashed> findByHash(String tokenHash) {
		return this.jdbc
			.query("select " + COLUMNS + ", token_hash from api_token where token_hash = ?",
					(rs, row) -> new Hashed(token(rs), rs.getString("token_hash")), tokenHash)
			.stream()
			.findFirst();
	}

	/**
	 * Add a token.
	 * @param name what it is for
	 * @param tokenHash the hex SHA-256 of the token
	 * @param scope what it may do
	 * @param createdBy who creates it
	 * @param createdAt when
	 * @param expiresAt when it stops working, or {@code null}
	 * @return the token
	 */
	public ApiToken create(String name, String tokenHash, ApiToken.Scope scope, String createdBy, Instant createdAt,
			Instant expiresAt) {
		KeyHolder key = new GeneratedKeyHolder();
		this.jdbc.update((connection) -> {
			var statement = connection
				.prepareStatement("insert into api_token (name, token_hash, scope, created_by, created_at, expires_at) "
						+ "values (?, ?, ?, ?, ?, ?)", new String[] { "id" });
			statement.setString(1, name);
			statement.setString(2, tokenHash);
			statement.setString(3, scope.key());
			statement.setString(4, createdBy);
			statement.setTimestamp(5, Timestamp.from(createdAt));
			statement.setTimestamp(6, (expiresAt != null) ? Timestamp.from(expiresAt) : null);
			return statement;
		}, key);
		return find(key.getKey().longValue()).orElseThrow();
	}

	/**
	 * Revoke a token that is not revoked yet.
	 * @param id its number
	 * @param at when
	 * @return whether it was revoked now
	 */
	public boolean revoke(long id, Instant at) {
		return this.jdbc.update("update api_token set revoked_at = ? where id = ? and revoked_at is null",
				Timestamp.from(at), id) == 1;
	}

	/**
	 * Record a use, unless one was recorded since {@code notBefore}: concurrent requests
	 * of one token write once.
	 * @param id its number
	 * @param at when it was used
	 * @param notBefore the earliest recorded use that makes this one unnecessary
	 * @return whether the use was written
	 */
	public boolean touch(long id, Instant at, Instant notBefore) {
		return this.jdbc.update(
				"update api_token set last_used_at = ? where id = ? and (last_used_at is null or last_used_at < ?)",
				Timestamp.from(at), id, Timestamp.from(notBefore)) == 1;
	}

	private static ApiToken token(ResultSet rs) throws SQLException {
		return new ApiToken(rs.getLong("id"), rs.getString("name"), ApiToken.Scope.of(rs.getString("scope")),
				rs.getString("created_by"), rs.getTimestamp("created_at").toInstant(),
				instant(rs.getTimestamp("expires_at")), instant(rs.getTimestamp("last_used_at")),
				instant(rs.getTimestamp("revoked_at")));
	}

	private static Instant instant(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	/**
	 * A token and its stored hash.
	 *
	 * @param token the token
	 * @param tokenHash the hex SHA-256 kept for it
	 */
	public record Hashed(ApiToken token, String tokenHash) {
	}

}
