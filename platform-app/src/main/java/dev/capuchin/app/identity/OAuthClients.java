package dev.capuchin.app.identity;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import dev.capuchin.app.audit.AuditLog;
import dev.capuchin.app.shared.config.InvalidConfigurationException;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.ConfigurationSettingNames;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The OAuth clients: made, changed, disabled and deleted here, stored as Spring's
 * registered clients with Capuchin's own settings (realm, type, enabled, the previous
 * secret during a rotation). Secrets are made here, shown once, and stored as
 * {@link PasswordEncoder} hashes. Deleting a client revokes its tokens and consents.
 * Every change and revocation is audited in the change's transaction.
 */
public final class OAuthClients {

	/** Client setting: the realm whose users sign in. */
	static final String REALM = "settings.capuchin.realm";

	/** Client setting: confidential or public. */
	static final String TYPE = "settings.capuchin.type";

	/** Client setting: whether the client may get tokens. */
	static final String ENABLED = "settings.capuchin.enabled";

	/** Client setting: the hash of the secret before the last rotation. */
	static final String PREVIOUS_SECRET = "settings.capuchin.previous-secret";

	/** Client setting: until when that secret still works (an ISO instant). */
	static final String PREVIOUS_SECRET_EXPIRES_AT = "settings.capuchin.previous-secret-expires-at";

	/** The grants Capuchin offers: no implicit and no password grant (OAuth 2.1). */
	static final List<AuthorizationGrantType> GRANTS = List.of(AuthorizationGrantType.AUTHORIZATION_CODE,
			AuthorizationGrantType.CLIENT_CREDENTIALS, AuthorizationGrantType.REFRESH_TOKEN,
			AuthorizationGrantType.DEVICE_CODE, AuthorizationGrantType.TOKEN_EXCHANGE);

	/** The shortest access token lifetime. */
	static final Duration MIN_LIFETIME = Duration.ofMinutes(1);

	/** The longest refresh token lifetime. */
	static final Duration MAX_REFRESH_LIFETIME = Duration.ofDays(365);

	/** The longest grace period of a rotated secret. */
	static final Duration MAX_GRACE = Duration.ofDays(30);

