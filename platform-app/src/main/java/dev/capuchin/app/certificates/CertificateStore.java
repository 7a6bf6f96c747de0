package dev.capuchin.app.certificates;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The certificates, the ACME account and the pending HTTP-01 and TLS-ALPN-01 answers in
 * the store. Keys are stored as given (the caller encrypts them); every node reads the
 * same rows.
 */
public final class CertificateStore {

	private static final String COLUMNS = "name, names, source, issuer, serial, not_before, not_after, "
			+ "certificate_chain, private_key_encrypted, next_attempt, failures, last_error, updated_at";

	private final JdbcTemplate jdbc;

	/**
	 * A store on a database that Flyway migrated.
	 * @param jdbc the database
	 */
	public CertificateStore(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Every certificate row, by name.
	 * @return the rows
	 */
	public List<StoredCertificate> all() {
		return this.jdbc.query("select " + COLUMNS + " from certificate order by name", CertificateStore::row);
	}

	/**
	 * One certificate row.
	 * @param name the site's name
	 * @return the row, or {@code null}
	 */
	public @Nullable StoredCertificate find(String name) {
		List<StoredCertificate> rows = this.jdbc.query("select " + COLUMNS + " from certificate where name = ?",
				CertificateStore::row, name);
		return rows.isEmpty() ? null : rows.get(0);
	}

	/**
	 * Write a certificate row, replacing the one of that name.
	 * @param row the row
	 */
	public void save(StoredCertificate row) {
		Object[] values = { String.join(",", row.names()), row.source(), row.issuer(), row.serial(),
				timestamp(row.notBefore()), timestamp(row.notAfter()), row.certificateChain(),
				row.privateKeyEncrypted(), timestamp(row.nextAttempt()), row.failures(), row.lastError(),
				timestamp(row.updatedAt()), row.name() };
		int updated = this.jdbc.update("update certificate set names = ?, source = ?, issuer = ?, serial = ?, "
				+ "not_before = ?, not_after = ?, certificate_chain = ?, private_key_encrypted = ?, next_attempt = ?, "
				+ "failures = ?, last_error = ?, updated_at = ? where name = ?", values);
		if (updated == 0) {
			try {
				this.jdbc.update("insert into certificate (names, source, issuer, serial, not_before, not_after, "
						+ "certificate_chain, private_key_encrypted, next_attempt, failures, last_error, updated_at, "
						+ "name) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values);
			}
			catch (DuplicateKeyException ex) {
				// another node wrote it meanwhile: the later write wins, as an update
				// would
				save(row);
			}
		}
	}

	/**
	 * Take the lease on a site's order, so that no other node orders for it meanwhile.
	 * @param name the site's name
	 * @param names the names to order, for a row made here
	 * @param owner the node's id
	 * @param now the time
	 * @param until when the lease ends if it is never released (a node that died)
	 * @return whether this node holds the lease now
	 */
	public boolean lease(String name, List<String> names, String owner, Instant now, Instant until) {
		try {
			this.jdbc.update(
					"insert into certificate (name, names, source, next_attempt, failures, updated_at) "
							+ "values (?, ?, ?, ?, 0, ?)",
					name, String.join(",", names), StoredCertificate.ACME, Timestamp.from(now), Timestamp.from(now));
		}
		catch (DuplicateKeyException ex) {
			// the row is there already: the lease is taken on it
		}
		return this.jdbc.update(
				"update certificate set lease_owner = ?, lease_until = ? where name = ? "
						+ "and (lease_owner is null or lease_owner = ? or lease_until < ?)",
				owner, Timestamp.from(until), name, owner, Timestamp.from(now)) == 1;
	}

	/**
	 * Give a lease back.
	 * @param name the site's name
	 * @param owner the node's id
	 */
	public void release(String name, String owner) {
		this.jdbc.update(
				"update certificate set lease_owner = null, lease_until = null where name = ? " + "and lease_owner = ?",
				name, owner);
	}

	/**
	 * The encrypted account key for a CA.
	 * @param directory the CA's directory URL
	 * @return the encrypted PEM key pair, or {@code null} when no account exists yet
	 */
	public @Nullable String accountKey(String directory) {
		List<String> keys = this.jdbc.queryForList("select key_pair_encrypted from acme_account where directory = ?",
				String.class, directory);
		return keys.isEmpty() ? null : keys.get(0);
	}

	/**
	 * Keep a new account key, unless another node kept one first.
	 * @param directory the CA's directory URL
	 * @param email the contact address, or {@code null}
	 * @param encryptedKey the encrypted PEM key pair
	 * @param now the time
	 * @return the key in the store: this one, or the one another node kept first
	 */
	public String saveAccountKey(String directory, @Nullable String email, String encryptedKey, Instant now) {
		try {
			this.jdbc.update(
					"insert into acme_account (directory, email, key_pair_encrypted, created_at) values (?, ?, ?, ?)",
					directory, email, encryptedKey, Timestamp.from(now));
			return encryptedKey;
		}
		catch (DuplicateKeyException ex) {
			return accountKey(directory);
		}
	}

	/**
	 * Remember the account's URL once the CA answered.
	 * @param directory the CA's directory URL
	 * @param location the account URL
	 */
	public void saveAccountLocation(String directory, String location) {
		this.jdbc.update("update acme_account set location = ? where directory = ?", location, directory);
	}

	/**
	 * Offer the answer to an HTTP-01 challenge on every node.
	 * @param token the token
	 * @param keyAuthorization the answer
	 * @param expiresAt when it may be deleted even if the order never finished
	 */
	public void putChallenge(String token, String keyAuthorization, Instant expiresAt) {
		this.jdbc.update("delete from acme_challenge where token = ? or expires_at < ?", token,
				Timestamp.from(Instant.now()));
		this.jdbc.update("insert into acme_challenge (token, key_authorization, expires_at) values (?, ?, ?)", token,
				keyAuthorization, Timestamp.from(expiresAt));
	}

	/**
	 * The answer to an HTTP-01 challenge.
	 * @param token the token
	 * @return the key authorization, or {@code null} when the token is unknown or expired
	 */
	public @Nullable String challenge(String token) {
		List<String> answers = this.jdbc.queryForList(
				"select key_authorization from acme_challenge where token = ? and expires_at > ?", String.class, token,
				Timestamp.from(Instant.now()));
		return answers.isEmpty() ? null : answers.get(0);
	}

	/**
	 * Withdraw an HTTP-01 answer once its validation finished.
	 * @param token the token
	 */
	public void removeChallenge(String token) {
		this.jdbc.update("delete from acme_challenge where token = ?", token);
	}

	/**
	 * Offer the certificate that answers a TLS-ALPN-01 challenge on every node, replacing
	 * an earlier one for the name.
	 * @param name the host name validated, in lower case
	 * @param certificatePem the challenge certificate, PEM
	 * @param privateKeyEncrypted its PKCS#8 PEM key, encrypted with the master key
	 * @param expiresAt when it may be deleted even if the order never finished
	 */
	public void putAlpnChallenge(String name, String certificatePem, String privateKeyEncrypted, Instant expiresAt) {
		this.jdbc.update("delete from acme_tls_alpn_challenge where name = ? or expires_at < ?", name,
				Timestamp.from(Instant.now()));
		this.jdbc.update("insert into acme_tls_alpn_challenge (name, certificate, private_key_encrypted, expires_at) "
				+ "values (?, ?, ?, ?)", name, certificatePem, privateKeyEncrypted, Timestamp.from(expiresAt));
	}

	/**
	 * The certificate that answers a TLS-ALPN-01 challenge.
	 * @param name the host name, in lower case
	 * @return the PEM certificate and the encrypted PEM key, or {@code null} when none is
	 * pending
	 */
	public @Nullable AlpnChallengeRow alpnChallenge(String name) {
		List<AlpnChallengeRow> rows = this.jdbc.query(
				"select certificate, private_key_encrypted from acme_tls_alpn_challenge where name = ? "
						+ "and expires_at > ?",
				(rs, index) -> new AlpnChallengeRow(rs.getString(1), rs.getString(2)), name,
				Timestamp.from(Instant.now()));
		return rows.isEmpty() ? null : rows.get(0);
	}

	/**
	 * Withdraw a TLS-ALPN-01 certificate once its validation finished.
	 * @param name the host name
	 */
	public void removeAlpnChallenge(String name) {
		this.jdbc.update("delete from acme_tls_alpn_challenge where name = ?", name);
	}

	/**
	 * A stored TLS-ALPN-01 challenge certificate.
	 *
	 * @param certificatePem the certificate, PEM
	 * @param privateKeyEncrypted its PKCS#8 PEM key, encrypted with the master key
	 */
	public record AlpnChallengeRow(String certificatePem, String privateKeyEncrypted) {
	}

	private static @Nullable Timestamp timestamp(@Nullable Instant instant) {
		return (instant != null) ? Timestamp.from(instant) : null;
	}

	private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
		Timestamp value = rs.getTimestamp(column);
		return (value != null) ? value.toInstant() : null;
	}

	private static StoredCertificate row(ResultSet rs, int index) throws SQLException {
		return new StoredCertificate(rs.getString("name"), Arrays.asList(rs.getString("names").split(",")),
				rs.getString("source"), rs.getString("issuer"), rs.getString("serial"), instant(rs, "not_before"),
				instant(rs, "not_after"), rs.getString("certificate_chain"), rs.getString("private_key_encrypted"),
				instant(rs, "next_attempt"), rs.getInt("failures"), rs.getString("last_error"),
				instant(rs, "updated_at"));
	}

}
