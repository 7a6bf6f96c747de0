package dev.capuchin.app.openidlogins;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.capuchin.app.shared.config.ConfigurationConflictException;
import dev.capuchin.app.shared.config.InvalidConfigurationException;
import dev.capuchin.app.sites.SiteEntry;
import dev.capuchin.core.spi.Location;
import dev.capuchin.core.spi.Site;
import dev.capuchin.plugin.auth.AuthPlugin;

/**
 * The link between sites and stored OpenID logins. A location signs in through a login by
 * naming it, {@code auth: {openid: {login: corp, require: ..., forward: ...}}}; the store
 * keeps only that. The site table the data plane gets has the login written into the
 * block, the shape plugin-auth's {@code openid} mode reads:
 *
 * <pre>
 * auth:
 *   openid:
 *     login: corp
 *     issuer: https://id.example.com
 *     client-id: capuchin
 *     client-auth: client-secret-basic   # or client-secret-post, private-key-jwt
 *     client-secret: ...        # plain, in memory only; absent for a public client
 *     private-key: ...          # private-key-jwt: the key as a JWK, in memory only
 *     scopes: [openid, email, profile]
 *     parameters: {prompt: login}
 *     user-claim: sub
 *     session-key: ...          # 32 bytes Base64, derived from the master key per login
 *     session: ...              # the location's own keys, kept as written
 *     require: ...
 *     forward: ...
 * </pre>
 *
 * A changed login reaches every node with the next table, like a realm or an upstream.
 */
public final class OpenIdLoginReferences {

	/** The key of the {@code auth:} block that names a login. */
	public static final String BLOCK = "openid";

	/** The key of the {@code openid:} block that names the login. */
	public static final String LOGIN = "login";

	/** The keys a location writes itself; the others come from the login. */
	static final Set<String> LOCATION_KEYS = Set.of(LOGIN, "session", "require", "forward", "bearer");

	private OpenIdLoginReferences() {
	}

	/**
	 * The locations with an {@code openid} block, in site and location order.
	 * @param entries the sites, enabled or not
	 * @return the references ({@link Reference#login()} is {@code null} where the block
	 * names none)
	 */
	public static List<Reference> of(List<SiteEntry> entries) {
		List<Reference> references = new ArrayList<>();
		for (SiteEntry entry : entries) {
			List<Location> locations = entry.site().locations();
			for (int i = 0; i < locations.size(); i++) {
				Map<?, ?> block = blockOf(locations.get(i));
				if (block != null) {
					Object login = block.get(LOGIN);
					references.add(new Reference(entry.name(), i, (login instanceof String name) ? name : null,
							locations.get(i).toString(), block.keySet().stream().map(String::valueOf).toList()));
				}
			}
		}
		return references;
	}

	/**
	 * The {@code openid} block of a location's {@code auth:} block.
	 * @param location the location
	 * @return the block, or {@code null} when it has none
	 */
	public static Map<?, ?> blockOf(Location location) {
		if (location.setting(AuthPlugin.NAME) instanceof Map<?, ?> auth && auth.get(BLOCK) instanceof Map<?, ?> block) {
			return block;
		}
		return null;
	}

	/**
	 * Refuse sites whose {@code openid} blocks name no stored login, or set what the
	 * login sets.
	 * @param entries the sites, enabled or not (a disabled site is checked too, so that
	 * enabling it cannot fail on a login deleted meanwhile)
	 * @param logins the names of the stored logins
	 * @throws InvalidConfigurationException naming the site, location and field
	 */
	public static void check(List<SiteEntry> entries, Set<String> logins) {
		for (Reference reference : of(entries)) {
			String field = "site " + reference.site() + ": locations[" + reference.location() + "]." + AuthPlugin.NAME
					+ "." + BLOCK;
			for (String key : reference.keys()) {
				if (!LOCATION_KEYS.contains(key)) {
					throw new InvalidConfigurationException(field + "." + key + ": set by the OpenID login (expected: "
							+ "login, session, require, forward, bearer; the rest is the login's, under OpenID logins)");
				}
			}
			if (reference.login() == null) {
				throw new InvalidConfigurationException(
						field + ".login: missing (expected: the name of an OpenID login)");
			}
			if (!logins.contains(reference.login())) {
				throw new InvalidConfigurationException(
						field + ".login: no OpenID login '" + reference.login() + "' (create it under OpenID logins)");
			}
		}
	}

