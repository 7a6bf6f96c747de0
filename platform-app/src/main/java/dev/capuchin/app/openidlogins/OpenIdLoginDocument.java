package dev.capuchin.app.openidlogins;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.capuchin.app.shared.config.InvalidConfigurationException;

/**
 * Reads and writes the {@code openid-logins:} list of a configuration document, naming
 * the entry and field at fault ({@code openid-logins[0].issuer: ...}). A client secret is
 * accepted in plain ({@code client-secret}) on import and is stored, exported and shown
 * only encrypted with the master key ({@code client-secret-encrypted}); no message quotes
 * either. The private key of {@code client-auth: private-key-jwt} is kept the same way
 * ({@code private-key} in plain or {@code generate}, {@code private-key-encrypted}).
 */
public final class OpenIdLoginDocument {

	/** The section's key in the configuration document. */
	public static final String KEY = "openid-logins";

	private static final Set<String> KEYS = Set.of("name", "issuer", "client-id", "client-secret",
			"client-secret-encrypted", "client-auth", "private-key", "private-key-encrypted", "scopes", "parameters",
			"user-claim", "claims", "allowed-domains", "console", "broker");

	private static final String EXPECTED = "name, issuer, client-id, client-secret or client-secret-encrypted, "
			+ "client-auth, private-key or private-key-encrypted, scopes, parameters, user-claim, claims, "
			+ "allowed-domains, console, broker";

	private OpenIdLoginDocument() {
	}

	/**
	 * Read the list, checking its shape; the values are checked with the API's rules when
	 * the document is applied ({@link OpenIdLoginRules#build}).
	 * @param raw the parsed YAML value of {@code openid-logins:}
	 * @return the logins as asked for, in document order
	 * @throws InvalidConfigurationException naming the entry and field at fault
	 */
	public static List<OpenIdLoginRules.Spec> read(Object raw) {
		if (raw == null) {
			return List.of();
		}
		if (!(raw instanceof List<?> list)) {
			throw new InvalidConfigurationException(KEY + ": expected a list of logins");
		}
		if (list.size() > OpenIdLoginRules.MAX_LOGINS) {
			throw new InvalidConfigurationException(
					KEY + ": " + list.size() + " logins (expected: at most " + OpenIdLoginRules.MAX_LOGINS + ")");
		}
		List<OpenIdLoginRules.Spec> specs = new ArrayList<>();
		Set<String> names = new HashSet<>();
		for (int i = 0; i < list.size(); i++) {
			String field = KEY + "[" + i + "]";
			if (!(list.get(i) instanceof Map<?, ?> map)) {
				throw new InvalidConfigurationException(field + ": expected a mapping (" + EXPECTED + ")");
			}
			for (Object key : map.keySet()) {
				if (!KEYS.contains(String.valueOf(key))) {
					throw new InvalidConfigurationException(
							field + "." + key + ": unknown key (expected: " + EXPECTED + ")");
				}
			}
			String name = string(field + ".name", map.get("name"));
			if (name != null && !names.add(name)) {
				throw new InvalidConfigurationException(field + ".name: '" + name + "' is listed twice");
			}
			specs.add(new OpenIdLoginRules.Spec(name, string(field + ".issuer", map.get("issuer")),
					string(field + ".client-id", map.get("client-id")),
					secret(field + ".client-secret", map.get("client-secret")),
					secret(field + ".client-secret-encrypted", map.get("client-secret-encrypted")),
					strings(field + ".scopes", map.get("scopes")),
					strings(field + ".parameters", map.get("parameters"), true),
					string(field + ".user-claim", map.get("user-claim")),
					strings(field + ".claims", map.get("claims"), false),
					strings(field + ".allowed-domains", map.get("allowed-domains")),
					console(field + ".console", map.get("console")), broker(field + ".broker", map.get("broker")),
					string(field + ".client-auth", map.get("client-auth")),
					secret(field + ".private-key", map.get("private-key")),
					secret(field + ".private-key-encrypted", map.get("private-key-encrypted"))));
		}
		return specs;
	}

