package dev.capuchin.core.spi;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A virtual host: its names, optional listener binding, document root and static-file
 * policy, its ordered locations, and the plugin blocks that plugins read. Immutable.
 *
 * @param name the site's identifier
 * @param serverNames the host names it answers to (first is the ServerName), lower case;
 * a leading {@code *.} is a wildcard
 * @param isDefault whether unknown hosts go here
 * @param listen the listener address this site is bound to (IP-based hosting), or
 * {@code null}
 * @param documentRoot the real, absolute document root
 * @param indexFiles files tried, in order, for a directory request
 * @param errorPages status code to a path under the document root
 * @param fdt whether files of this site go through the workers' open-file tables
 * @param followSymlinks whether a path may pass through a symbolic link
 * @param hiddenFiles whether paths with a segment starting with a dot are served
 * @param precompressed whether {@code .br}/{@code .gz} siblings are served to clients
 * that accept them
 * @param tls the certificate SNI picks for this site, or {@code null}
 * @param locations the locations, in matching order
 * @param settings the site-wide plugin blocks, by plugin key
 */
public record Site(String name, List<String> serverNames, boolean isDefault, @Nullable InetSocketAddress listen,
		Path documentRoot, List<String> indexFiles, Map<Integer, String> errorPages, boolean fdt,
		boolean followSymlinks, boolean hiddenFiles, boolean precompressed, @Nullable TlsCertificate tls,
		List<Location> locations, Map<String, Object> settings) {

	/** Index files tried when a site names none. */
	public static final List<String> DEFAULT_INDEX_FILES = List.of("index.html", "index.htm");

	public Site {
		Objects.requireNonNull(name, "name");
		serverNames = List.copyOf(serverNames);
		Objects.requireNonNull(documentRoot, "documentRoot");
		indexFiles = List.copyOf(indexFiles);
		errorPages = Map.copyOf(errorPages);
		locations = List.copyOf(locations);
		settings = Map.copyOf(settings);
	}

	/**
	 * The first location that matches a normalized path.
	 * @param path the decoded, normalized request path
	 * @return the location, or {@code null} when none matches
	 */
	public @Nullable Location locate(String path) {
		for (Location location : this.locations) {
			if (location.matches(path)) {
				return location;
			}
		}
		return null;
	}

	/**
	 * The raw site-wide settings block of one plugin.
	 * @param key the plugin's key in the site file
	 * @return the block, or {@code null} when the site has none
	 */
	public @Nullable Object setting(String key) {
		return this.settings.get(key);
	}

}
