package dev.capuchin.app.sites;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.capuchin.core.spi.Site;
import dev.capuchin.core.internal.site.SiteWriter;
import dev.capuchin.plugin.mandril.MandrilBlocks;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern.Flag;
import jakarta.validation.constraints.Size;

/**
 * The site form: every kernel field of a site, as typed. Lists are typed as words
 * separated by spaces or commas, error pages as lines of a status and a path, the
 * site-wide plugin blocks as YAML. Access rules are not part of the form (they have their
 * own page): the YAML box leaves them out, refuses them, and a save keeps them.
 *
 * @param name the site's identifier
 * @param enabled whether the data plane serves it
 * @param serverNames ServerName and aliases
 * @param isDefault whether unknown hosts go here
 * @param listen the listener address the site is bound to, or blank
 * @param documentRoot the directory served
 * @param indexFiles the index files, in order; blank for the defaults
 * @param errorPages lines of {@code status path}
 * @param fdt whether files go through the open-file tables
 * @param followSymlinks whether symbolic links are followed
 * @param hiddenFiles whether dot-files are served
 * @param precompressed whether {@code .br}/{@code .gz} siblings are served
 * @param tlsCertificate the PEM certificate SNI picks for the site's names, or blank
 * @param tlsPrivateKey its private key, or blank
 * @param settings the site-wide plugin blocks, as YAML
 * @param version the configuration version the form was opened on
 */
