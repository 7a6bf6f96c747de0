package dev.capuchin.app.identity;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.capuchin.app.shared.config.InvalidConfigurationException;

import org.springframework.boot.convert.DurationStyle;

/**
 * Reads and writes the {@code oauth-clients:} list of a configuration document, naming
 * the entry and field at fault ({@code oauth-clients[1].grant-types: 'password' ...}). A
 * confidential client's secret is only ever its bcrypt hash ({@code client-secret-hash});
 * a plain {@code client-secret} is refused, and no message quotes a hash.
 */
public final class OAuthClientDocument {

	private static final Set<String> KEYS = Set.of("client-id", "name", "type", "realm", "redirect-uris",
			"post-logout-redirect-uris", "grant-types", "scopes", "token-format", "access-token-lifetime",
			"refresh-token-lifetime", "consent", "enabled", "jwk-set-url", "client-secret-hash");

	private static final String EXPECTED = "client-id, name, type, realm, redirect-uris, post-logout-redirect-uris, "
			+ "grant-types, scopes, token-format, access-token-lifetime, refresh-token-lifetime, consent, enabled, "
			+ "jwk-set-url, client-secret-hash";

	/** What Spring's delegating encoder puts before a bcrypt hash. */
	static final String BCRYPT_PREFIX = "{bcrypt}";

