package dev.capuchin.app.openidlogins;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.capuchin.app.shared.console.FormErrors;

/**
 * The console's form for an OpenID login. Lists are text (scopes and domains separated by
 * spaces, parameters one {@code name=value} a line); a refusal names a field
 * ({@code issuer: ...}) and {@link #refused} puts it beside its input. The secret is
 * never filled in: left empty on a change, the stored one stays.
 *
 * @param name the login's name
 * @param issuer the issuer URL
 * @param clientId the client id at the provider
 * @param clientSecret a new client secret, or empty
 * @param scopes the scopes, separated by spaces
 * @param parameters extra authorization parameters, {@code name=value} a line
 * @param userClaim the user name claim
 * @param emailClaim the email claim
 * @param nameClaim the display name claim
 * @param groupsClaim the groups claim
 * @param allowedDomains the allowed email domains, separated by spaces
 * @param consoleClaim the claim whose values give console roles
 * @param consoleAdmin the values that give the admin role, separated by spaces
 * @param consoleOperator the values that give the operator role, separated by spaces
 * @param consoleViewer the values that give the viewer role, separated by spaces
 * @param consoleRequiredDomains the email domains whose console users must use this
 * login, separated by spaces
 * @param brokerRealm the realm whose sign-in page offers the login, or empty
 * @param brokerLinkClaim how a person is matched to a realm user ({@code email} or
 * {@code sub})
 * @param clientAuth {@code client-secret-basic}, {@code client-secret-post} or
 * {@code private-key-jwt}
 * @param privateKey a private key to use from now on (PEM or JWK), or empty: never filled
 * in
 * @param newKey non-empty to have a new key generated
 */
