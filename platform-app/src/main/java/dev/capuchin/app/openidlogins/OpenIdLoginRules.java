package dev.capuchin.app.openidlogins;

import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.nimbusds.jose.jwk.JWK;
import dev.capuchin.app.realms.RealmRules;
import dev.capuchin.plugin.auth.OpenIdClientKeys;

/**
 * The rules every OpenID login follows, whether made in the console, through the API or
 * by a configuration document: messages name the field and say what was expected
 * ({@code issuer: 'ftp://x' (expected: an https URL ...)}).
 */
public final class OpenIdLoginRules {

	/** The scopes asked for when none are given. */
	public static final List<String> DEFAULT_SCOPES = List.of("openid", "email", "profile");

	/** The user name claim when none is given: always present in an ID token. */
	public static final String DEFAULT_USER_CLAIM = "sub";

	/** The most logins a configuration holds. */
	static final int MAX_LOGINS = 100;

	/** The most entries of any list or map of a login. */
	static final int MAX_ENTRIES = 20;

	/** The longest URL, client id, secret or parameter value. */
	static final int MAX_VALUE = 500;

	/** The longest claim value a console role is given for. */
	static final int MAX_CLAIM_VALUE = 200;

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

	/** RFC 6749 §3.3: scope tokens are printable ASCII but space, quote and backslash. */
	private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,100}");

	/** RFC 6749 §A.1: a client id is printable ASCII. */
	private static final Pattern CLIENT_ID = Pattern.compile("[\\x20-\\x7E]{1,500}");

	private static final Pattern PARAMETER = Pattern.compile("[a-z][a-z0-9_]{0,39}");

	private static final Pattern CLAIM = Pattern.compile("[A-Za-z0-9_.:/-]{1,100}");

	private static final Pattern DOMAIN = Pattern.compile("([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9-]{2,63}");

	/**
	 * Parameters of the authorization request that Capuchin sets itself: a login cannot
	 * override them (a forged {@code redirect_uri} or a dropped PKCE challenge).
	 */
	static final Set<String> RESERVED_PARAMETERS = Set.of("response_type", "client_id", "redirect_uri", "scope",
			"state", "nonce", "code_challenge", "code_challenge_method", "response_mode", "request", "request_uri",
			"client_secret", "client_assertion", "client_assertion_type");

	private OpenIdLoginRules() {
	}

	/**
	 * A login as asked for; {@code null} fields take their default.
	 *
	 * @param name its name
	 * @param issuer the issuer URL
	 * @param clientId the client id at the provider
	 * @param clientSecret the client secret in plain, or {@code null}
	 * @param clientSecretEncrypted the client secret as exported, or {@code null}
	 * @param scopes the scopes, or {@code null} for openid, email, profile
	 * @param parameters extra authorization parameters, or {@code null} for none
	 * @param userClaim the user name claim, or {@code null} for {@code sub}
	 * @param claims the email, name and groups claims, or {@code null} for the standard
	 * ones; a missing key takes its standard claim
	 * @param allowedDomains the allowed email domains, or {@code null} for any
	 * @param console the console sign-in, or {@code null} to keep it (on a change) or
	 * have none; one that maps no value to any role is none
	 * @param broker the brokering, or {@code null} to keep it (on a change) or have none;
	 * one without a realm is none
	 * @param clientAuth {@code client-secret-basic}, {@code client-secret-post} or
	 * {@code private-key-jwt}, or {@code null} for the first
	 * @param privateKey the private key of {@code private-key-jwt} in plain (PEM or JWK),
	 * {@value OpenIdLoginRules#GENERATE} for a new one, or {@code null} to keep the one
	 * the login has (a new one for a login that has none)
	 * @param privateKeyEncrypted the private key as exported, or {@code null}
	 */
	public record Spec(String name, String issuer, String clientId, String clientSecret, String clientSecretEncrypted,
			List<String> scopes, Map<String, String> parameters, String userClaim, Map<String, String> claims,
			List<String> allowedDomains, OpenIdLogin.Console console, OpenIdLogin.Broker broker, String clientAuth,
			String privateKey, String privateKeyEncrypted) {

		/**
		 * A login whose client, if confidential, has a secret.
		 * @param name its name
		 * @param issuer the issuer URL
		 * @param clientId the client id
		 * @param clientSecret the secret in plain, or {@code null}
		 * @param clientSecretEncrypted the secret as exported, or {@code null}
		 * @param scopes the scopes, or {@code null}
		 * @param parameters extra parameters, or {@code null}
		 * @param userClaim the user name claim, or {@code null}
		 * @param claims the claims, or {@code null}
		 * @param allowedDomains the allowed domains, or {@code null}
		 * @param console the console sign-in, or {@code null}
		 * @param broker the brokering, or {@code null}
		 */
		public Spec(String name, String issuer, String clientId, String clientSecret, String clientSecretEncrypted,
				List<String> scopes, Map<String, String> parameters, String userClaim, Map<String, String> claims,
				List<String> allowedDomains, OpenIdLogin.Console console, OpenIdLogin.Broker broker) {
			this(name, issuer, clientId, clientSecret, clientSecretEncrypted, scopes, parameters, userClaim, claims,
					allowedDomains, console, broker, null, null, null);
		}

		/**
		 * A login for locations only.
		 * @param name its name
		 * @param issuer the issuer URL
		 * @param clientId the client id
		 * @param clientSecret the secret in plain, or {@code null}
		 * @param clientSecretEncrypted the secret as exported, or {@code null}
		 * @param scopes the scopes, or {@code null}
		 * @param parameters extra parameters, or {@code null}
		 * @param userClaim the user name claim, or {@code null}
		 * @param claims the claims, or {@code null}
		 * @param allowedDomains the allowed domains, or {@code null}
		 */
		public Spec(String name, String issuer, String clientId, String clientSecret, String clientSecretEncrypted,
				List<String> scopes, Map<String, String> parameters, String userClaim, Map<String, String> claims,
				List<String> allowedDomains) {
			this(name, issuer, clientId, clientSecret, clientSecretEncrypted, scopes, parameters, userClaim, claims,
					allowedDomains, null, null, null, null, null);
		}

	}

	/** The {@code private-key} value that asks for a new key. */
	public static final String GENERATE = "generate";

	/** The console roles a login's claim values may give, highest first. */
	public static final List<String> CONSOLE_ROLES = List.of("admin", "operator", "viewer");

	/** How a brokered person is matched to a realm user. */
	public static final List<String> LINK_CLAIMS = List.of(OpenIdLogin.Broker.EMAIL, OpenIdLogin.Broker.SUB);

	/**
	 * Check a login and make it: a plain secret or key is encrypted, unless it is the one
	 * the login had before (its stored cipher text stays, so re-importing changes
	 * nothing); {@code private-key-jwt} without a key keeps the login's key, or generates
	 * one.
	 * @param spec what is asked for
	 * @param before the login of that name before, or {@code null}
	 * @param keys the master key's work
	 * @return the login
	 * @throws IllegalArgumentException naming the field of a refused value
	 */
	public static OpenIdLogin build(Spec spec, OpenIdLogin before, OpenIdLoginKeys keys) {
		String name = name(spec.name());
		String issuer = issuer(spec.issuer());
		String clientId = required(spec.clientId(), "client-id", "the client id registered at the provider");
		if (!CLIENT_ID.matcher(clientId).matches()) {
			throw new IllegalArgumentException(
					"client-id: '" + clientId + "' (expected: printable ASCII, up to " + MAX_VALUE + " characters)");
		}
		List<String> scopes = (spec.scopes() != null) ? list(spec.scopes(), "scopes") : DEFAULT_SCOPES;
		for (String scope : scopes) {
			if (!SCOPE.matcher(scope).matches()) {
				throw new IllegalArgumentException("scopes: '" + scope + "' (expected: a scope token, RFC 6749)");
			}
		}
		if (!scopes.contains("openid")) {
			throw new IllegalArgumentException(
					"scopes: " + scopes + " (expected: openid among them, or the provider issues no ID token)");
		}
		Map<String, String> parameters = parameters(spec.parameters());
		String userClaim = (spec.userClaim() != null) ? claim(spec.userClaim(), "user-claim") : DEFAULT_USER_CLAIM;
		OpenIdLogin.Claims claims = claims(spec.claims());
		List<String> domains = domains(spec.allowedDomains(), "allowed-domains");
		OpenIdClientAuth auth = OpenIdClientAuth.of("client-auth", spec.clientAuth());
		auth = (auth != null) ? auth : OpenIdClientAuth.DEFAULT;
		String secret = null;
		String privateKey = null;
		if (auth == OpenIdClientAuth.PRIVATE_KEY_JWT) {
			if (spec.clientSecret() != null || spec.clientSecretEncrypted() != null) {
				throw new IllegalArgumentException("client-secret: set while client-auth is private-key-jwt "
						+ "(expected: no secret; the provider checks the signature of the login's key instead)");
			}
			privateKey = privateKey(spec, before, keys);
		}
		else {
			if (spec.privateKey() != null || spec.privateKeyEncrypted() != null) {
				throw new IllegalArgumentException("private-key: set while client-auth is " + auth.value()
						+ " (expected: client-auth: private-key-jwt, or no private-key)");
			}
			secret = secret(spec, before, keys);
			if (secret == null && auth == OpenIdClientAuth.CLIENT_SECRET_POST) {
				throw new IllegalArgumentException("client-secret: missing (expected: the secret the provider "
						+ "issued, as client-auth is client-secret-post)");
			}
		}
		return new OpenIdLogin(name, issuer, clientId, secret, scopes, parameters, userClaim, claims, domains,
				console(spec.console()), broker(spec.broker()), auth, privateKey);
	}

	/**
	 * A stored console sign-in, checked again as it was when saved.
	 * @param stored the console sign-in read back, or {@code null}
	 * @return the console sign-in, or {@code null}
	 */
	static OpenIdLogin.Console consoleOf(OpenIdLogin.Console stored) {
		return console(stored);
	}

	/**
	 * A stored brokering, checked again as it was when saved.
	 * @param stored the brokering read back, or {@code null}
	 * @return the brokering, or {@code null}
	 */
	static OpenIdLogin.Broker brokerOf(OpenIdLogin.Broker stored) {
		return broker(stored);
	}

	private static List<String> domains(List<String> given, String field) {
		List<String> domains = new ArrayList<>();
		for (String domain : (given != null) ? list(given, field) : List.<String>of()) {
			String normalized = IDN.toASCII(domain.toLowerCase(Locale.ROOT), IDN.ALLOW_UNASSIGNED);
			if (!DOMAIN.matcher(normalized).matches() || normalized.length() > 253) {
				throw new IllegalArgumentException(field + ": '" + domain + "' (expected: a domain such as "
						+ "example.com, without @ or wildcards)");
			}
			domains.add(normalized);
		}
		return domains;
	}

	/**
	 * The console sign-in as asked for: {@code null} when no value gives any role.
	 */
	private static OpenIdLogin.Console console(OpenIdLogin.Console given) {
		if (given == null) {
			return null;
		}
		List<String> admin = values(given.admin(), "console.roles.admin");
		List<String> operator = values(given.operator(), "console.roles.operator");
		List<String> viewer = values(given.viewer(), "console.roles.viewer");
		List<String> required = domains(given.requiredDomains(), "console.required-domains");
		if (admin.isEmpty() && operator.isEmpty() && viewer.isEmpty()) {
			if (!required.isEmpty()) {
				throw new IllegalArgumentException("console.required-domains: set while no claim value gives a "
						+ "console role (expected: values under console.roles.admin, operator or viewer)");
			}
			return null;
		}
		String claim = (given.claim() != null && !given.claim().isBlank())
				? claim(given.claim().trim(), "console.claim") : OpenIdLogin.Claims.STANDARD.groups();
		return new OpenIdLogin.Console(claim, admin, operator, viewer, required);
	}

	private static List<String> values(List<String> given, String field) {
		List<String> values = (given != null) ? list(given, field) : List.of();
		for (String value : values) {
			if (value.length() > MAX_CLAIM_VALUE) {
				throw new IllegalArgumentException(
						field + ": '" + value + "' is longer than " + MAX_CLAIM_VALUE + " characters");
			}
		}
		return values;
	}

	/**
	 * The brokering as asked for: {@code null} without a realm.
	 */
	private static OpenIdLogin.Broker broker(OpenIdLogin.Broker given) {
		if (given == null || given.realm() == null || given.realm().isBlank()) {
			return null;
		}
		String realm = given.realm().trim();
		String problem = RealmRules.nameProblem(realm);
		if (problem != null) {
			throw new IllegalArgumentException("broker.realm: " + problem);
		}
		String link = (given.linkClaim() != null && !given.linkClaim().isBlank()) ? given.linkClaim().trim()
				: OpenIdLogin.Broker.EMAIL;
		if (!LINK_CLAIMS.contains(link)) {
			throw new IllegalArgumentException(
					"broker.link-claim: '" + link + "' (expected: one of " + String.join(", ", LINK_CLAIMS) + ")");
		}
		return new OpenIdLogin.Broker(realm, link);
	}

	/**
	 * Check a login's name.
	 * @param name the name
	 * @return the name
	 */
	public static String name(String name) {
		required(name, "name", "letters, digits, '.', '_' or '-', up to 64");
		if (!NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("name: '" + name
					+ "' (expected: letters, digits, '.', '_' or '-', up to 64, starting with a letter or digit)");
		}
		return name;
	}

	/**
	 * Check an issuer URL: https, or http on a loopback address (a provider on the same
	 * machine, as in tests); no query or fragment (OpenID Connect Discovery §2).
	 * @param issuer the URL
	 * @return the URL
	 */
	public static String issuer(String issuer) {
		required(issuer, "issuer", "the provider's https URL");
		URI uri;
		try {
			uri = new URI(issuer);
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException("issuer: '" + issuer + "' (expected: an https URL)");
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		boolean loopback = "localhost".equalsIgnoreCase(uri.getHost()) || "127.0.0.1".equals(uri.getHost())
				|| "[::1]".equals(uri.getHost());
		if (uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null
				|| issuer.length() > MAX_VALUE || !("https".equals(scheme) || ("http".equals(scheme) && loopback))) {
			throw new IllegalArgumentException("issuer: '" + issuer + "' (expected: an https URL without query or "
					+ "fragment, up to " + MAX_VALUE + " characters; http only on a loopback address)");
		}
		return issuer;
	}

	private static String secret(Spec spec, OpenIdLogin before, OpenIdLoginKeys keys) {
		if (spec.clientSecret() != null && spec.clientSecretEncrypted() != null) {
			throw new IllegalArgumentException(
					"client-secret: given twice (expected: client-secret or client-secret-encrypted, not both)");
		}
		if (spec.clientSecret() != null) {
			if (spec.clientSecret().isBlank() || spec.clientSecret().length() > MAX_VALUE) {
				throw new IllegalArgumentException("client-secret: blank or longer than " + MAX_VALUE
						+ " characters (expected: the secret the provider issued)");
			}
			if (before != null && before.hasSecret()
					&& spec.clientSecret().equals(keys.decrypt(before.clientSecretEncrypted()))) {
				return before.clientSecretEncrypted();
			}
			return keys.encrypt(spec.clientSecret());
		}
		if (spec.clientSecretEncrypted() != null) {
			// refused now rather than on the first sign-in
			keys.decrypt(spec.clientSecretEncrypted());
			return spec.clientSecretEncrypted();
		}
		return null;
	}

	private static String privateKey(Spec spec, OpenIdLogin before, OpenIdLoginKeys keys) {
		if (spec.privateKey() != null && spec.privateKeyEncrypted() != null) {
			throw new IllegalArgumentException(
					"private-key: given twice (expected: private-key or private-key-encrypted, not both)");
		}
		if (spec.privateKey() != null && !spec.privateKey().isBlank()) {
			if (GENERATE.equals(spec.privateKey().trim())) {
				return keys.encryptKey(OpenIdClientKeys.generate());
			}
			JWK key = OpenIdClientKeys.parse("private-key", spec.privateKey());
			if (before != null && before.hasPrivateKey() && key.equals(keys.privateKey(before.privateKeyEncrypted()))) {
				return before.privateKeyEncrypted();
			}
			return keys.encryptKey(key);
		}
		if (spec.privateKeyEncrypted() != null) {
			// refused now rather than on the first sign-in
			keys.privateKey(spec.privateKeyEncrypted());
			return spec.privateKeyEncrypted();
		}
		if (before != null && before.hasPrivateKey()) {
			return before.privateKeyEncrypted();
		}
		return keys.encryptKey(OpenIdClientKeys.generate());
	}

	private static Map<String, String> parameters(Map<String, String> given) {
		Map<String, String> parameters = new LinkedHashMap<>();
		if (given == null) {
			return parameters;
		}
		if (given.size() > MAX_ENTRIES) {
			throw new IllegalArgumentException(
					"parameters: " + given.size() + " entries (expected: at most " + MAX_ENTRIES + ")");
		}
		for (Map.Entry<String, String> entry : given.entrySet()) {
			String key = String.valueOf(entry.getKey());
			if (!PARAMETER.matcher(key).matches()) {
				throw new IllegalArgumentException("parameters." + key
						+ ": not a parameter name (expected: lower-case letters, digits and '_', such as prompt)");
			}
			if (RESERVED_PARAMETERS.contains(key)) {
				throw new IllegalArgumentException("parameters." + key
						+ ": set by Capuchin itself (expected: extra parameters such as prompt or acr_values)");
			}
			if (entry.getValue() == null || entry.getValue().length() > MAX_VALUE) {
				throw new IllegalArgumentException(
						"parameters." + key + ": missing or longer than " + MAX_VALUE + " characters");
			}
			parameters.put(key, entry.getValue());
		}
		return parameters;
	}

	private static OpenIdLogin.Claims claims(Map<String, String> given) {
		if (given == null) {
			return OpenIdLogin.Claims.STANDARD;
		}
		for (String key : given.keySet()) {
			if (!Set.of("email", "name", "groups").contains(String.valueOf(key))) {
				throw new IllegalArgumentException("claims." + key + ": unknown key (expected: email, name, groups)");
			}
		}
		OpenIdLogin.Claims standard = OpenIdLogin.Claims.STANDARD;
		return new OpenIdLogin.Claims(claimOr(given.get("email"), "claims.email", standard.email()),
				claimOr(given.get("name"), "claims.name", standard.name()),
				claimOr(given.get("groups"), "claims.groups", standard.groups()));
	}

	private static String claimOr(String value, String field, String standard) {
		return (value != null) ? claim(value, field) : standard;
	}

	private static String claim(String value, String field) {
		if (!CLAIM.matcher(value).matches()) {
			throw new IllegalArgumentException(
					field + ": '" + value + "' (expected: a claim name such as email or preferred_username)");
		}
		return value;
	}

	private static List<String> list(List<String> values, String field) {
		if (values.size() > MAX_ENTRIES) {
			throw new IllegalArgumentException(
					field + ": " + values.size() + " entries (expected: at most " + MAX_ENTRIES + ")");
		}
		List<String> trimmed = new ArrayList<>();
		for (String value : values) {
			if (value == null || value.isBlank()) {
				throw new IllegalArgumentException(field + ": an empty entry");
			}
			if (!trimmed.contains(value.trim())) {
				trimmed.add(value.trim());
			}
		}
		return trimmed;
	}

	private static String required(String value, String field, String expected) {
		if (value == null || value.isBlank()) {
			throw new IllegalArgumentException(field + ": missing (expected: " + expected + ")");
		}
		return value.trim();
	}

}
