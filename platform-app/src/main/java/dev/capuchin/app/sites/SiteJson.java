package dev.capuchin.app.sites;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.capuchin.app.shared.config.InvalidConfigurationException;
import dev.capuchin.core.internal.site.SiteLoader;

/**
 * A site in JSON: the keys of its entry in the configuration document
 * ({@code ConfigDocument.siteMap}), read as {@code ConfigDocument.read} reads an entry —
 * {@code enabled} taken out, then the site loader checks every key and the message names
 * the site and field at fault.
 */
final class SiteJson {

	private SiteJson() {
	}

	/**
	 * Read one site.
	 * @param body the parsed JSON object
	 * @param base the directory relative paths are resolved against
	 * @param enabledWhenAbsent whether the site is served when the body does not say
	 * @return the entry
	 * @throws InvalidConfigurationException naming the site and field at fault
	 */
	static SiteEntry read(Map<String, Object> body, Path base, boolean enabledWhenAbsent) {
		Map<String, Object> keys = new LinkedHashMap<>(body);
		Object enabled = keys.remove("enabled");
		if (enabled != null && !(enabled instanceof Boolean)) {
			throw new InvalidConfigurationException("enabled: '" + enabled + "' (expected: true or false)");
		}
		Object name = keys.get("name");
		if (name == null) {
			throw new InvalidConfigurationException("name: missing");
		}
		try {
			return new SiteEntry(new SiteLoader(base).parse(keys, null),
					(enabled != null) ? (Boolean) enabled : enabledWhenAbsent);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationException("site " + name + ": " + ex.getMessage());
		}
	}

}
