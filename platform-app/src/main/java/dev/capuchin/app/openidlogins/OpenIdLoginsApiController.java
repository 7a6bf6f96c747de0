package dev.capuchin.app.openidlogins;

import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.Map;

import dev.capuchin.app.shared.api.ApiException;
import dev.capuchin.app.shared.config.ConfigurationConflictException;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;

/**
 * {@code /api/openid-logins}: the OpenID logins as JSON, the same changes the console
 * makes. No answer carries a client secret, plain or encrypted: only whether the login
 * has one. Errors are {@code {"error": "..."}} naming the field: 400 for a refused value
 * (an issuer whose discovery document does not name itself among them), 404 for an
 * unknown login, 409 for a taken name or a login that locations still use.
 */
@RestController
@RequestMapping("/api/openid-logins")
class OpenIdLoginsApiController {

	private final OpenIdLogins logins;

	OpenIdLoginsApiController(OpenIdLogins logins) {
		this.logins = logins;
	}

	@GetMapping
	List<LoginView> list() {
		Map<String, List<String>> usage = this.logins.usage();
		return this.logins.list().stream().map((login) -> LoginView.of(login, usage)).toList();
	}

	@GetMapping("/{name}")
	LoginView get(@PathVariable String name) {
		return LoginView.of(find(name), this.logins.usage());
	}

	/**
	 * The public key set of a {@code private-key-jwt} login, to register as its client's
	 * {@code jwks} at the provider (or to serve as its {@code jwks_uri}): the public half
	 * only, so any signed-in API client may read it.
	 */
	@GetMapping(path = "/{name}/jwks", produces = MediaType.APPLICATION_JSON_VALUE)
	String jwks(@PathVariable String name) {
		find(name);
		return this.logins.publicJwks(name)
			.orElseThrow(() -> ApiException
				.notFound("key of openid login '" + name + "' (expected: a login with client-auth private-key-jwt)"));
	}

	/**
	 * What an issuer's discovery document says, checked as saving checks it.
	 */
	@GetMapping("/discovery")
	OpenIdDiscovery.Metadata discover(@RequestParam String issuer) {
		try {
			return this.logins.discover(issuer);
		}
		catch (IllegalArgumentException ex) {
			throw ApiException.badRequest(ex.getMessage());
		}
	}

	@PostMapping
	ResponseEntity<LoginView> create(@RequestBody LoginBody body, Principal principal) {
		OpenIdLogin login;
		try {
			login = this.logins.create(body.spec(), principal.getName());
		}
		catch (IllegalArgumentException ex) {
			throw ApiException.badRequest(ex.getMessage());
		}
		catch (IllegalStateException ex) {
			throw ApiException.conflict(ex.getMessage());
		}
		return ResponseEntity.created(URI.create(path(login.name()))).body(LoginView.of(login, Map.of()));
	}

	@PutMapping("/{name}")
	LoginView update(@PathVariable String name, @RequestBody LoginBody body, Principal principal) {
		try {
			return LoginView.of(this.logins.update(name, body.spec(), principal.getName())
				.orElseThrow(() -> ApiException.notFound("openid login '" + name + "'")), this.logins.usage());
		}
		catch (IllegalArgumentException ex) {
			throw ApiException.badRequest(ex.getMessage());
		}
	}

	@DeleteMapping("/{name}")
	ResponseEntity<Void> delete(@PathVariable String name, Principal principal) {
		try {
			if (!this.logins.delete(name, principal.getName())) {
				throw ApiException.notFound("openid login '" + name + "'");
			}
		}
		catch (ConfigurationConflictException ex) {
			throw ApiException.conflict(ex.getMessage());
		}
		return ResponseEntity.noContent().build();
	}

	private OpenIdLogin find(String name) {
		return this.logins.find(name).orElseThrow(() -> ApiException.notFound("openid login '" + name + "'"));
	}

	private static String path(String name) {
		return "/api/openid-logins/" + UriUtils.encodePathSegment(name, "UTF-8");
	}

