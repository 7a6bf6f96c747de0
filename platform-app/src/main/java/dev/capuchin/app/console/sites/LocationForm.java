package dev.capuchin.app.console.sites;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.capuchin.core.site.Location;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The location form: a path prefix or a regular expression, and the location's plugin
 * blocks as YAML.
 *
 * @param kind {@code path} or {@code match}
 * @param value the path prefix or the regular expression
 * @param settings the plugin blocks, as YAML
 * @param version the configuration version the form was opened on
 */
public record LocationForm(
		@NotBlank(message = "Choose path or regular expression.") @Pattern(regexp = "path|match",
				message = "Choose path or regular expression.") String kind,
		@NotBlank(message = "Enter a path prefix or a regular expression.") @Size(max = 2000,
				message = "At most 2000 characters.") String value,
		@Size(max = PluginBlocks.MAX_LENGTH, message = "At most 65536 characters.") String settings, long version) {

	private static final Set<String> RESERVED = Set.of("path", "match");

	/**
	 * A form for a new location.
	 * @param version the current configuration version
	 * @return the form
	 */
	static LocationForm blank(long version) {
		return new LocationForm("path", "/", "", version);
	}

	/**
	 * A form showing a stored location.
	 * @param location the location
	 * @param version the current configuration version
	 * @return the form
	 */
	static LocationForm of(Location location, long version) {
		return new LocationForm((location.path() != null) ? "path" : "match",
				(location.path() != null) ? location.path() : location.match().pattern(),
				PluginBlocks.write(location.settings()), version);
	}

	/**
	 * The location in site-file form.
	 * @return the keys
	 * @throws FormFieldException when the YAML cannot be read
	 */
	Map<String, Object> toMap() {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("match".equals(this.kind) ? "match" : "path", (this.value != null) ? this.value.trim() : "");
		map.putAll(PluginBlocks.read(this.settings, "settings", RESERVED));
		return map;
	}

	/**
	 * This form with another version.
	 * @param current the current version
	 * @return the form
	 */
	LocationForm withVersion(long current) {
		return new LocationForm(this.kind, this.value, this.settings, current);
	}

}
