package dev.capuchin.app.sites;

import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.capuchin.app.shared.console.FormErrors;

/**
 * Puts a refusal of the site loader or of {@code ConfigService.apply} beside the form
 * field it names. Messages name the field in the site-file form, after an optional
 * {@code plugin NAME: } and {@code site NAME: }, for example
 * {@code site shop: document-root: /x (expected: an existing directory)} or
 * {@code plugin mandril: site shop: locations[0].mandril.deny: ...}; a message that names
 * no field of the form goes to the top.
 */
final class ConfigMessages {

	private static final Pattern PLUGIN = Pattern.compile("^plugin ([^:]+): ");

	private static final Pattern SITE = Pattern.compile("^(site [^:]+|sites\\[\\d+]): ");

	private static final Pattern LOCATION = Pattern
		.compile("^locations\\[(\\d+)](\\.([A-Za-z0-9_-]+)(\\.([A-Za-z0-9_-]+))?)?");

	private static final Map<String, String> SITE_FIELDS = Map.ofEntries(Map.entry("name", "name"),
			Map.entry("server-names", "serverNames"), Map.entry("default", "isDefault"), Map.entry("listen", "listen"),
			Map.entry("document-root", "documentRoot"), Map.entry("index-files", "indexFiles"),
			Map.entry("error-pages", "errorPages"), Map.entry("fdt", "fdt"),
			Map.entry("follow-symlinks", "followSymlinks"), Map.entry("hidden-files", "hiddenFiles"),
			Map.entry("precompressed", "precompressed"), Map.entry("tls", "tlsCertificate"),
			Map.entry("enabled", "enabled"));

	private ConfigMessages() {
	}

	/**
	 * Add a refusal to the errors of a site form.
	 * @param message the refusal
	 * @param settingsKeys the keys of the site-wide plugin blocks in the form
	 * @param errors the form's errors
	 */
	static void toSiteForm(String message, Set<String> settingsKeys, FormErrors errors) {
		Parsed parsed = parse(message);
		String field = (parsed.head() != null) ? SITE_FIELDS.get(parsed.head()) : null;
		if (field != null) {
			errors.field(field, parsed.text());
		}
		else if (parsed.head() != null && settingsKeys.contains(parsed.head())) {
			errors.field("settings", parsed.text());
		}
		else {
			errors.global(parsed.text());
		}
	}

	/**
	 * Add a refusal to the errors of a location form.
	 * @param message the refusal
	 * @param index the position of the location being edited
	 * @param errors the form's errors
	 */
	static void toLocationForm(String message, int index, FormErrors errors) {
		toLocationForm(message, index, Map.of(), errors);
	}

	/**
	 * Add a refusal to the errors of a location form whose handler fields hold some keys
	 * of the handler's block.
	 * @param message the refusal
	 * @param index the position of the location being edited
	 * @param fields block paths ({@code proxy}, {@code proxy.balancer}) to the form
	 * fields that hold them
	 * @param errors the form's errors
	 */
	static void toLocationForm(String message, int index, Map<String, String> fields, FormErrors errors) {
		Parsed parsed = parse(message);
		Matcher location = LOCATION.matcher(parsed.key());
		if (location.find() && Integer.parseInt(location.group(1)) == index) {
			String key = location.group(3);
			if (key == null || key.equals("path") || key.equals("match")) {
				errors.field("value", parsed.text());
			}
			else {
				String sub = location.group(5);
				String field = (sub != null) ? fields.get(key + "." + sub) : fields.get(key);
				errors.field((field != null) ? field : "settings", parsed.text());
			}
		}
		else {
			errors.global(parsed.text());
		}
	}

	private static Parsed parse(String message) {
		String rest = String.valueOf(message);
		String plugin = null;
		Matcher matcher = PLUGIN.matcher(rest);
		if (matcher.find()) {
			plugin = matcher.group(1);
			rest = rest.substring(matcher.end());
		}
		matcher = SITE.matcher(rest);
		if (matcher.find()) {
			rest = rest.substring(matcher.end());
		}
		int colon = rest.indexOf(':');
		String key = (colon > 0) ? rest.substring(0, colon) : "";
		String head = key;
		int cut = indexOfAny(head, '.', '[');
		if (cut >= 0) {
			head = head.substring(0, cut);
		}
		String text = (plugin != null) ? "plugin " + plugin + ": " + rest : rest;
		return new Parsed(plugin, key, head.isEmpty() ? null : head, text);
	}

	private static int indexOfAny(String text, char first, char second) {
		int a = text.indexOf(first);
		int b = text.indexOf(second);
		if (a < 0) {
			return b;
		}
		return (b < 0) ? a : Math.min(a, b);
	}

	private record Parsed(String plugin, String key, String head, String text) {
	}

}