	/**
	 * A login in answers: never its secret.
	 *
	 * @param name its name
	 * @param issuer the issuer URL
	 * @param clientId the client id at the provider
	 * @param hasClientSecret whether it has a client secret
	 * @param clientAuth how its client authenticates: {@code client-secret-basic},
	 * {@code client-secret-post} or {@code private-key-jwt}
	 * @param hasPrivateKey whether it has a private key ({@code private-key-jwt}), whose
	 * public half {@code /api/openid-logins/<name>/jwks} serves
	 * @param scopes the scopes asked for
	 * @param parameters extra authorization parameters
	 * @param userClaim the user name claim
	 * @param claims the email, name and groups claims
	 * @param allowedDomains the allowed email domains, empty for any
	 * @param console the console sign-in, or {@code null}
	 * @param broker the realm that offers the login, or {@code null}
	 * @param usedBy the locations that name it
	 */
	record LoginView(String name, String issuer, String clientId, boolean hasClientSecret, String clientAuth,
			boolean hasPrivateKey, List<String> scopes, Map<String, String> parameters, String userClaim,
			Map<String, String> claims, List<String> allowedDomains, ConsoleBody console, OpenIdLogin.Broker broker,
			List<String> usedBy) {

		static LoginView of(OpenIdLogin login, Map<String, List<String>> usage) {
			return new LoginView(login.name(), login.issuer(), login.clientId(), login.hasSecret(),
					login.clientAuth().value(), login.hasPrivateKey(), login.scopes(),
					new java.util.TreeMap<>(login.parameters()), login.userClaim(),
					Map.of("email", login.claims().email(), "name", login.claims().name(), "groups",
							login.claims().groups()),
					login.allowedDomains(), ConsoleBody.of(login.console()), login.broker(),
					usage.getOrDefault(login.name(), List.of()));
		}

	}

	/**
	 * The body that makes or changes a login; on a change, what is left out stays (the
	 * secret too).
	 *
	 * @param name its name
	 * @param issuer the issuer URL
	 * @param clientId the client id at the provider
	 * @param clientSecret the client secret, in plain; stored encrypted, never answered
	 * @param scopes the scopes, {@code openid} among them
	 * @param parameters extra authorization parameters, such as {@code prompt}
	 * @param userClaim the user name claim
	 * @param claims the email, name and groups claims
	 * @param allowedDomains the allowed email domains
	 * @param console the console sign-in, or {@code null} to keep it; {@code {}} for none
	 * @param broker the brokering, or {@code null} to keep it; {@code {}} for none
	 * @param clientAuth {@code client-secret-basic} (the default),
	 * {@code client-secret-post} or {@code private-key-jwt}
	 * @param privateKey the private key of {@code private-key-jwt} in plain (PEM or JWK),
	 * or {@code generate}; left out, the login's key stays (a new login gets a new one)
	 */
	record LoginBody(String name, String issuer, String clientId, String clientSecret, List<String> scopes,
			Map<String, String> parameters, String userClaim, Map<String, String> claims, List<String> allowedDomains,
			ConsoleBody console, OpenIdLogin.Broker broker, String clientAuth, String privateKey) {

		OpenIdLoginRules.Spec spec() {
			return new OpenIdLoginRules.Spec(this.name, this.issuer, this.clientId, this.clientSecret, null,
					this.scopes, this.parameters, this.userClaim, this.claims, this.allowedDomains,
					(this.console != null) ? this.console.console() : null, (this.broker != null)
							? new OpenIdLogin.Broker(or(this.broker.realm()), this.broker.linkClaim()) : null,
					this.clientAuth, this.privateKey, null);
		}

		private static String or(String realm) {
			return (realm != null) ? realm : "";
		}

	}

	/**
	 * The console sign-in in answers and bodies; {@code {}} in a body turns it off.
	 *
	 * @param claim the claim whose values are mapped
	 * @param roles the values of each role: {@code admin}, {@code operator},
	 * {@code viewer}
	 * @param requiredDomains the email domains whose console users must use this login
	 */
	record ConsoleBody(String claim, Map<String, List<String>> roles, List<String> requiredDomains) {

		static ConsoleBody of(OpenIdLogin.Console console) {
			if (console == null) {
				return null;
			}
			Map<String, List<String>> roles = new java.util.LinkedHashMap<>();
			OpenIdLoginRules.CONSOLE_ROLES.forEach((role) -> roles.put(role, console.values(role)));
			return new ConsoleBody(console.claim(), roles, console.requiredDomains());
		}

		OpenIdLogin.Console console() {
			Map<String, List<String>> given = (this.roles != null) ? this.roles : Map.of();
			for (String role : given.keySet()) {
				if (!OpenIdLoginRules.CONSOLE_ROLES.contains(role)) {
					throw new IllegalArgumentException(
							"console.roles." + role + ": unknown role (expected: admin, operator, viewer)");
				}
			}
			return new OpenIdLogin.Console(this.claim, values(given.get("admin")), values(given.get("operator")),
					values(given.get("viewer")), values(this.requiredDomains));
		}

		private static List<String> values(List<String> values) {
			return (values != null) ? values : List.of();
		}

	}

}
