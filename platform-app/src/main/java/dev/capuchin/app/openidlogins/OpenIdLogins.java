package dev.capuchin.app.openidlogins;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.nimbusds.jose.jwk.JWK;
import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.plugin.auth.OpenIdClientKeys;

/**
 * The OpenID logins as the console and the API change them: every change goes through
 * {@link ConfigService#changeOpenIdLogins}, so it is validated against the locations that
 * name the login, versioned, audited and swapped into the data plane like any other
 * change. Making a login, or changing its issuer, fetches the issuer's discovery document
 * first and refuses one that does not name itself.
 */
public final class OpenIdLogins {

	private final ConfigService config;

	private final OpenIdLoginKeys keys;

	private final OpenIdDiscovery discovery;

	/**
	 * @param config the configuration
	 * @param keys the master key's work
	 * @param discovery fetches discovery documents
	 */
	public OpenIdLogins(ConfigService config, OpenIdLoginKeys keys, OpenIdDiscovery discovery) {
		this.config = config;
		this.keys = keys;
		this.discovery = discovery;
	}

	/**
	 * Every login, in the order listed.
	 * @return the logins
	 */
	public List<OpenIdLogin> list() {
		return this.config.current().openidLogins();
	}

	/**
	 * One login.
	 * @param name its name
	 * @return the login, if there is one
	 */
	public Optional<OpenIdLogin> find(String name) {
		return this.config.current().openidLogin(name);
	}

	/**
	 * The public JWK set of a login's {@code private-key-jwt} key: what the admin
	 * registers as the client's {@code jwks} at the provider.
	 * @param name the login's name
	 * @return {@code {"keys":[...]}}, or empty when there is no such login or it has no
	 * key
	 */
	public Optional<String> publicJwks(String name) {
		return find(name).filter(OpenIdLogin::hasPrivateKey)
			.map((login) -> OpenIdClientKeys.publicJwkSet(this.keys.privateKey(login.privateKeyEncrypted())));
	}

	/**
	 * The private key a login signs its client assertions with.
	 * @param name the login's name
	 * @return the key, or {@code null} when there is no such login or it has no key
	 */
	public JWK clientKey(String name) {
		return find(name).filter(OpenIdLogin::hasPrivateKey)
			.map((login) -> this.keys.privateKey(login.privateKeyEncrypted()))
			.orElse(null);
	}

	/**
	 * The locations that name each login.
	 * @return login name to where it is used
	 * ({@code site shop locations[1] (path /team/)})
	 */
	public Map<String, List<String>> usage() {
		Map<String, List<String>> usage = new java.util.LinkedHashMap<>();
		OpenIdLoginReferences.usage(this.config.current().entries())
			.forEach((name, references) -> usage.put(name,
					references.stream().map(OpenIdLoginReferences.Reference::where).toList()));
		return usage;
	}

	/**
	 * Fetch an issuer's discovery document, checked.
	 * @param issuer the issuer URL
	 * @return what it says
	 * @throws IllegalArgumentException naming the field at fault
	 */
	public OpenIdDiscovery.Metadata discover(String issuer) {
		return this.discovery.discover(OpenIdLoginRules.issuer(issuer));
	}

	/**
	 * Make a login.
	 * @param spec what it is made of
	 * @param actor who makes it
	 * @return the login
	 * @throws IllegalArgumentException naming the field of a refused value
	 * @throws IllegalStateException when the name is taken
	 */
	public OpenIdLogin create(OpenIdLoginRules.Spec spec, String actor) {
		if (spec.clientSecretEncrypted() != null) {
			throw new IllegalArgumentException("client-secret-encrypted: not accepted here (expected: client-secret)");
		}
		if (spec.privateKeyEncrypted() != null) {
			throw new IllegalArgumentException("private-key-encrypted: not accepted here (expected: private-key)");
		}
		OpenIdLogin login = OpenIdLoginRules.build(spec, null, this.keys);
		discover(login.issuer());
		change(actor, (logins) -> {
			if (logins.stream().anyMatch((existing) -> existing.name().equals(login.name()))) {
				throw new IllegalStateException("name: a login '" + login.name() + "' exists already");
			}
			logins.add(login);
		});
		return login;
	}