public record SiteForm(@NotBlank(message = "Enter a name.") @jakarta.validation.constraints.Pattern(
		regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}", flags = Flag.CASE_INSENSITIVE,
		message = "Letters, digits, '.', '_' and '-', at most 64, starting with a letter or digit.") String name,
		boolean enabled, @Size(max = 4000, message = "At most 4000 characters.") String serverNames, boolean isDefault,
		@Size(max = 255, message = "At most 255 characters.") String listen,
		@NotBlank(message = "Enter the directory to serve.") @Size(max = 4096,
				message = "At most 4096 characters.") String documentRoot,
		@Size(max = 2000, message = "At most 2000 characters.") String indexFiles,
		@Size(max = 4000, message = "At most 4000 characters.") String errorPages, boolean fdt, boolean followSymlinks,
		boolean hiddenFiles, boolean precompressed,
		@Size(max = 4096, message = "At most 4096 characters.") String tlsCertificate,
		@Size(max = 4096, message = "At most 4096 characters.") String tlsPrivateKey,
		@Size(max = PluginBlocks.MAX_LENGTH, message = "At most 65536 characters.") String settings, long version) {

	/** The site-file keys the form's own fields set. */
	static final Set<String> KERNEL_KEYS = Set.of("name", "enabled", "server-names", "default", "listen",
			"document-root", "index-files", "error-pages", "fdt", "follow-symlinks", "hidden-files", "precompressed",
			"tls", "locations");

	private static final Pattern ERROR_PAGE = Pattern.compile("^\\s*(\\d{3})\\s*[:=]?\\s*(\\S+)\\s*$");

	/**
	 * A form for a new site, with the kernel's defaults.
	 * @param version the current configuration version
	 * @return the form
	 */
	static SiteForm blank(long version) {
		return new SiteForm("", true, "", false, "", "", String.join(" ", Site.DEFAULT_INDEX_FILES), "", true, false,
				false, true, "", "", "", version);
	}

	/**
	 * A form showing a stored site.
	 * @param entry the site
	 * @param version the current configuration version
	 * @return the form
	 */
	static SiteForm of(SiteEntry entry, long version) {
		Site site = entry.site();
		Map<String, Object> keys = SiteWriter.toMap(site);
		StringBuilder pages = new StringBuilder();
		new TreeMap<>(site.errorPages())
			.forEach((status, page) -> pages.append(status).append(' ').append(page).append('\n'));
		return new SiteForm(site.name(), entry.enabled(), String.join(" ", site.serverNames()), site.isDefault(),
				(String) keys.getOrDefault("listen", ""), site.documentRoot().toString(),
				String.join(" ", site.indexFiles()), pages.toString().trim(), site.fdt(), site.followSymlinks(),
				site.hiddenFiles(), site.precompressed(),
				(site.tls() != null) ? site.tls().certificate().toString() : "",
				(site.tls() != null) ? site.tls().privateKey().toString() : "",
				PluginBlocks.write(SiteItems.withoutRules(site.settings())), version);
	}

	/**
	 * The site-file keys of this form, for the site loader to check.
	 * @param locations the site's locations, in site-file form
	 * @param rules the site-wide access rules, kept as they are (the form does not show
	 * them)
	 * @return the keys
	 * @throws FormFieldException when a field cannot be read at all
	 */
	Map<String, Object> toKeys(List<Map<String, Object>> locations, List<MandrilBlocks.Rule> rules) {
		Map<String, Object> keys = new LinkedHashMap<>();
		keys.put("name", trim(this.name));
		keys.put("server-names", words(this.serverNames));
		keys.put("default", this.isDefault);
		if (!trim(this.listen).isEmpty()) {
			keys.put("listen", trim(this.listen));
		}
		keys.put("document-root", trim(this.documentRoot));
		if (!trim(this.indexFiles).isEmpty()) {
			keys.put("index-files", words(this.indexFiles));
		}
		Map<Integer, String> pages = errorPages(this.errorPages);
		if (!pages.isEmpty()) {
			keys.put("error-pages", pages);
		}
		keys.put("fdt", this.fdt);
		keys.put("follow-symlinks", this.followSymlinks);
		keys.put("hidden-files", this.hiddenFiles);
		keys.put("precompressed", this.precompressed);
		if (!trim(this.tlsCertificate).isEmpty() || !trim(this.tlsPrivateKey).isEmpty()) {
			Map<String, Object> tls = new LinkedHashMap<>();
			if (!trim(this.tlsCertificate).isEmpty()) {
				tls.put("certificate", trim(this.tlsCertificate));
			}
			if (!trim(this.tlsPrivateKey).isEmpty()) {
				tls.put("private-key", trim(this.tlsPrivateKey));
			}
			keys.put("tls", tls);
		}
		if (!locations.isEmpty()) {
			keys.put("locations", locations);
		}
		keys.putAll(MandrilBlocks.restore(settingsBlocks(), rules));
		return keys;
	}

	/**
	 * The site-wide plugin blocks typed in the form.
	 * @return the blocks
	 * @throws FormFieldException when the YAML cannot be read
	 */
	Map<String, Object> settingsBlocks() {
		return PluginBlocks.withoutRuleLists(PluginBlocks.read(this.settings, "settings", KERNEL_KEYS), "settings");
	}

	/**
	 * This form with another version, after the user was told about a newer one.
	 * @param current the current version
	 * @return the form
	 */
	SiteForm withVersion(long current) {
		return new SiteForm(this.name, this.enabled, this.serverNames, this.isDefault, this.listen, this.documentRoot,
				this.indexFiles, this.errorPages, this.fdt, this.followSymlinks, this.hiddenFiles, this.precompressed,
				this.tlsCertificate, this.tlsPrivateKey, this.settings, current);
	}

	static List<String> words(String text) {
		if (text == null || text.isBlank()) {
			return new ArrayList<>();
		}
		return new ArrayList<>(Arrays.stream(text.trim().split("[\\s,]+")).filter((word) -> !word.isEmpty()).toList());
	}

	private static Map<Integer, String> errorPages(String text) {
		Map<Integer, String> pages = new LinkedHashMap<>();
		if (text == null || text.isBlank()) {
			return pages;
		}
		String[] lines = text.split("\\R");
		for (int i = 0; i < lines.length; i++) {
			if (lines[i].isBlank()) {
				continue;
			}
			Matcher matcher = ERROR_PAGE.matcher(lines[i]);
			if (!matcher.matches()) {
				throw new FormFieldException("errorPages", "Line " + (i + 1) + ": '" + lines[i].trim()
						+ "' (expected: a status and a path, like 404 /errors/404.html).");
			}
			pages.put(Integer.parseInt(matcher.group(1)), matcher.group(2));
		}
		return pages;
	}

	private static String trim(String value) {
		return (value != null) ? value.trim() : "";
	}

}
