package dev.capuchin.core.internal.site;

import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.Location;
import dev.capuchin.core.spi.TlsCertificate;
import dev.capuchin.core.spi.Addresses;
import dev.capuchin.core.spi.SiteTable;

import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads site files: one YAML document per site in a directory ({@code *.yml},
 * {@code *.yaml}). Relative paths are resolved against a base directory (the working
 * directory for the application). Every error names the file and the field.
 */
public final class SiteLoader {

	private static final Set<String> SITE_KEYS = Set.of("name", "server-names", "default", "listen", "document-root",
			"index-files", "error-pages", "fdt", "follow-symlinks", "hidden-files", "precompressed", "tls",
			"locations");

	private final Path base;

	private final MissingFiles missingFiles;

	/**
	 * Create a loader that resolves relative paths against {@code base} and refuses a
	 * document root or certificate that cannot be read.
	 * @param base the base directory
	 */
	public SiteLoader(Path base) {
		this(base, MissingFiles.REFUSE);
	}

	/**
	 * Create a loader that resolves relative paths against {@code base}.
	 * @param base the base directory
	 * @param missingFiles what a document root or certificate that cannot be read does
	 */
	public SiteLoader(Path base, MissingFiles missingFiles) {
		this.base = base.toAbsolutePath().normalize();
		this.missingFiles = Objects.requireNonNull(missingFiles, "missingFiles");
	}

	/**
	 * Load every site file in a directory, in file-name order.
	 * @param directory the sites directory
	 * @return the sites
	 * @throws IllegalArgumentException when a file is invalid, naming it and the field
	 */
	public List<Site> loadDirectory(Path directory) {
		Path dir = this.base.resolve(directory);
		if (!Files.isDirectory(dir)) {
			throw new IllegalArgumentException("capuchin.sites-dir: " + dir + " (expected: an existing directory)");
		}
		List<Path> files;
		try (Stream<Path> list = Files.list(dir)) {
			files = list.filter((file) -> {
				String name = file.getFileName().toString();
				return (name.endsWith(".yml") || name.endsWith(".yaml")) && Files.isRegularFile(file);
			}).sorted().toList();
		}
		catch (IOException ex) {
			throw new IllegalArgumentException("capuchin.sites-dir: " + dir + " cannot be read: " + ex.getMessage(),
					ex);
		}
		List<Site> sites = new ArrayList<>();
		for (Path file : files) {
			sites.add(loadFile(file));
		}
		return sites;
	}