	/**
	 * Change a login: the fields left {@code null} keep their value; a secret or key left
	 * out stays, a new one replaces it.
	 * @param name its name
	 * @param spec the new values
	 * @param actor who changes it
	 * @return the changed login, if there is one
	 * @throws IllegalArgumentException naming the field of a refused value
	 * @throws dev.capuchin.app.shared.config.InvalidConfigurationException when a
	 * location's block cannot take the change
	 */
	public Optional<OpenIdLogin> update(String name, OpenIdLoginRules.Spec spec, String actor) {
		Optional<OpenIdLogin> found = find(name);
		if (found.isEmpty()) {
			return Optional.empty();
		}
		OpenIdLogin before = found.get();
		if (spec.name() != null && !spec.name().equals(name)) {
			throw new IllegalArgumentException("name: cannot be changed (expected: '" + name + "')");
		}
		if (spec.clientSecretEncrypted() != null) {
			throw new IllegalArgumentException("client-secret-encrypted: not accepted here (expected: client-secret)");
		}
		String clientAuth = or(spec.clientAuth(), before.clientAuth().value());
		// a login that turns to private-key-jwt drops its secret; one that turns away
		// from
		// it drops its key (build keeps the key of private-key-jwt, or makes one)
		boolean withKey = OpenIdClientAuth.PRIVATE_KEY_JWT.value().equals(clientAuth);
		if (spec.privateKeyEncrypted() != null) {
			throw new IllegalArgumentException("private-key-encrypted: not accepted here (expected: private-key)");
		}
		boolean keepSecret = (spec.clientSecret() == null || spec.clientSecret().isEmpty()) && !withKey;
		OpenIdLoginRules.Spec merged = new OpenIdLoginRules.Spec(name, or(spec.issuer(), before.issuer()),
				or(spec.clientId(), before.clientId()),
				(spec.clientSecret() == null || spec.clientSecret().isEmpty()) ? null : spec.clientSecret(),
				keepSecret ? before.clientSecretEncrypted() : null, or(spec.scopes(), before.scopes()),
				or(spec.parameters(), before.parameters()), or(spec.userClaim(), before.userClaim()),
				or(spec.claims(),
						Map.of("email", before.claims().email(), "name", before.claims().name(), "groups",
								before.claims().groups())),
				or(spec.allowedDomains(), before.allowedDomains()), or(spec.console(), before.console()),
				or(spec.broker(), before.broker()), clientAuth, spec.privateKey(), null);
		OpenIdLogin login = OpenIdLoginRules.build(merged, before, this.keys);
		if (!login.issuer().equals(before.issuer())) {
			discover(login.issuer());
		}
		change(actor, (logins) -> logins.replaceAll((existing) -> existing.name().equals(name) ? login : existing));
		return Optional.of(login);
	}

	/**
	 * Delete a login.
	 * @param name its name
	 * @param actor who deletes it
	 * @return whether there was such a login
	 * @throws dev.capuchin.app.shared.config.ConfigurationConflictException naming the
	 * locations that still use it
	 */
	public boolean delete(String name, String actor) {
		if (find(name).isEmpty()) {
			return false;
		}
		change(actor, (logins) -> logins.removeIf((login) -> login.name().equals(name)));
		return true;
	}

	private void change(String actor, java.util.function.Consumer<List<OpenIdLogin>> edit) {
		this.config.changeOpenIdLogins((current) -> {
			List<OpenIdLogin> logins = new ArrayList<>(current);
			edit.accept(logins);
			return logins;
		}, actor);
	}

	private static <T> T or(T value, T otherwise) {
		return (value != null) ? value : otherwise;
	}

}
