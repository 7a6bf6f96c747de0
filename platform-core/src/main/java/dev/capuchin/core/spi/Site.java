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
 * @param hsts the {@code Strict-Transport-Security} policy sent over TLS, or {@code null}
 * @param redirectHttps whether requests over plain HTTP are redirected to HTTPS (301 for
 * GET and HEAD, 308 for other methods, which keeps the method and body)
 * @param headers response headers the site adds to and removes from every answer
 */
public record Site(String name, List<String> serverNames, boolean isDefault, @Nullable InetSocketAddress listen,
		Path documentRoot, List<String> indexFiles, Map<Integer, String> errorPages, boolean fdt,
		boolean followSymlinks, boolean hiddenFiles, boolean precompressed, @Nullable TlsCertificate tls,
		List<Location> locations, Map<String, Object> settings, @Nullable Hsts hsts, boolean redirectHttps,
		ResponseHeaders headers) {

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
		Objects.requireNonNull(headers, "headers");
	}

	/**
	 * A site without a {@code headers} block.
	 * @param name the site's identifier
	 * @param serverNames the host names it answers to
	 * @param isDefault whether unknown hosts go here
	 * @param listen the listener address this site is bound to, or {@code null}
	 * @param documentRoot the real, absolute document root
	 * @param indexFiles files tried, in order, for a directory request
	 * @param errorPages status code to a path under the document root
	 * @param fdt whether files go through the workers' open-file tables
	 * @param followSymlinks whether a path may pass through a symbolic link
	 * @param hiddenFiles whether dot files are served
	 * @param precompressed whether {@code .br}/{@code .gz} siblings are served
	 * @param tls the certificate SNI picks for this site, or {@code null}
	 * @param locations the locations, in matching order
	 * @param settings the site-wide plugin blocks, by plugin key
	 * @param hsts the {@code Strict-Transport-Security} policy, or {@code null}
	 * @param redirectHttps whether plain HTTP is redirected to HTTPS
	 */
	public Site(String name, List<String> serverNames, boolean isDefault, @Nullable InetSocketAddress listen,
			Path documentRoot, List<String> indexFiles, Map<Integer, String> errorPages, boolean fdt,
			boolean followSymlinks, boolean hiddenFiles, boolean precompressed, @Nullable TlsCertificate tls,
			List<Location> locations, Map<String, Object> settings, @Nullable Hsts hsts, boolean redirectHttps) {
		this(name, serverNames, isDefault, listen, documentRoot, indexFiles, errorPages, fdt, followSymlinks,
				hiddenFiles, precompressed, tls, locations, settings, hsts, redirectHttps, ResponseHeaders.NONE);
	}

	/**
	 * A site without HSTS and without a redirect to HTTPS.
	 * @param name the site's identifier
	 * @param serverNames the host names it answers to
	 * @param isDefault whether unknown hosts go here
	 * @param listen the listener address this site is bound to, or {@code null}
	 * @param documentRoot the real, absolute document root
	 * @param indexFiles files tried, in order, for a directory request
	 * @param errorPages status code to a path under the document root
	 * @param fdt whether files go through the workers' open-file tables
	 * @param followSymlinks whether a path may pass through a symbolic link
	 * @param hiddenFiles whether dot files are served
	 * @param precompressed whether {@code .br}/{@code .gz} siblings are served
	 * @param tls the certificate SNI picks for this site, or {@code null}
	 * @param locations the locations, in matching order
	 * @param settings the site-wide plugin blocks, by plugin key
	 */
	public Site(String name, List<String> serverNames, boolean isDefault, @Nullable InetSocketAddress listen,
			Path documentRoot, List<String> indexFiles, Map<Integer, String> errorPages, boolean fdt,
			boolean followSymlinks, boolean hiddenFiles, boolean precompressed, @Nullable TlsCertificate tls,
			List<Location> locations, Map<String, Object> settings) {
		this(name, serverNames, isDefault, listen, documentRoot, indexFiles, errorPages, fdt, followSymlinks,
				hiddenFiles, precompressed, tls, locations, settings, null, false, ResponseHeaders.NONE);
	}

	/**
	 * This site with other locations, every other setting kept.
	 * @param locations the locations, in matching order
	 * @return the copy
	 */
	public Site withLocations(List<Location> locations) {
		return new Site(this.name, this.serverNames, this.isDefault, this.listen, this.documentRoot, this.indexFiles,
				this.errorPages, this.fdt, this.followSymlinks, this.hiddenFiles, this.precompressed, this.tls,
				locations, this.settings, this.hsts, this.redirectHttps, this.headers);
	}

	/**
	 * This site, default or not, every other setting kept.
	 * @param isDefault whether it answers requests no other site names
	 * @return the copy
	 */
	public Site withDefault(boolean isDefault) {
		return new Site(this.name, this.serverNames, isDefault, this.listen, this.documentRoot, this.indexFiles,
				this.errorPages, this.fdt, this.followSymlinks, this.hiddenFiles, this.precompressed, this.tls,
				this.locations, this.settings, this.hsts, this.redirectHttps, this.headers);
	}

	/**
	 * This site with another certificate, every other setting kept.
	 * @param tls the certificate, or {@code null} for plain HTTP only
	 * @return the copy
	 */
	public Site withTls(@Nullable TlsCertificate tls) {
		return new Site(this.name, this.serverNames, this.isDefault, this.listen, this.documentRoot, this.indexFiles,
				this.errorPages, this.fdt, this.followSymlinks, this.hiddenFiles, this.precompressed, tls,
				this.locations, this.settings, this.hsts, this.redirectHttps, this.headers);
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