	private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._~-]{0,99}");

	/** RFC 6749 §3.3: scope tokens are printable ASCII but space, quote and backslash. */
	private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,100}");

	private static final int MAX_LIST = 50;

	private static final SecureRandom random = new SecureRandom();

	private final JdbcRegisteredClientRepository repository;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final PasswordEncoder encoder;

	private final AuditLog audit;

	private final Predicate<String> realmExists;

	private final Duration maxAccessTokenLifetime;

	private final Clock clock;

	/**
	 * @param repository Spring's store of registered clients
	 * @param jdbc the store
	 * @param transactions transactions on the store
	 * @param encoder hashes secrets
	 * @param audit the audit log
	 * @param realmExists whether a realm of that name exists
	 * @param maxAccessTokenLifetime the longest access token lifetime (the signing key
	 * overlap)
	 * @param clock the clock
	 */
	public OAuthClients(JdbcRegisteredClientRepository repository, JdbcTemplate jdbc, TransactionTemplate transactions,
			PasswordEncoder encoder, AuditLog audit, Predicate<String> realmExists, Duration maxAccessTokenLifetime,
			Clock clock) {
		this.repository = repository;
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.encoder = encoder;
		this.audit = audit;
		this.realmExists = realmExists;
		this.maxAccessTokenLifetime = maxAccessTokenLifetime;
		this.clock = clock;
	}

	/**
	 * What a client is made of, as asked for: checked by {@link OAuthClients}.
	 *
	 * @param clientId the {@code client_id}
	 * @param name the name, or {@code null} for the client id
	 * @param type {@code confidential} or {@code public}
	 * @param realm the realm
	 * @param grantTypes the grants
	 * @param scopes the scopes, or {@code null} for none
	 * @param redirectUris the redirect URIs, or {@code null} for none
	 * @param postLogoutRedirectUris the post-logout redirect URIs, or {@code null}
	 * @param tokenFormat {@code jwt} or {@code opaque}, or {@code null} for jwt
	 * @param accessTokenLifetime the access token lifetime, or {@code null} for 5 minutes
	 * @param refreshTokenLifetime the refresh token lifetime, or {@code null} for 1 hour
	 * @param consent whether users consent, or {@code null} for yes
	 * @param enabled whether the client works, or {@code null} for yes
	 * @param jwkSetUrl the client's JWK set for {@code private_key_jwt}, or {@code null}
	 */
	public record Spec(String clientId, String name, String type, String realm, List<String> grantTypes,
			List<String> scopes, List<String> redirectUris, List<String> postLogoutRedirectUris, String tokenFormat,
			Duration accessTokenLifetime, Duration refreshTokenLifetime, Boolean consent, Boolean enabled,
			String jwkSetUrl) {
	}

	/**
	 * A client just made or given a new secret.
	 *
	 * @param client the client
	 * @param secret its secret, shown once, or {@code null} for a public client
	 */
	public record Created(OAuthClient client, String secret) {
	}

	/**
	 * Every client, by client id.
	 * @return the clients
	 */
	public List<OAuthClient> list() {
		List<String> ids = this.jdbc.queryForList("select id from oauth2_registered_client order by client_id",
				String.class);
		return ids.stream().map(this.repository::findById).map(OAuthClients::view).toList();
	}

	/**
	 * One client.
	 * @param clientId its client id
	 * @return the client, if there is one
	 */
	public Optional<OAuthClient> find(String clientId) {
		return Optional.ofNullable(this.repository.findByClientId(clientId)).map(OAuthClients::view);
	}

	/**
	 * Make a client.
	 * @param spec what it is made of
	 * @param actor who makes it
	 * @return the client and its secret
	 * @throws IllegalArgumentException naming the field of a refused value
	 * @throws IllegalStateException when the client id is taken
	 */
	public Created create(Spec spec, String actor) {
		String clientId = checkClientId(spec.clientId());
		OAuthClient.Type type = OAuthClient.Type.of(required(spec.type(), "type", "confidential or public"));
		String secret = (type == OAuthClient.Type.CONFIDENTIAL) ? newSecret() : null;
		RegisteredClient.Builder builder = RegisteredClient.withId(UUID.randomUUID().toString())
			.clientId(clientId)
			.clientIdIssuedAt(this.clock.instant());
		if (secret != null) {
			builder.clientSecret(this.encoder.encode(secret));
		}
		RegisteredClient client = apply(builder, spec, type, null, this.realmExists).build();
		return this.transactions.execute((status) -> {
			if (this.repository.findByClientId(clientId) != null) {
				throw new IllegalStateException("client-id: a client '" + clientId + "' exists already");
			}
			this.repository.save(client);
			OAuthClient view = view(client);
			this.audit.record(actor, "create", target(clientId), null, describe(view));
			return new Created(view, secret);
		});
	}

	/**
	 * Change a client: the fields left {@code null} keep their value.
	 * @param clientId its client id
	 * @param spec the new values
	 * @param actor who changes it
	 * @return the changed client, if there is one
	 */
	public Optional<OAuthClient> update(String clientId, Spec spec, String actor) {
		return this.transactions.execute((status) -> {
			RegisteredClient existing = this.repository.findByClientId(clientId);
			if (existing == null) {
				return Optional.empty();
			}
			OAuthClient before = view(existing);
			if (spec.clientId() != null && !spec.clientId().equals(clientId)) {
				throw new IllegalArgumentException("client-id: cannot be changed (expected: '" + clientId + "')");
			}
			if (spec.type() != null && OAuthClient.Type.of(spec.type()) != before.type()) {
				throw new IllegalArgumentException("type: cannot be changed (expected: '" + before.type().key() + "')");
			}
			Spec merged = new Spec(clientId, or(spec.name(), before.name()), before.type().key(),
					or(spec.realm(), before.realm()), or(spec.grantTypes(), before.grantTypes()),
					or(spec.scopes(), before.scopes()), or(spec.redirectUris(), before.redirectUris()),
					or(spec.postLogoutRedirectUris(), before.postLogoutRedirectUris()),
					or(spec.tokenFormat(), before.tokenFormat().key()),
					or(spec.accessTokenLifetime(), before.accessTokenLifetime()),
					or(spec.refreshTokenLifetime(), before.refreshTokenLifetime()),
					or(spec.consent(), before.consent()), or(spec.enabled(), before.enabled()),
					or(spec.jwkSetUrl(), before.jwkSetUrl()));
			RegisteredClient.Builder builder = RegisteredClient.from(existing);
			RegisteredClient changed = apply(builder, merged, before.type(), existing.getClientSettings(),
					this.realmExists)
				.build();
			this.repository.save(changed);
			OAuthClient after = view(changed);
			this.audit.record(actor, "update", target(clientId), describe(before), describe(after));
			if (before.enabled() && !after.enabled()) {
				revokeAll(changed.getId(), clientId, actor);
			}
			return Optional.of(after);
		});
	}

	/**
	 * Give a confidential client a new secret; the previous one keeps working for the
	 * grace period.
	 * @param clientId its client id
	 * @param grace how long the previous secret still works ({@code 0} for not at all)
	 * @param actor who rotates it
	 * @return the client and its new secret, if there is such a client
	 * @throws IllegalArgumentException for a public client or a grace beyond 30 days
	 */
	public Optional<Created> rotateSecret(String clientId, Duration grace, String actor) {
		if (grace.isNegative() || grace.compareTo(MAX_GRACE) > 0) {
			throw new IllegalArgumentException("grace: " + grace + " (expected: 0 to " + MAX_GRACE.toDays() + " days)");
		}
		return this.transactions.execute((status) -> {
			RegisteredClient existing = this.repository.findByClientId(clientId);
			if (existing == null) {
				return Optional.empty();
			}
			if (existing.getClientSecret() == null) {
				throw new IllegalArgumentException("type: a public client has no secret to rotate");
			}
			String secret = newSecret();
			Map<String, Object> settings = new java.util.HashMap<>(existing.getClientSettings().getSettings());
			settings.remove(PREVIOUS_SECRET);
			settings.remove(PREVIOUS_SECRET_EXPIRES_AT);
			if (!grace.isZero()) {
				settings.put(PREVIOUS_SECRET, existing.getClientSecret());
				settings.put(PREVIOUS_SECRET_EXPIRES_AT, this.clock.instant().plus(grace).toString());
			}
			RegisteredClient changed = RegisteredClient.from(existing)
				.clientSecret(this.encoder.encode(secret))
				.clientSettings(ClientSettings.withSettings(settings).build())
				.build();
			this.repository.save(changed);
			this.audit.record(actor, "rotate-secret", target(clientId), null,
					"previous secret valid for: " + grace.toSeconds() + "s\n");
			return Optional.of(new Created(view(changed), secret));
		});
	}

	/**
	 * Delete a client, revoking its tokens and consents.
	 * @param clientId its client id
	 * @param actor who deletes it
	 * @return whether there was such a client
	 */
	public boolean delete(String clientId, String actor) {
		return Boolean.TRUE.equals(this.transactions.execute((status) -> {
			RegisteredClient existing = this.repository.findByClientId(clientId);
			if (existing == null) {
				return false;
			}
			revokeAll(existing.getId(), clientId, actor);
			this.jdbc.update("delete from oauth2_authorization_consent where registered_client_id = ?",
					existing.getId());
			this.jdbc.update("delete from oauth2_registered_client where id = ?", existing.getId());
			this.audit.record(actor, "delete", target(clientId), describe(view(existing)), null);
			return true;
		}));
	}

	/**
	 * The grants of a client that still hold a token, newest first.
	 * @param clientId its client id
	 * @return the grants
	 */
	public List<Grant> grants(String clientId) {
		RegisteredClient client = this.repository.findByClientId(clientId);
		if (client == null) {
			return List.of();
		}
		Timestamp now = Timestamp.from(this.clock.instant());
		return this.jdbc
			.query("""
					select id, principal_name, authorization_grant_type, authorized_scopes,
					       coalesce(access_token_issued_at, authorization_code_issued_at, device_code_issued_at) issued,
					       access_token_expires_at, refresh_token_expires_at
					from oauth2_authorization
					where registered_client_id = ?
					  and (access_token_expires_at > ? or refresh_token_expires_at > ?
					       or authorization_code_expires_at > ? or device_code_expires_at > ?)
					order by issued desc
					""",
					(rs, row) -> new Grant(rs.getString(1), clientId, rs.getString(2), rs.getString(3), rs.getString(4),
							instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6)), instant(rs.getTimestamp(7))),
					client.getId(), now, now, now, now)
			.stream()
			.limit(MAX_LIST)
			.toList();
	}

	/**
	 * The grants realm users hold, through the clients of that realm that still hold a
	 * token, by user name and then newest first. A client acting for itself (client
	 * credentials) is no realm user and is left out.
	 * @param realm the realm's name
	 * @return the grants
	 */
	public List<Grant> userGrants(String realm) {
		List<Grant> grants = new ArrayList<>();
		for (OAuthClient client : list()) {
			if (!realm.equals(client.realm())) {
				continue;
			}
			for (Grant grant : grants(client.clientId())) {
				if (!AuthorizationGrantType.CLIENT_CREDENTIALS.getValue().equals(grant.grantType())
						&& !client.clientId().equals(grant.principal())) {
					grants.add(grant);
				}
			}
		}
		grants.sort(Comparator.comparing(Grant::principal)
			.thenComparing(Grant::issuedAt, Comparator.nullsLast(Comparator.reverseOrder())));
		return grants;
	}

	/**
	 * Revoke one grant of a client: its tokens stop working at once (JWT access tokens
	 * stop introspecting as active; resource servers that check signatures only accept
	 * them until they expire).
	 * @param clientId its client id
	 * @param grantId the grant
	 * @param actor who revokes it
	 * @return whether there was such a grant
	 */
	public boolean revoke(String clientId, String grantId, String actor) {
		RegisteredClient client = this.repository.findByClientId(clientId);
		if (client == null) {
			return false;
		}
		return Boolean.TRUE.equals(this.transactions.execute((status) -> {
			int deleted = this.jdbc.update("delete from oauth2_authorization where id = ? and registered_client_id = ?",
					grantId, client.getId());
			if (deleted > 0) {
				this.audit.record(actor, "revoke", target(clientId) + " grant " + grantId, null, null);
			}
			return deleted > 0;
		}));
	}

	/**
	 * Revoke every grant and consent that these users of a realm hold through the realm's
	 * clients: called when the users are deleted or their passwords changed, so that no
	 * refresh token outlives the account or the password it was given for. A client
	 * acting for itself (client credentials) is left alone, even under a user's name.
	 * @param realm the realm's name
	 * @param users the users' names
	 * @param reason why, for the audit log ({@code deleted}, {@code password changed})
	 * @param actor who made the change
	 * @return how many grants were revoked
	 */
	public int revokeRealmUsers(String realm, Set<String> users, String reason, String actor) {
		if (users.isEmpty()) {
			return 0;
		}
		Integer total = this.transactions.execute((status) -> {
			int revoked = 0;
			for (OAuthClient client : list()) {
				if (!realm.equals(client.realm())) {
					continue;
				}
				RegisteredClient registered = this.repository.findByClientId(client.clientId());
				for (String user : users) {
					int deleted = this.jdbc.update("""
							delete from oauth2_authorization
							where registered_client_id = ? and principal_name = ? and authorization_grant_type <> ?
							""", registered.getId(), user, AuthorizationGrantType.CLIENT_CREDENTIALS.getValue());
					this.jdbc.update(
							"delete from oauth2_authorization_consent where registered_client_id = ? and principal_name = ?",
							registered.getId(), user);
					if (deleted > 0) {
						this.audit.record(actor, "revoke", target(client.clientId()) + " user " + user,
								deleted + " grants (" + reason + ")\n", null);
					}
					revoked += deleted;
				}
			}
			return revoked;
		});
		return (total != null) ? total : 0;
	}

	/**
	 * Every client as the configuration document holds it, with its secret's hash.
	 * @return the clients, by client id
	 */
	public List<OAuthClientDocument.Entry> entries() {
		List<String> ids = this.jdbc.queryForList("select id from oauth2_registered_client order by client_id",
				String.class);
		return ids.stream().map(this.repository::findById).map(OAuthClients::entry).toList();
	}

	/**
	 * Check the clients of a configuration document with the API's rules, against the
	 * realms the document leaves.
	 * @param proposed the clients as read
	 * @param realmExists whether a realm of that name will exist
	 * @return the clients with every default filled in, in document order
	 * @throws InvalidConfigurationException naming the entry and field at fault
	 */
	public List<OAuthClientDocument.Entry> check(List<OAuthClientDocument.Entry> proposed,
			Predicate<String> realmExists) {
		List<OAuthClientDocument.Entry> checked = new ArrayList<>();
		for (int i = 0; i < proposed.size(); i++) {
			OAuthClientDocument.Entry entry = proposed.get(i);
			try {
				checked.add(entry(build(null, entry, realmExists)));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidConfigurationException("oauth-clients[" + i + "]." + ex.getMessage());
			}
		}
		return checked;
	}

	/**
	 * Make the stored clients those of a configuration document, in the caller's
	 * transaction: new ones are made, listed ones changed, the others deleted with their
	 * grants and consents (as {@link #delete} does); disabling a client revokes its
	 * grants. A client whose secret hash is unchanged keeps its previous secret's grace
	 * period; a new hash ends it.
	 * @param proposed the clients, checked by {@link #check}
	 * @param realmExists whether a realm of that name will exist
	 * @param actor who imports them (for the revocations' audit entries)
	 */
	public void replaceAll(List<OAuthClientDocument.Entry> proposed, Predicate<String> realmExists, String actor) {
		Map<String, RegisteredClient> stored = new java.util.LinkedHashMap<>();
		for (String id : this.jdbc.queryForList("select id from oauth2_registered_client", String.class)) {
			RegisteredClient client = this.repository.findById(id);
			stored.put(client.getClientId(), client);
		}
		for (OAuthClientDocument.Entry entry : proposed) {
			RegisteredClient existing = stored.remove(entry.clientId());
			if (existing != null && entry(existing).equals(entry)) {
				continue;
			}
			RegisteredClient changed = build(existing, entry, realmExists);
			this.repository.save(changed);
			if (existing != null && enabled(existing) && !enabled(changed)) {
				revokeAll(existing.getId(), entry.clientId(), actor);
			}
		}
		for (RegisteredClient removed : stored.values()) {
			revokeAll(removed.getId(), removed.getClientId(), actor);
			this.jdbc.update("delete from oauth2_authorization_consent where registered_client_id = ?",
					removed.getId());
			this.jdbc.update("delete from oauth2_registered_client where id = ?", removed.getId());
		}
	}

	private RegisteredClient build(RegisteredClient existing, OAuthClientDocument.Entry entry,
			Predicate<String> realmExists) {
		Spec spec = entry.spec();
		String clientId = checkClientId(spec.clientId());
		OAuthClient.Type type = OAuthClient.Type.of(required(spec.type(), "type", "confidential or public"));
		RegisteredClient.Builder builder;
		ClientSettings settings = null;
		if (existing != null) {
			builder = RegisteredClient.from(existing);
			Map<String, Object> kept = new java.util.HashMap<>(existing.getClientSettings().getSettings());
			if (!java.util.Objects.equals(existing.getClientSecret(), entry.secretHash())) {
				// a new secret from the document ends the grace of the one before it
				kept.remove(PREVIOUS_SECRET);
				kept.remove(PREVIOUS_SECRET_EXPIRES_AT);
			}
			kept.remove(ConfigurationSettingNames.Client.JWK_SET_URL);
			kept.remove(ConfigurationSettingNames.Client.TOKEN_ENDPOINT_AUTHENTICATION_SIGNING_ALGORITHM);
			settings = ClientSettings.withSettings(kept).build();
		}
		else {
			builder = RegisteredClient.withId(UUID.randomUUID().toString())
				.clientId(clientId)
				.clientIdIssuedAt(this.clock.instant());
		}
		builder.clientSecret((type == OAuthClient.Type.CONFIDENTIAL) ? entry.secretHash() : null);
		if (type == OAuthClient.Type.CONFIDENTIAL && entry.secretHash() == null) {
			throw new IllegalArgumentException("client-secret-hash: missing (expected: a bcrypt hash)");
		}
		return apply(builder, spec, type, settings, realmExists).build();
	}

	static OAuthClientDocument.Entry entry(RegisteredClient client) {
		OAuthClient view = view(client);
		return new OAuthClientDocument.Entry(new Spec(view.clientId(), view.name(), view.type().key(), view.realm(),
				view.grantTypes(), view.scopes(), view.redirectUris().stream().sorted().toList(),
				view.postLogoutRedirectUris().stream().sorted().toList(), view.tokenFormat().key(),
				view.accessTokenLifetime(), view.refreshTokenLifetime(), view.consent(), view.enabled(),
				view.jwkSetUrl()), client.getClientSecret());
	}

	/**
	 * The audited and shown form of a document's client: its settings, and whether its
	 * secret changed, never a hash.
	 * @param entry the client
	 * @param before the client before the change, or {@code null}
	 * @return the YAML-like text
	 */
	public static String describe(OAuthClientDocument.Entry entry, OAuthClientDocument.Entry before) {
		Spec spec = entry.spec();
		String text = "name: " + spec.name() + "\ntype: " + spec.type() + "\nrealm: " + spec.realm() + "\ngrant-types: "
				+ spec.grantTypes() + "\nscopes: " + spec.scopes() + "\nredirect-uris: " + spec.redirectUris()
				+ "\npost-logout-redirect-uris: " + spec.postLogoutRedirectUris() + "\ntoken-format: "
				+ spec.tokenFormat() + "\naccess-token-lifetime: " + spec.accessTokenLifetime()
				+ "\nrefresh-token-lifetime: " + spec.refreshTokenLifetime() + "\nconsent: " + spec.consent()
				+ "\nenabled: " + spec.enabled() + "\n";
		if (spec.jwkSetUrl() != null) {
			text += "jwk-set-url: " + spec.jwkSetUrl() + "\n";
		}
		if (before != null && !java.util.Objects.equals(before.secretHash(), entry.secretHash())) {
			text += "client-secret: changed\n";
		}
		return text;
	}

	/**
	 * A grant: the tokens one authorization gave.
	 *
	 * @param id its id
	 * @param clientId the client
	 * @param principal the realm user (or the client itself for client credentials)
	 * @param grantType how it was obtained
	 * @param scopes the scopes granted
	 * @param issuedAt when its latest token was issued
	 * @param accessTokenExpiresAt when its access token expires, or {@code null}
	 * @param refreshTokenExpiresAt when its refresh token expires, or {@code null}
	 */
	public record Grant(String id, String clientId, String principal, String grantType, String scopes, Instant issuedAt,
			Instant accessTokenExpiresAt, Instant refreshTokenExpiresAt) {
	}

	private void revokeAll(String registeredClientId, String clientId, String actor) {
		int revoked = this.jdbc.update("delete from oauth2_authorization where registered_client_id = ?",
				registeredClientId);
		if (revoked > 0) {
			this.audit.record(actor, "revoke", target(clientId), revoked + " grants\n", null);
		}
	}

	private RegisteredClient.Builder apply(RegisteredClient.Builder builder, Spec spec, OAuthClient.Type type,
			ClientSettings existing, Predicate<String> realmExists) {
		String name = (spec.name() != null) ? spec.name().trim() : spec.clientId();
		if (name.isEmpty() || name.length() > 200) {
			throw new IllegalArgumentException("name: " + name.length() + " characters (expected: 1 to 200)");
		}
		String realm = required(spec.realm(), "realm", "the name of an auth realm").trim();
		if (!realmExists.test(realm)) {
			throw new IllegalArgumentException("realm: no realm '" + realm + "'");
		}
		Set<AuthorizationGrantType> grants = grants(spec.grantTypes(), type);
		List<String> scopes = list(spec.scopes(), "scopes");
		for (String scope : scopes) {
			if (!SCOPE.matcher(scope).matches()) {
				throw new IllegalArgumentException("scopes: '" + scope + "' (expected: printable ASCII, no spaces)");
			}
		}
		List<String> redirects = uris(spec.redirectUris(), "redirect-uris");
		if (grants.contains(AuthorizationGrantType.AUTHORIZATION_CODE) && redirects.isEmpty()) {
			throw new IllegalArgumentException("redirect-uris: empty (expected: at least one for authorization_code)");
		}
		List<String> logoutRedirects = uris(spec.postLogoutRedirectUris(), "post-logout-redirect-uris");
		OAuthClient.TokenFormat format = OAuthClient.TokenFormat
			.of((spec.tokenFormat() != null) ? spec.tokenFormat() : OAuthClient.TokenFormat.JWT.key());
		Duration access = (spec.accessTokenLifetime() != null) ? spec.accessTokenLifetime() : Duration.ofMinutes(5);
		if (access.compareTo(MIN_LIFETIME) < 0 || access.compareTo(this.maxAccessTokenLifetime) > 0) {
			throw new IllegalArgumentException("access-token-lifetime: " + access + " (expected: 1m to "
					+ this.maxAccessTokenLifetime + ", capuchin.identity.key-overlap)");
		}
		Duration refresh = (spec.refreshTokenLifetime() != null) ? spec.refreshTokenLifetime() : Duration.ofHours(1);
		if (refresh.compareTo(MIN_LIFETIME) < 0 || refresh.compareTo(MAX_REFRESH_LIFETIME) > 0) {
			throw new IllegalArgumentException(
					"refresh-token-lifetime: " + refresh + " (expected: 1m to " + MAX_REFRESH_LIFETIME.toDays() + "d)");
		}
		String jwkSetUrl = (spec.jwkSetUrl() != null && !spec.jwkSetUrl().isBlank()) ? spec.jwkSetUrl().trim() : null;
		if (jwkSetUrl != null) {
			uris(List.of(jwkSetUrl), "jwk-set-url");
		}
		builder.clientName(name)
			.clientAuthenticationMethods((methods) -> methods.clear())
			.authorizationGrantTypes((set) -> set.clear())
			.redirectUris((set) -> set.clear())
			.postLogoutRedirectUris((set) -> set.clear())
			.scopes((set) -> set.clear());
		if (type == OAuthClient.Type.PUBLIC) {
			builder.clientAuthenticationMethod(ClientAuthenticationMethod.NONE);
		}
		else {
			builder.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
				.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST);
			if (jwkSetUrl != null) {
				builder.clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
			}
		}
		grants.forEach(builder::authorizationGrantType);
		redirects.forEach(builder::redirectUri);
		logoutRedirects.forEach(builder::postLogoutRedirectUri);
		scopes.forEach(builder::scope);
		ClientSettings.Builder settings = (existing != null) ? ClientSettings.withSettings(existing.getSettings())
				: ClientSettings.builder();
		settings.requireProofKey(true)
			.requireAuthorizationConsent(spec.consent() == null || spec.consent())
			.setting(REALM, realm)
			.setting(TYPE, type.key())
			.setting(ENABLED, spec.enabled() == null || spec.enabled());
		if (jwkSetUrl != null) {
			// Spring finds no verifier for a private_key_jwt assertion without an
			// algorithm
			settings.jwkSetUrl(jwkSetUrl).tokenEndpointAuthenticationSigningAlgorithm(SignatureAlgorithm.RS256);
		}
		builder.clientSettings(settings.build());
		builder.tokenSettings(TokenSettings.builder()
			.accessTokenFormat((format == OAuthClient.TokenFormat.OPAQUE) ? OAuth2TokenFormat.REFERENCE
					: OAuth2TokenFormat.SELF_CONTAINED)
			.accessTokenTimeToLive(access)
			.refreshTokenTimeToLive(refresh)
			// a refresh token is used once: each use returns a new one (OAuth 2.1)
			.reuseRefreshTokens(false)
			.build());
		return builder;
	}

	private static Set<AuthorizationGrantType> grants(List<String> names, OAuthClient.Type type) {
		List<String> given = list(names, "grant-types");
		if (given.isEmpty()) {
			throw new IllegalArgumentException("grant-types: empty (expected: one or more of " + grantNames() + ")");
		}
		Set<AuthorizationGrantType> grants = new LinkedHashSet<>();
		for (String name : given) {
			AuthorizationGrantType grant = GRANTS.stream()
				.filter((candidate) -> candidate.getValue().equals(name))
				.findFirst()
				.orElseThrow(() -> new IllegalArgumentException("grant-types: '" + name + "' (expected: one of "
						+ grantNames() + "; implicit and password are not offered, as OAuth 2.1 drops them)"));
			// Spring's server authenticates a public client only on a PKCE token request:
			// at the device authorization endpoint it would answer invalid_client
			if (type == OAuthClient.Type.PUBLIC && (grant.equals(AuthorizationGrantType.CLIENT_CREDENTIALS)
					|| grant.equals(AuthorizationGrantType.TOKEN_EXCHANGE)
					|| grant.equals(AuthorizationGrantType.DEVICE_CODE))) {
				throw new IllegalArgumentException(
						"grant-types: '" + name + "' needs a client that authenticates (expected: type confidential)");
			}
			grants.add(grant);
		}
		return grants;
	}

	private static String grantNames() {
		return String.join(", ", GRANTS.stream().map(AuthorizationGrantType::getValue).toList());
	}

	private static List<String> uris(List<String> values, String field) {
		List<String> uris = list(values, field);
		for (String value : uris) {
			URI uri;
			try {
				uri = new URI(value);
			}
			catch (URISyntaxException ex) {
				throw new IllegalArgumentException(field + ": '" + value + "' (expected: an absolute URI)");
			}
			if (!uri.isAbsolute() || uri.getRawFragment() != null || value.length() > 500) {
				throw new IllegalArgumentException(
						field + ": '" + value + "' (expected: an absolute URI without fragment, up to 500 characters)");
			}
		}
		return uris;
	}

	private static List<String> list(List<String> values, String field) {
		if (values == null) {
			return List.of();
		}
		if (values.size() > 20) {
			throw new IllegalArgumentException(field + ": " + values.size() + " entries (expected: at most 20)");
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

	private static String checkClientId(String clientId) {
		required(clientId, "client-id", "letters, digits, '.', '_', '~' or '-', up to 100");
		if (!CLIENT_ID.matcher(clientId).matches()) {
			throw new IllegalArgumentException("client-id: '" + clientId
					+ "' (expected: letters, digits, '.', '_', '~' or '-', up to 100, starting with a letter or digit)");
		}
		return clientId;
	}

	private static String required(String value, String field, String expected) {
		if (value == null || value.isBlank()) {
			throw new IllegalArgumentException(field + ": missing (expected: " + expected + ")");
		}
		return value;
	}

	private static <T> T or(T value, T otherwise) {
		return (value != null) ? value : otherwise;
	}

	private static String newSecret() {
		byte[] bytes = new byte[32];
		random.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private static String target(String clientId) {
		return "oauth-client " + clientId;
	}

	private static Instant instant(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	static boolean enabled(RegisteredClient client) {
		return !Boolean.FALSE.equals(client.getClientSettings().getSetting(ENABLED));
	}

	static OAuthClient view(RegisteredClient client) {
		ClientSettings settings = client.getClientSettings();
		TokenSettings tokens = client.getTokenSettings();
		String type = settings.getSetting(TYPE);
		String previousExpiry = settings.getSetting(PREVIOUS_SECRET_EXPIRES_AT);
		return new OAuthClient(client.getClientId(), client.getClientName(),
				(type != null) ? OAuthClient.Type.of(type)
						: (client.getClientSecret() != null) ? OAuthClient.Type.CONFIDENTIAL : OAuthClient.Type.PUBLIC,
				settings.getSetting(REALM),
				client.getAuthorizationGrantTypes().stream().map(AuthorizationGrantType::getValue).sorted().toList(),
				client.getScopes().stream().sorted().toList(), List.copyOf(client.getRedirectUris()),
				List.copyOf(client.getPostLogoutRedirectUris()),
				OAuth2TokenFormat.REFERENCE.equals(tokens.getAccessTokenFormat()) ? OAuthClient.TokenFormat.OPAQUE
						: OAuthClient.TokenFormat.JWT,
				tokens.getAccessTokenTimeToLive(), tokens.getRefreshTokenTimeToLive(),
				settings.isRequireAuthorizationConsent(), enabled(client), settings.getJwkSetUrl(),
				client.getClientIdIssuedAt(), (previousExpiry != null) ? Instant.parse(previousExpiry) : null);
	}

	/**
	 * The audited form of a client: its settings, never a secret or hash.
	 */
	static String describe(OAuthClient client) {
		return "name: " + client.name() + "\ntype: " + client.type().key() + "\nrealm: " + client.realm()
				+ "\ngrant-types: " + client.grantTypes() + "\nscopes: " + client.scopes() + "\nredirect-uris: "
				+ client.redirectUris() + "\npost-logout-redirect-uris: " + client.postLogoutRedirectUris()
				+ "\ntoken-format: " + client.tokenFormat().key() + "\naccess-token-lifetime: "
				+ client.accessTokenLifetime() + "\nrefresh-token-lifetime: " + client.refreshTokenLifetime()
				+ "\nconsent: " + client.consent() + "\nenabled: " + client.enabled() + "\n";
	}

}