	/**
	 * Refuse removing (or renaming) a login that locations still name.
	 * @param before the names of the logins before the change
	 * @param after the names of the logins after it
	 * @param entries the sites after it
	 * @throws ConfigurationConflictException naming the login and every site and location
	 * that names it
	 */
	public static void checkRemoved(Set<String> before, Set<String> after, List<SiteEntry> entries) {
		Map<String, List<Reference>> usage = usage(entries);
		for (String name : before) {
			if (after.contains(name)) {
				continue;
			}
			List<String> where = usage.getOrDefault(name, List.of()).stream().map(Reference::where).toList();
			if (!where.isEmpty()) {
				throw new ConfigurationConflictException("openid-login " + name + ": in use by "
						+ String.join(", ", where) + " (point those locations elsewhere first)");
			}
		}
	}

	/**
	 * The locations that name each login.
	 * @param entries the sites
	 * @return login name to its references, in site and location order
	 */
	public static Map<String, List<Reference>> usage(List<SiteEntry> entries) {
		Map<String, List<Reference>> usage = new LinkedHashMap<>();
		for (Reference reference : of(entries)) {
			if (reference.login() != null) {
				usage.computeIfAbsent(reference.login(), (name) -> new ArrayList<>()).add(reference);
			}
		}
		return usage;
	}

	/**
	 * A site as the data plane gets it: each location's {@code openid} block with its
	 * login written in.
	 * @param site the stored site (realms and upstreams resolved, or not: the blocks are
	 * independent)
	 * @param blocks each login's block (see {@link #block}) by name
	 * @return the site, the same instance when it names no login
	 */
	public static Site resolve(Site site, Map<String, Map<String, Object>> blocks) {
		List<Location> locations = new ArrayList<>(site.locations().size());
		boolean changed = false;
		for (Location location : site.locations()) {
			Map<?, ?> own = blockOf(location);
			Map<String, Object> login = (own != null && own.get(LOGIN) instanceof String name) ? blocks.get(name)
					: null;
			if (login == null) {
				locations.add(location);
				continue;
			}
			Map<String, Object> block = new LinkedHashMap<>(login);
			// what the location wrote itself stays as written
			own.forEach((key, value) -> block.put(String.valueOf(key), value));
			Map<String, Object> auth = new LinkedHashMap<>();
			((Map<?, ?>) location.setting(AuthPlugin.NAME))
				.forEach((key, value) -> auth.put(String.valueOf(key), value));
			auth.put(BLOCK, block);
			Map<String, Object> settings = new LinkedHashMap<>(location.settings());
			settings.put(AuthPlugin.NAME, auth);
			locations.add(new Location(location.path(), location.match(), settings));
			changed = true;
		}
		return changed ? site.withLocations(locations) : site;
	}

	/**
	 * What a login writes into the {@code openid} blocks that name it: the plain secret
	 * or private key and the session key exist here in memory only.
	 * @param login the login
	 * @param keys the master key's work
	 * @return the block's keys but the location's own
	 */
	public static Map<String, Object> block(OpenIdLogin login, OpenIdLoginKeys keys) {
		Map<String, Object> block = new LinkedHashMap<>();
		block.put(LOGIN, login.name());
		block.put("issuer", login.issuer());
		block.put("client-id", login.clientId());
		if (login.hasPrivateKey()) {
			block.put("client-auth", OpenIdClientAuth.PRIVATE_KEY_JWT.value());
			block.put("private-key", keys.privateKey(login.privateKeyEncrypted()).toJSONString());
		}
		else if (login.hasSecret()) {
			// client-secret-basic is the block's default too
			if (login.clientAuth() != OpenIdClientAuth.DEFAULT) {
				block.put("client-auth", login.clientAuth().value());
			}
			block.put("client-secret", keys.decrypt(login.clientSecretEncrypted()));
		}
		block.put("scopes", login.scopes());
		block.put("parameters", new LinkedHashMap<>(login.parameters()));
		block.put("user-claim", login.userClaim());
		block.put("session-key", keys.sessionKey(login.name()));
		return block;
	}

	/**
	 * A location with an {@code openid} block.
	 *
	 * @param site the site's name
	 * @param location the location's position in the site
	 * @param login the login it names, or {@code null}
	 * @param match the location's path or expression, such as {@code path /team/}
	 * @param keys the keys of its {@code openid} block
	 */
	public record Reference(String site, int location, String login, String match, List<String> keys) {

		/**
		 * Where the reference is, for messages.
		 * @return such as {@code site shop locations[1] (path /team/)}
		 */
		public String where() {
			return "site " + this.site + " locations[" + this.location + "] (" + this.match + ")";
		}

	}

}