public record OpenIdLoginForm(String name, String issuer, String clientId, String clientSecret, String scopes,
		String parameters, String userClaim, String emailClaim, String nameClaim, String groupsClaim,
		String allowedDomains, String consoleClaim, String consoleAdmin, String consoleOperator, String consoleViewer,
		String consoleRequiredDomains, String brokerRealm, String brokerLinkClaim, String clientAuth, String privateKey,
		String newKey) {

	/** The longest text of a list field. */
	static final int MAX_TEXT = 12 * 1024;

	/** Form input by the field a refusal names. */
	private static final Map<String, String> INPUTS = Map.ofEntries(Map.entry("name", "name"),
			Map.entry("issuer", "issuer"), Map.entry("client-id", "clientId"),
			Map.entry("client-secret", "clientSecret"), Map.entry("scopes", "scopes"),
			Map.entry("parameters", "parameters"), Map.entry("user-claim", "userClaim"),
			Map.entry("claims.email", "emailClaim"), Map.entry("claims.name", "nameClaim"),
			Map.entry("claims.groups", "groupsClaim"), Map.entry("allowed-domains", "allowedDomains"),
			Map.entry("console.claim", "consoleClaim"), Map.entry("console.roles.admin", "consoleAdmin"),
			Map.entry("console.roles.operator", "consoleOperator"), Map.entry("console.roles.viewer", "consoleViewer"),
			Map.entry("console.required-domains", "consoleRequiredDomains"), Map.entry("broker.realm", "brokerRealm"),
			Map.entry("broker.link-claim", "brokerLinkClaim"), Map.entry("client-auth", "clientAuth"),
			Map.entry("private-key", "privateKey"), Map.entry("private-key-encrypted", "privateKey"));

	/**
	 * An empty form with the defaults filled in.
	 * @return the form
	 */
	static OpenIdLoginForm blank() {
		OpenIdLogin.Claims claims = OpenIdLogin.Claims.STANDARD;
		return new OpenIdLoginForm("", "", "", "", String.join(" ", OpenIdLoginRules.DEFAULT_SCOPES), "",
				OpenIdLoginRules.DEFAULT_USER_CLAIM, claims.email(), claims.name(), claims.groups(), "",
				claims.groups(), "", "", "", "", "", OpenIdLogin.Broker.EMAIL, OpenIdClientAuth.DEFAULT.value(), "",
				"");
	}

	/**
	 * A stored login's form, without its secret.
	 * @param login the login
	 * @return the form
	 */
	static OpenIdLoginForm of(OpenIdLogin login) {
		OpenIdLogin.Console console = login.console();
		StringBuilder parameters = new StringBuilder();
		new java.util.TreeMap<>(login.parameters())
			.forEach((key, value) -> parameters.append(key).append('=').append(value).append('\n'));
		return new OpenIdLoginForm(login.name(), login.issuer(), login.clientId(), "", String.join(" ", login.scopes()),
				parameters.toString(), login.userClaim(), login.claims().email(), login.claims().name(),
				login.claims().groups(), String.join(" ", login.allowedDomains()),
				(console != null) ? console.claim() : login.claims().groups(),
				(console != null) ? String.join(" ", console.admin()) : "",
				(console != null) ? String.join(" ", console.operator()) : "",
				(console != null) ? String.join(" ", console.viewer()) : "",
				(console != null) ? String.join(" ", console.requiredDomains()) : "",
				(login.broker() != null) ? login.broker().realm() : "",
				(login.broker() != null) ? login.broker().linkClaim() : OpenIdLogin.Broker.EMAIL,
				login.clientAuth().value(), "", "");
	}

	/**
	 * What the form asks for.
	 * @return the spec; an empty secret or key is {@code null} (kept on a change)
	 */
	OpenIdLoginRules.Spec spec() {
		Map<String, String> claims = new LinkedHashMap<>();
		put(claims, "email", this.emailClaim);
		put(claims, "name", this.nameClaim);
		put(claims, "groups", this.groupsClaim);
		return new OpenIdLoginRules.Spec(trim(this.name), trim(this.issuer), trim(this.clientId),
				(this.clientSecret == null || this.clientSecret.isEmpty()) ? null : this.clientSecret, null,
				words(this.scopes, "scopes"), parameters(this.parameters), trim(this.userClaim), claims,
				words(this.allowedDomains, "allowed-domains"),
				new OpenIdLogin.Console(trim(this.consoleClaim), words(this.consoleAdmin, "console.roles.admin"),
						words(this.consoleOperator, "console.roles.operator"),
						words(this.consoleViewer, "console.roles.viewer"),
						words(this.consoleRequiredDomains, "console.required-domains")),
				new OpenIdLogin.Broker(Objects.requireNonNullElse(trim(this.brokerRealm), ""),
						trim(this.brokerLinkClaim)),
				trim(this.clientAuth),
				(this.newKey != null && !this.newKey.isBlank()) ? OpenIdLoginRules.GENERATE : trim(this.privateKey),
				null);
	}

	/**
	 * Put a refusal beside the input it names, or above the form.
	 * @param message the refusal
	 * @param errors the errors so far
	 * @return the errors
	 */
	static FormErrors refused(String message, FormErrors errors) {
		int colon = message.indexOf(": ");
		String field = (colon > 0) ? message.substring(0, colon) : "";
		String input = INPUTS.get(field);
		if (input == null && field.startsWith("parameters.")) {
			input = "parameters";
		}
		if (input != null) {
			errors.field(input, message);
		}
		else {
			errors.global(message);
		}
		return errors;
	}

	private static void put(Map<String, String> claims, String key, String value) {
		if (value != null && !value.isBlank()) {
			claims.put(key, value.trim());
		}
	}

	private static String trim(String value) {
		return (value != null && !value.isBlank()) ? value.trim() : null;
	}

	private static List<String> words(String text, String field) {
		if (text == null || text.isBlank()) {
			return (field.equals("scopes")) ? null : List.of();
		}
		if (text.length() > MAX_TEXT) {
			throw new IllegalArgumentException(field + ": longer than " + MAX_TEXT + " characters");
		}
		return new ArrayList<>(Arrays.asList(text.trim().split("[\\s,]+")));
	}

	private static Map<String, String> parameters(String text) {
		Map<String, String> parameters = new LinkedHashMap<>();
		if (text == null || text.isBlank()) {
			return parameters;
		}
		if (text.length() > MAX_TEXT) {
			throw new IllegalArgumentException("parameters: longer than " + MAX_TEXT + " characters");
		}
		for (String line : text.split("\\R")) {
			if (line.isBlank()) {
				continue;
			}
			int equals = line.indexOf('=');
			if (equals <= 0) {
				throw new IllegalArgumentException(
						"parameters: '" + line.trim() + "' (expected: name=value, one a line, such as prompt=login)");
			}
			parameters.put(line.substring(0, equals).trim(), line.substring(equals + 1).trim());
		}
		return parameters;
	}

}
