package dev.capuchin.app.sites;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.capuchin.app.realms.RealmReferences;
import dev.capuchin.core.spi.Location;
import dev.capuchin.plugin.auth.AuthPlugin;
import dev.capuchin.plugin.auth.BasicAuthMode;
import dev.capuchin.plugin.mandril.MandrilBlocks;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The location form: a path prefix or a regular expression, the handler that answers it
 * with that handler's main settings as fields, the location's other plugin blocks as
 * YAML, and the stored realm that protects it. The handler block's keys that no field
 * shows stay in the YAML under the block's key (see {@link HandlerFields}). A chosen
 * realm is written as {@code auth: {realm: NAME}}, merged with the other keys of an
 * {@code auth} block in the YAML (such as {@code require}); a stored location that names
 * a realm is shown with the realm chosen and the {@code realm} key left out of the YAML.
 *
 * @param kind {@code path} or {@code match}
 * @param value the path prefix or the regular expression
 * @param handler the {@link LocationHandler#key() handler's key}, or empty to keep the
 * blocks as the YAML gives them
 * @param proxyUpstream the stored upstream a proxy passes to, or empty
 * @param proxyServers the addresses a proxy passes to, one a line, when no upstream is
 * chosen
 * @param proxyBalancer the proxy's balancer, or empty for the plugin's default
 * @param proxyStripPrefix whether the proxy cuts the location's prefix from the path
 * ({@code null}, as an unticked checkbox sends, for no)
 * @param proxyPreserveHost whether the proxy passes the client's Host on ({@code null}
 * for no)
 * @param cgiInterpreters lines of an extension and its interpreter, such as
 * {@code .py /usr/bin/python3}
 * @param fastcgiPass the FastCGI application servers, separated by spaces
 * @param fastcgiIndex the FastCGI front controller, or empty
 * @param settings the plugin blocks, as YAML
 * @param realm the stored realm that protects the location, or empty
 * @param version the configuration version the form was opened on
 */
public record LocationForm(
		@NotBlank(message = "Choose path or regular expression.") @Pattern(regexp = "path|match",
				message = "Choose path or regular expression.") String kind,
		@NotBlank(message = "Enter a path prefix or a regular expression.") @Size(max = 2000,
				message = "At most 2000 characters.") String value,
		@Size(max = 32, message = "Choose a handler from the list.") String handler,
		@Size(max = 255, message = "At most 255 characters.") String proxyUpstream,
		@Size(max = 8000, message = "At most 8000 characters.") String proxyServers,
		@Size(max = 64, message = "Choose a balancer from the list.") String proxyBalancer, Boolean proxyStripPrefix,
		Boolean proxyPreserveHost, @Size(max = 8000, message = "At most 8000 characters.") String cgiInterpreters,
		@Size(max = 4000, message = "At most 4000 characters.") String fastcgiPass,
		@Size(max = 255, message = "At most 255 characters.") String fastcgiIndex,
		@Size(max = PluginBlocks.MAX_LENGTH, message = "At most 65536 characters.") String settings,
		@Size(max = 64, message = "At most 64 characters.") String realm, long version) {

	private static final Set<String> RESERVED = Set.of("path", "match");

	private static final String AUTH = AuthPlugin.NAME;

	private static final String REALM = "realm";

	/**
	 * A form for a new location.
	 * @param version the current configuration version
	 * @return the form
	 */
	static LocationForm blank(long version) {
		return new LocationForm("path", "/", LocationHandler.STATIC.key(), "", "", "", false, false, "", "", "", "", "",
				version);
	}

	/**
	 * A form showing a stored location.
	 * @param location the location
	 * @param version the current configuration version
	 * @return the form
	 */
	static LocationForm of(Location location, long version) {
		String realm = RealmReferences.realmOf(location);
		Map<String, Object> settings = new LinkedHashMap<>(location.settings());
		if (realm != null) {
			Map<String, Object> auth = new LinkedHashMap<>();
			((Map<?, ?>) settings.get(AUTH)).forEach((key, value) -> auth.put(String.valueOf(key), value));
			auth.remove(REALM);
			if (auth.isEmpty()) {
				settings.remove(AUTH);
			}
			else {
				settings.put(AUTH, auth);
			}
		}
		HandlerFields.Split split = HandlerFields.split(settings);
		return new LocationForm((location.path() != null) ? "path" : "match",
				(location.path() != null) ? location.path() : location.match().pattern(), split.handler().key(),
				split.proxyUpstream(), split.proxyServers(), split.proxyBalancer(), split.proxyStripPrefix(),
				split.proxyPreserveHost(), split.cgiInterpreters(), split.fastcgiPass(), split.fastcgiIndex(),
				PluginBlocks.write(SiteItems.withoutRules(split.rest())), (realm != null) ? realm : "", version);
	}

	/**
	 * The location in site-file form.
	 * @param rules the location's access rules, kept as they are (the form does not show
	 * them)
	 * @return the keys
	 * @throws FormFieldException when the YAML cannot be read, or names access rules
	 */
	Map<String, Object> toMap(List<MandrilBlocks.Rule> rules) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("match".equals(this.kind) ? "match" : "path", (this.value != null) ? this.value.trim() : "");
		Map<String, Object> blocks = MandrilBlocks.restore(
				PluginBlocks.withoutRuleLists(PluginBlocks.read(this.settings, "settings", RESERVED), "settings"),
				rules);
		HandlerFields.join(this, blocks);
		map.putAll(blocks);
		if (this.realm != null && !this.realm.isBlank()) {
			Map<String, Object> auth = new LinkedHashMap<>();
			auth.put(REALM, this.realm.trim());
			Object block = map.get(AUTH);
			if (block instanceof Map<?, ?> keys) {
				if (keys.containsKey(BasicAuthMode.USERS_FILE) || keys.containsKey(BasicAuthMode.USERS)) {
					throw new FormFieldException("realm",
							"Choose a stored realm or users in the auth block below, not both.");
				}
				keys.forEach((key, value) -> {
					if (!REALM.equals(key)) {
						auth.put(String.valueOf(key), value);
					}
				});
			}
			else if (block != null) {
				throw new FormFieldException("settings",
						"'auth' must be a mapping (such as require: [alice]) when a " + "realm is chosen.");
			}
			map.put(AUTH, auth);
		}
		return map;
	}

	/**
	 * This form with another version.
	 * @param current the current version
	 * @return the form
	 */
	LocationForm withVersion(long current) {
		return new LocationForm(this.kind, this.value, this.handler, this.proxyUpstream, this.proxyServers,
				this.proxyBalancer, this.proxyStripPrefix, this.proxyPreserveHost, this.cgiInterpreters,
				this.fastcgiPass, this.fastcgiIndex, this.settings, this.realm, current);
	}

}