	private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]?\\$\\d\\d\\$[./A-Za-z0-9]{53}");

	private static final int MAX_CLIENTS = 1000;

	private OAuthClientDocument() {
	}

	/**
	 * One client as the document holds it.
	 *
	 * @param spec its settings, every field filled in on export
	 * @param secretHash its secret's bcrypt hash as stored ({@code {bcrypt}$2a$...}), or
	 * {@code null} for a public client
	 */
	public record Entry(OAuthClients.Spec spec, String secretHash) {

		/**
		 * Its client id.
		 * @return the client id
		 */
		public String clientId() {
			return this.spec.clientId();
		}

	}

	/**
	 * Read the list, checking its shape and the secrets; the values are checked with the
	 * API's rules when the document is applied ({@link OAuthClients#check}).
	 * @param raw the parsed YAML value of {@code oauth-clients:}
	 * @return the entries, in document order
	 * @throws InvalidConfigurationException naming the entry and field at fault
	 */
	public static List<Entry> read(Object raw) {
		if (raw == null) {
			return List.of();
		}
		if (!(raw instanceof List<?> list)) {
			throw new InvalidConfigurationException("oauth-clients: expected a list of clients");
		}
		if (list.size() > MAX_CLIENTS) {
			throw new InvalidConfigurationException(
					"oauth-clients: " + list.size() + " clients (expected: at most " + MAX_CLIENTS + ")");
		}
		List<Entry> entries = new ArrayList<>();
		Set<String> ids = new HashSet<>();
		for (int i = 0; i < list.size(); i++) {
			String field = "oauth-clients[" + i + "]";
			if (!(list.get(i) instanceof Map<?, ?> map)) {
				throw new InvalidConfigurationException(field + ": expected a mapping (" + EXPECTED + ")");
			}
			if (map.containsKey("client-secret")) {
				throw new InvalidConfigurationException(field + ".client-secret: a plain secret is not accepted "
						+ "(expected: client-secret-hash, a bcrypt hash; or rotate the secret in the console or "
						+ "with the API)");
			}
			for (Object key : map.keySet()) {
				if (!KEYS.contains(String.valueOf(key))) {
					throw new InvalidConfigurationException(
							field + "." + key + ": unknown key (expected: " + EXPECTED + ")");
				}
			}
			String clientId = string(field + ".client-id", map.get("client-id"));
			if (clientId != null && !ids.add(clientId)) {
				throw new InvalidConfigurationException(field + ".client-id: '" + clientId + "' is listed twice");
			}
			String type = string(field + ".type", map.get("type"));
			String hash = string(field + ".client-secret-hash", map.get("client-secret-hash"));
			if (hash != null) {
				hash = hash.strip();
				String bare = hash.startsWith(BCRYPT_PREFIX) ? hash.substring(BCRYPT_PREFIX.length()) : hash;
				if (!BCRYPT.matcher(bare).matches()) {
					throw new InvalidConfigurationException(field + ".client-secret-hash: not a bcrypt hash "
							+ "(expected: $2a$, $2b$ or $2y$ and 53 characters, optionally after {bcrypt})");
				}
				hash = BCRYPT_PREFIX + bare;
			}
			if ("public".equals(type) && hash != null) {
				throw new InvalidConfigurationException(
						field + ".client-secret-hash: a public client has no secret (expected: no client-secret-hash)");
			}
			if (!"public".equals(type) && hash == null) {
				throw new InvalidConfigurationException(field + ".client-secret-hash: missing (expected: the bcrypt "
						+ "hash of a confidential client's secret, as exported)");
			}
			OAuthClients.Spec spec = new OAuthClients.Spec(clientId, string(field + ".name", map.get("name")), type,
					string(field + ".realm", map.get("realm")), strings(field + ".grant-types", map.get("grant-types")),
					strings(field + ".scopes", map.get("scopes")),
					strings(field + ".redirect-uris", map.get("redirect-uris")),
					strings(field + ".post-logout-redirect-uris", map.get("post-logout-redirect-uris")),
					string(field + ".token-format", map.get("token-format")),
					duration(field + ".access-token-lifetime", map.get("access-token-lifetime")),
					duration(field + ".refresh-token-lifetime", map.get("refresh-token-lifetime")),
					bool(field + ".consent", map.get("consent")), bool(field + ".enabled", map.get("enabled")),
					string(field + ".jwk-set-url", map.get("jwk-set-url")));
			entries.add(new Entry(spec, hash));
		}
		return entries;
	}

	/**
	 * One client in document form: its secret as the bare bcrypt hash, never plain.
	 * @param entry the client
	 * @return the ordered keys
	 */
	public static Map<String, Object> map(Entry entry) {
		OAuthClients.Spec spec = entry.spec();
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("client-id", spec.clientId());
		map.put("name", spec.name());
		map.put("type", spec.type());
		map.put("realm", spec.realm());
		map.put("enabled", spec.enabled());
		map.put("grant-types", spec.grantTypes());
		map.put("scopes", spec.scopes());
		map.put("redirect-uris", spec.redirectUris());
		map.put("post-logout-redirect-uris", spec.postLogoutRedirectUris());
		map.put("token-format", spec.tokenFormat());
		map.put("access-token-lifetime", lifetime(spec.accessTokenLifetime()));
		map.put("refresh-token-lifetime", lifetime(spec.refreshTokenLifetime()));
		map.put("consent", spec.consent());
		if (spec.jwkSetUrl() != null) {
			map.put("jwk-set-url", spec.jwkSetUrl());
		}
		if (entry.secretHash() != null) {
			map.put("client-secret-hash", entry.secretHash().startsWith(BCRYPT_PREFIX)
					? entry.secretHash().substring(BCRYPT_PREFIX.length()) : entry.secretHash());
		}
		return map;
	}

	private static String lifetime(Duration duration) {
		return (duration != null) ? OAuthClient.lifetime(duration) : null;
	}

	private static String string(String field, Object raw) {
		if (raw == null || raw instanceof String) {
			return (String) raw;
		}
		throw new InvalidConfigurationException(field + ": '" + raw + "' (expected: text)");
	}

	private static Boolean bool(String field, Object raw) {
		if (raw == null || raw instanceof Boolean) {
			return (Boolean) raw;
		}
		throw new InvalidConfigurationException(field + ": '" + raw + "' (expected: true or false)");
	}

	private static List<String> strings(String field, Object raw) {
		if (raw == null) {
			return null;
		}
		if (!(raw instanceof List<?> list)) {
			throw new InvalidConfigurationException(field + ": expected a list");
		}
		List<String> values = new ArrayList<>();
		for (int i = 0; i < list.size(); i++) {
			values.add(string(field + "[" + i + "]", list.get(i)));
		}
		return values;
	}

	private static Duration duration(String field, Object raw) {
		if (raw == null) {
			return null;
		}
		try {
			return DurationStyle.detectAndParse(String.valueOf(raw));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationException(field + ": '" + raw + "' (expected: a duration such as 5m or 1h)");
		}
	}

}