	/**
	 * One login in document form, its secret encrypted.
	 * @param login the login
	 * @return the ordered keys
	 */
	public static Map<String, Object> map(OpenIdLogin login) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("name", login.name());
		map.put("issuer", login.issuer());
		map.put("client-id", login.clientId());
		if (login.hasSecret()) {
			map.put("client-secret-encrypted", login.clientSecretEncrypted());
		}
		if (login.hasPrivateKey()) {
			map.put("private-key-encrypted", login.privateKeyEncrypted());
		}
		map.putAll(settings(login));
		return map;
	}

	/**
	 * The settings of a login but its name and secret: what the store keeps as its
	 * definition, and what diffs and the audit log show.
	 * @param login the login
	 * @return the ordered keys
	 */
	static Map<String, Object> settings(OpenIdLogin login) {
		Map<String, Object> map = new LinkedHashMap<>();
		// written only when not the default, so that documents without it read the same
		if (login.clientAuth() != OpenIdClientAuth.DEFAULT) {
			map.put("client-auth", login.clientAuth().value());
		}
		map.put("scopes", login.scopes());
		if (!login.parameters().isEmpty()) {
			map.put("parameters", new java.util.TreeMap<>(login.parameters()));
		}
		map.put("user-claim", login.userClaim());
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("email", login.claims().email());
		claims.put("name", login.claims().name());
		claims.put("groups", login.claims().groups());
		map.put("claims", claims);
		if (!login.allowedDomains().isEmpty()) {
			map.put("allowed-domains", login.allowedDomains());
		}
		if (login.console() != null) {
			map.put("console", console(login.console()));
		}
		if (login.broker() != null) {
			Map<String, Object> broker = new LinkedHashMap<>();
			broker.put("realm", login.broker().realm());
			broker.put("link-claim", login.broker().linkClaim());
			map.put("broker", broker);
		}
		return map;
	}

	private static Map<String, Object> console(OpenIdLogin.Console console) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("claim", console.claim());
		Map<String, Object> roles = new LinkedHashMap<>();
		for (String role : OpenIdLoginRules.CONSOLE_ROLES) {
			if (!console.values(role).isEmpty()) {
				roles.put(role, console.values(role));
			}
		}
		map.put("roles", roles);
		if (!console.requiredDomains().isEmpty()) {
			map.put("required-domains", console.requiredDomains());
		}
		return map;
	}

	/**
	 * {@code console: {claim: groups, roles: {admin: [...], operator: [...], viewer:
	 * [...]}, required-domains: [...]}}; an empty mapping is no console sign-in.
	 * @param field the field, for messages
	 * @param raw the parsed value
	 * @return the console sign-in as asked for, or {@code null}
	 */
	static OpenIdLogin.Console console(String field, Object raw) {
		if (raw == null) {
			return null;
		}
		if (!(raw instanceof Map<?, ?> map)) {
			throw new InvalidConfigurationException(field + ": expected a mapping (claim, roles, required-domains)");
		}
		for (Object key : map.keySet()) {
			if (!Set.of("claim", "roles", "required-domains").contains(String.valueOf(key))) {
				throw new InvalidConfigurationException(
						field + "." + key + ": unknown key (expected: claim, roles, required-domains)");
			}
		}
		Object rawRoles = map.get("roles");
		Map<?, ?> roles = Map.of();
		if (rawRoles instanceof Map<?, ?> given) {
			roles = given;
		}
		else if (rawRoles != null) {
			throw new InvalidConfigurationException(field + ".roles: expected a mapping (admin, operator, viewer)");
		}
		for (Object key : roles.keySet()) {
			if (!OpenIdLoginRules.CONSOLE_ROLES.contains(String.valueOf(key))) {
				throw new InvalidConfigurationException(
						field + ".roles." + key + ": unknown role (expected: admin, operator, viewer)");
			}
		}
		return new OpenIdLogin.Console(string(field + ".claim", map.get("claim")), values(field, roles, "admin"),
				values(field, roles, "operator"), values(field, roles, "viewer"),
				orEmpty(strings(field + ".required-domains", map.get("required-domains"))));
	}

	private static List<String> values(String field, Map<?, ?> roles, String role) {
		Object raw = roles.get(role);
		// a single value may be written without brackets
		return orEmpty(strings(field + ".roles." + role, (raw instanceof String one) ? List.of(one) : raw));
	}

	/**
	 * {@code broker: {realm: Corp, link-claim: email}}; an empty mapping is no brokering.
	 * @param field the field, for messages
	 * @param raw the parsed value
	 * @return the brokering as asked for, or {@code null}
	 */
	static OpenIdLogin.Broker broker(String field, Object raw) {
		if (raw == null) {
			return null;
		}
		if (!(raw instanceof Map<?, ?> map)) {
			throw new InvalidConfigurationException(field + ": expected a mapping (realm, link-claim)");
		}
		for (Object key : map.keySet()) {
			if (!Set.of("realm", "link-claim").contains(String.valueOf(key))) {
				throw new InvalidConfigurationException(
						field + "." + key + ": unknown key (expected: realm, link-claim)");
			}
		}
		return new OpenIdLogin.Broker(string(field + ".realm", map.get("realm")),
				string(field + ".link-claim", map.get("link-claim")));
	}

	private static List<String> orEmpty(List<String> values) {
		return (values != null) ? values : List.of();
	}

	/**
	 * The audited and shown form of a login: its settings and whether it has a secret,
	 * and whether that changed, never the secret.
	 * @param login the login
	 * @param before the login before the change, or {@code null}
	 * @return the YAML-like text
	 */
	public static String describe(OpenIdLogin login, OpenIdLogin before) {
		StringBuilder text = new StringBuilder();
		text.append("issuer: ").append(login.issuer()).append('\n');
		text.append("client-id: ").append(login.clientId()).append('\n');
		settings(login).forEach((key, value) -> text.append(key).append(": ").append(value).append('\n'));
		text.append("client-secret: ").append(login.hasSecret() ? "set" : "none");
		if (before != null && !Objects.equals(before.clientSecretEncrypted(), login.clientSecretEncrypted())) {
			text.append(" (changed)");
		}
		if (login.hasPrivateKey() || (before != null && before.hasPrivateKey())) {
			text.append('\n').append("private-key: ").append(login.hasPrivateKey() ? "set" : "none");
			if (before != null && !Objects.equals(before.privateKeyEncrypted(), login.privateKeyEncrypted())) {
				text.append(" (changed)");
			}
		}
		return text.append('\n').toString();
	}

	private static String secret(String field, Object raw) {
		if (raw == null || raw instanceof String) {
			return (String) raw;
		}
		// never quote what may be a secret
		throw new InvalidConfigurationException(field + ": not text (expected: text)");
	}

	private static String string(String field, Object raw) {
		if (raw == null || raw instanceof String) {
			return (String) raw;
		}
		throw new InvalidConfigurationException(field + ": '" + raw + "' (expected: text)");
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

	private static Map<String, String> strings(String field, Object raw, boolean anyKey) {
		if (raw == null) {
			return null;
		}
		if (!(raw instanceof Map<?, ?> map)) {
			throw new InvalidConfigurationException(
					field + ": expected a mapping" + (anyKey ? " (such as prompt: login)" : " (email, name, groups)"));
		}
		Map<String, String> values = new LinkedHashMap<>();
		map.forEach((key, value) -> {
			// numbers such as max_age: 300 are sent as text anyway
			Object text = (value instanceof Number || value instanceof Boolean) ? String.valueOf(value) : value;
			values.put(String.valueOf(key), string(field + "." + key, text));
		});
		return values;
	}

}
