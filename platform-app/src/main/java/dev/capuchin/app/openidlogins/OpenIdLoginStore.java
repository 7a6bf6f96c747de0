package dev.capuchin.app.openidlogins;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.capuchin.app.transfer.ConfigDocument;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * OpenID logins in the {@code openid_login} table, in the order they were listed. The
 * settings are YAML text ({@link OpenIdLoginDocument#map} without the secret, with the
 * private key of {@code private-key-jwt} encrypted); the client secret is a column of its
 * own, only ever encrypted. Callers own the transaction.
 */
public class OpenIdLoginStore {

	private final JdbcTemplate jdbc;

	private final OpenIdLoginKeys keys;

	/**
	 * @param jdbc the store
	 * @param keys encrypts the secrets and derives the session keys
	 */
	public OpenIdLoginStore(JdbcTemplate jdbc, OpenIdLoginKeys keys) {
		this.jdbc = jdbc;
		this.keys = keys;
	}

	/**
	 * What the master key does for the logins.
	 * @return the keys
	 */
	public OpenIdLoginKeys keys() {
		return this.keys;
	}

	/**
	 * Every login, in position order.
	 * @return the logins
	 */
	public List<OpenIdLogin> findAll() {
		return this.jdbc.query(
				"select name, definition, client_secret_encrypted from openid_login order by position, name",
				(rs, row) -> read(rs.getString(1), rs.getString(2), rs.getString(3)));
	}

	/**
	 * Make the stored logins these: missing ones are deleted, new ones inserted, changed
	 * ones updated; those that stay keep their creation time.
	 * @param logins the logins, with unique names
	 */
	public void replaceAll(List<OpenIdLogin> logins) {
		Map<String, String> stored = new LinkedHashMap<>();
		this.jdbc.query("select name, position, definition, client_secret_encrypted from openid_login", (rs) -> {
			stored.put(rs.getString(1), rs.getInt(2) + "\n" + rs.getString(3) + "\n" + rs.getString(4));
		});
		Timestamp now = Timestamp.from(Instant.now());
		for (int i = 0; i < logins.size(); i++) {
			OpenIdLogin login = logins.get(i);
			String definition = write(login);
			String before = stored.remove(login.name());
			if (before == null) {
				this.jdbc.update(
						"insert into openid_login (name, position, definition, client_secret_encrypted, "
								+ "created_at) values (?, ?, ?, ?, ?)",
						login.name(), i, definition, login.clientSecretEncrypted(), now);
			}
			else if (!Objects.equals(before, i + "\n" + definition + "\n" + login.clientSecretEncrypted())) {
				this.jdbc.update(
						"update openid_login set position = ?, definition = ?, client_secret_encrypted = ? where name = ?",
						i, definition, login.clientSecretEncrypted(), login.name());
			}
		}
		for (String gone : stored.keySet()) {
			this.jdbc.update("delete from openid_login where name = ?", gone);
		}
	}

	static String write(OpenIdLogin login) {
		Map<String, Object> map = OpenIdLoginDocument.map(login);
		map.remove("name");
		map.remove("client-secret-encrypted");
		return ConfigDocument.yaml().dump(map);
	}

	@SuppressWarnings("unchecked")
	static OpenIdLogin read(String name, String definition, String secret) {
		Map<String, Object> map = new Yaml(new SafeConstructor(new LoaderOptions())).load(definition);
		Map<String, String> claims = (Map<String, String>) map.getOrDefault("claims", Map.of());
		OpenIdLogin.Claims standard = OpenIdLogin.Claims.STANDARD;
		return new OpenIdLogin(name, (String) map.get("issuer"), (String) map.get("client-id"), secret,
				(List<String>) map.getOrDefault("scopes", OpenIdLoginRules.DEFAULT_SCOPES),
				(Map<String, String>) map.getOrDefault("parameters", Map.of()),
				(String) map.getOrDefault("user-claim", OpenIdLoginRules.DEFAULT_USER_CLAIM),
				new OpenIdLogin.Claims(claims.getOrDefault("email", standard.email()),
						claims.getOrDefault("name", standard.name()), claims.getOrDefault("groups", standard.groups())),
				(List<String>) map.getOrDefault("allowed-domains", List.of()),
				OpenIdLoginRules.consoleOf(OpenIdLoginDocument.console("console", map.get("console"))),
				OpenIdLoginRules.brokerOf(OpenIdLoginDocument.broker("broker", map.get("broker"))),
				OpenIdClientAuth.of("client-auth", (String) map.get("client-auth")),
				(String) map.get("private-key-encrypted"));
	}

}
