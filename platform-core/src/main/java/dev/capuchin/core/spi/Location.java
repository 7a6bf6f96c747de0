package dev.capuchin.core.spi;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A part of a site's URL space, matched by path prefix or by regular expression, with the
 * settings that plugins read for requests in it. A site's locations are tried in order
 * and the first match wins.
 *
 * @param path the path prefix, or {@code null} for a regex location
 * @param match the regular expression (found anywhere in the path), or {@code null}
 * @param settings the location's plugin blocks, by plugin key, as read from the site file
 */
public record Location(@Nullable String path, @Nullable Pattern match, Map<String, Object> settings) {

	/**
	 * The kernel's own key in a location: the largest request body allowed there,
	 * replacing the server's {@code max-body-size}.
	 */
	public static final String MAX_BODY_SIZE = "max-body-size";

	public Location {
		if ((path == null) == (match == null)) {
			throw new IllegalArgumentException("location: exactly one of 'path' or 'match' is required");
		}
		if (path != null && !path.startsWith("/")) {
			throw new IllegalArgumentException("location.path: '" + path + "' (expected: starts with /)");
		}
		settings = Map.copyOf(Objects.requireNonNull(settings, "settings"));
	}

	/**
	 * Whether a normalized request path falls in this location.
	 * @param requestPath the decoded, normalized path
	 * @return {@code true} on a match
	 */
	public boolean matches(String requestPath) {
		return (this.path != null) ? requestPath.startsWith(this.path) : this.match.matcher(requestPath).find();
	}

	/**
	 * The raw settings block of one plugin for this location.
	 * @param key the plugin's key in the site file
	 * @return the block, or {@code null} when the location has none
	 */
	public @Nullable Object setting(String key) {
		return this.settings.get(key);
	}

	/**
	 * The largest request body allowed in this location: its {@value #MAX_BODY_SIZE}
	 * setting (such as {@code 1GB} for uploads through a proxy), or the server's.
	 * @param serverLimit the server's {@code max-body-size}
	 * @return the limit in bytes
	 */
	public long maxBodySize(long serverLimit) {
		Object raw = this.settings.get(MAX_BODY_SIZE);
		return (raw != null) ? BlockValues.size(MAX_BODY_SIZE, raw, serverLimit) : serverLimit;
	}

	@Override
	public String toString() {
		return (this.path != null) ? "path " + this.path : "match " + this.match.pattern();
	}

}
