package dev.capuchin.app.certificates;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The store's writes that the console's and the API's actions make beside the ones of
 * {@link CertificateStore}: each one a single statement, so that it never overwrites what
 * a node's order wrote meanwhile.
 */
final class CertificateEdits {

	private final JdbcTemplate jdbc;

	CertificateEdits(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Make a site's certificate due, so that the next look orders one.
	 * @return whether there was a row
	 */
	boolean due(String name, Instant now) {
		return this.jdbc.update("update certificate set next_attempt = ? where name = ?", Timestamp.from(now),
				name) == 1;
	}

	/**
	 * Remove an uploaded certificate.
	 * @return whether it was there
	 */
	boolean deleteUploaded(String name) {
		return this.jdbc.update("delete from certificate where name = ? and source = ?", name,
				UploadedCertificates.SOURCE) == 1;
	}

	/** The stored account of a CA: its email, encrypted key and URL, or {@code null}. */
	@Nullable Map<String, Object> account(String directory) {
		List<Map<String, Object>> rows = this.jdbc.queryForList(
				"select email, key_pair_encrypted, location from acme_account where directory = ?", directory);
		return rows.isEmpty() ? null : rows.get(0);
	}

	void email(String directory, String email) {
		this.jdbc.update("update acme_account set email = ? where directory = ?", email, directory);
	}

	void accountKey(String directory, String encryptedKey) {
		this.jdbc.update("update acme_account set key_pair_encrypted = ? where directory = ?", encryptedKey, directory);
	}

}