	/**
	 * Load one site file.
	 * @param file the YAML file
	 * @return the site
	 */
	public Site loadFile(Path file) {
		Object document;
		try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			document = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
		}
		catch (IOException ex) {
			throw new IllegalArgumentException(file + ": cannot be read: " + ex.getMessage(), ex);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException(file + ": not valid YAML: " + ex.getMessage(), ex);
		}
		if (!(document instanceof Map<?, ?> map)) {
			throw new IllegalArgumentException(file + ": expected a mapping of site keys");
		}
		String fallbackName = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
		try {
			return parse(asStringMap(map, "site"), fallbackName);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(file + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Build a site from a parsed YAML mapping.
	 * @param map the site's keys
	 * @param fallbackName the name to use when the mapping has none
	 * @return the site
	 */
	public Site parse(Map<String, Object> map, String fallbackName) {
		String name = string(map, "name", fallbackName);
		if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
			throw new IllegalArgumentException("name: '" + name + "' (expected: letters, digits, '.', '_', '-')");
		}
		List<String> serverNames = new ArrayList<>();
		for (String serverName : strings(map, "server-names")) {
			String lower = serverName.trim().toLowerCase(Locale.ROOT);
			if (!lower.matches("(\\*\\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*")
					&& !lower.matches("\\[[0-9a-f:.]+]|[0-9.]+")) {
				throw new IllegalArgumentException(
						"server-names: '" + serverName + "' (expected: a host name or *.domain)");
			}
			serverNames.add(lower);
		}
		InetSocketAddress listen = null;
		String listenValue = string(map, "listen", null);
		if (listenValue != null) {
			listen = Addresses.parse(listenValue, "listen");
		}
		String root = string(map, "document-root", null);
		if (root == null) {
			throw new IllegalArgumentException("document-root: missing (expected: a directory)");
		}
		Path documentRoot = this.base.resolve(root).normalize();
		if (Files.isDirectory(documentRoot)) {
			try {
				documentRoot = documentRoot.toRealPath();
			}
			catch (IOException ex) {
				throw new IllegalArgumentException("document-root: " + documentRoot + ": " + ex.getMessage(), ex);
			}
		}
		else if (this.missingFiles == MissingFiles.REFUSE) {
			throw new IllegalArgumentException("document-root: " + documentRoot + " (expected: an existing directory)");
		}
		List<String> indexFiles = map.containsKey("index-files") ? strings(map, "index-files")
				: Site.DEFAULT_INDEX_FILES;
		for (String index : indexFiles) {
			if (index.isEmpty() || index.contains("/") || index.equals("..") || index.equals(".")) {
				throw new IllegalArgumentException("index-files: '" + index + "' (expected: a plain file name)");
			}
		}
		Map<Integer, String> errorPages = new LinkedHashMap<>();
		Object pages = map.get("error-pages");
		if (pages != null) {
			for (Map.Entry<String, Object> entry : asStringMap(pages, "error-pages").entrySet()) {
				int status;
				try {
					status = Integer.parseInt(entry.getKey().trim());
				}
				catch (NumberFormatException ex) {
					status = -1;
				}
				if (status < 400 || status > 599) {
					throw new IllegalArgumentException(
							"error-pages: '" + entry.getKey() + "' (expected: a status 400..599)");
				}
				String page = String.valueOf(entry.getValue());
				if (!page.startsWith("/")) {
					throw new IllegalArgumentException("error-pages." + status + ": '" + page
							+ "' (expected: a path under the document root, starting with /)");
				}
				errorPages.put(status, page);
			}
		}
		TlsCertificate tls = null;
		Object tlsBlock = map.get("tls");
		if (tlsBlock != null) {
			Map<String, Object> tlsMap = asStringMap(tlsBlock, "tls");
			String cert = string(tlsMap, "certificate", null);
			String key = string(tlsMap, "private-key", null);
			if (cert == null || key == null) {
				throw new IllegalArgumentException("tls: both 'certificate' and 'private-key' are required");
			}
			tls = new TlsCertificate(this.base.resolve(cert), this.base.resolve(key));
			if (this.missingFiles == MissingFiles.REFUSE) {
				tls.validate("tls");
			}
		}
		List<Location> locations = new ArrayList<>();
		Object locationList = map.get("locations");
		if (locationList != null) {
			if (!(locationList instanceof List<?> list)) {
				throw new IllegalArgumentException("locations: expected a list");
			}
			for (int i = 0; i < list.size(); i++) {
				locations.add(location(asStringMap(list.get(i), "locations[" + i + "]"), i));
			}
		}
		Map<String, Object> settings = new LinkedHashMap<>();
		map.forEach((key, value) -> {
			if (!SITE_KEYS.contains(key) && value != null) {
				settings.put(key, value);
			}
		});
		return new Site(name, serverNames, bool(map, "default", false), listen, documentRoot, indexFiles, errorPages,
				bool(map, "fdt", true), bool(map, "follow-symlinks", false), bool(map, "hidden-files", false),
				bool(map, "precompressed", true), tls, locations, settings);
	}

	private Location location(Map<String, Object> map, int index) {
		String field = "locations[" + index + "]";
		String path = string(map, "path", null);
		String regex = string(map, "match", null);
		if ((path == null) == (regex == null)) {
			throw new IllegalArgumentException(field + ": exactly one of 'path' or 'match' is required");
		}
		if (path != null && !path.startsWith("/")) {
			throw new IllegalArgumentException(field + ".path: '" + path + "' (expected: starts with /)");
		}
		Pattern pattern = null;
		if (regex != null) {
			try {
				pattern = Pattern.compile(regex);
			}
			catch (PatternSyntaxException ex) {
				throw new IllegalArgumentException(
						field + ".match: '" + regex + "' is not a valid regular expression: " + ex.getDescription());
			}
		}
		Map<String, Object> settings = new LinkedHashMap<>(map);
		settings.remove("path");
		settings.remove("match");
		settings.values().removeIf((value) -> value == null);
		return new Location(path, pattern, settings);
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> asStringMap(Object value, String field) {
		if (!(value instanceof Map<?, ?> map)) {
			throw new IllegalArgumentException(field + ": expected a mapping");
		}
		Map<String, Object> result = new LinkedHashMap<>();
		((Map<Object, Object>) map).forEach((key, item) -> result.put(String.valueOf(key), item));
		return result;
	}

	private static String string(Map<String, Object> map, String key, String fallback) {
		Object value = map.get(key);
		if (value == null) {
			return fallback;
		}
		if (value instanceof Map || value instanceof List) {
			throw new IllegalArgumentException(key + ": expected a single value");
		}
		return String.valueOf(value);
	}

	private static boolean bool(Map<String, Object> map, String key, boolean fallback) {
		Object value = map.get(key);
		if (value == null) {
			return fallback;
		}
		if (value instanceof Boolean flag) {
			return flag;
		}
		throw new IllegalArgumentException(key + ": '" + value + "' (expected: true or false)");
	}

	private static List<String> strings(Map<String, Object> map, String key) {
		Object value = map.get(key);
		if (value == null) {
			return List.of();
		}
		if (value instanceof List<?> list) {
			List<String> result = new ArrayList<>();
			for (Object item : list) {
				if (item == null || item instanceof Map || item instanceof List) {
					throw new IllegalArgumentException(key + ": expected a list of strings");
				}
				result.add(String.valueOf(item));
			}
			return result;
		}
		if (value instanceof Map) {
			throw new IllegalArgumentException(key + ": expected a list of strings");
		}
		return List.of(String.valueOf(value));
	}

	/**
	 * What a document root or certificate file that cannot be read does to a site.
	 */
	public enum MissingFiles {

		/** The site is refused: for what a user is writing now. */
		REFUSE,

		/**
		 * The site is read as written and the {@link SiteTable} marks it unavailable: for
		 * stored sites, so that a vanished root does not stop the node.
		 */
		ALLOW

	}

}
