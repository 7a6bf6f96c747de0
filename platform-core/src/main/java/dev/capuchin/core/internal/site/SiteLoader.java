package dev.capuchin.core.internal.site;

import dev.capuchin.core.internal.site.SiteDocument.LocationDocument;
import dev.capuchin.core.internal.site.SiteDocument.HeadersDocument;
import dev.capuchin.core.internal.site.SiteDocument.HstsDocument;
import dev.capuchin.core.internal.site.SiteDocument.TlsDocument;
import dev.capuchin.core.spi.Addresses;
import dev.capuchin.core.spi.BlockValues;
import dev.capuchin.core.spi.Location;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.SiteTable;
import dev.capuchin.core.spi.Hsts;
import dev.capuchin.core.spi.ResponseHeaders;
import dev.capuchin.core.spi.TlsCertificate;

import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads site files: one YAML document per site in a directory ({@code *.yml},
 * {@code *.yaml}). The core keys are bound to {@link SiteDocument} records with Jackson
 * and then checked; every other key is a plugin block, kept free-form for its plugin.
 * Relative paths are resolved against a base directory (the working directory for the
 * application). Every error names the file, the key path and what was expected.
 */
public final class SiteLoader {

	/**
	 * Binds the core keys: kebab-case, no unknown key inside a core block, no value of
	 * another type taken for a string or a flag ({@code path: 12} is a mistake, not
	 * {@code "12"}), no key given twice. One scalar stands for a list of one, as site
	 * files have always allowed ({@code server-names: example.com}).
	 */
	private static final YAMLMapper MAPPER = YAMLMapper.builder()
		.propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.withCoercionConfig(LogicalType.Textual,
				(config) -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
					.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
					.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
		.withCoercionConfig(LogicalType.Boolean,
				(config) -> config.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
					.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
		.build();

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
	 * @throws IllegalArgumentException naming the file, the key path and what was
	 * expected
	 */
	public Site loadFile(Path file) {
		JsonNode document;
		try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			document = MAPPER.readTree(reader);
		}
		catch (IOException ex) {
			throw new IllegalArgumentException(file + ": cannot be read: " + ex.getMessage(), ex);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException(file + ": not valid YAML: " + ex.getOriginalMessage(), ex);
		}
		if (document == null || !document.isObject()) {
			throw new IllegalArgumentException(file + ": expected a mapping of site keys");
		}
		String fallbackName = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
		try {
			return site(document, fallbackName);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(file + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Build a site from the keys of a site file already parsed into a map (the store's
	 * rows, an API body), bound exactly as a file is.
	 * @param map the site's keys
	 * @param fallbackName the name to use when the mapping has none
	 * @return the site
	 * @throws IllegalArgumentException naming the key path and what was expected
	 */
	public Site parse(Map<String, Object> map, String fallbackName) {
		JsonNode document;
		try {
			document = MAPPER.valueToTree(map);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("site: " + ex.getOriginalMessage(), ex);
		}
		return site(document, fallbackName);
	}

	private Site site(JsonNode tree, String fallbackName) {
		SiteDocument document = bind(tree, SiteDocument.class);
		// a mistyped core key first: it explains what else looks missing
		Map<String, Object> plugins = plugins(document.plugins(), SiteDocument.KEYS, "");
		String name = (document.name() != null) ? document.name() : fallbackName;
		if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
			throw new IllegalArgumentException("name: '" + name + "' (expected: letters, digits, '.', '_', '-')");
		}
		List<String> serverNames = new ArrayList<>();
		for (String serverName : orEmpty(document.serverNames())) {
			if (serverName == null) {
				throw new IllegalArgumentException("server-names: an empty entry (expected: a host name or *.domain)");
			}
			String lower = serverName.trim().toLowerCase(Locale.ROOT);
			if (!lower.matches("(\\*\\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*")
					&& !lower.matches("\\[[0-9a-f:.]+]|[0-9.]+")) {
				throw new IllegalArgumentException(
						"server-names: '" + serverName + "' (expected: a host name or *.domain)");
			}
			serverNames.add(lower);
		}
		InetSocketAddress listen = (document.listen() != null) ? Addresses.parse(document.listen(), "listen") : null;
		if (document.documentRoot() == null) {
			throw new IllegalArgumentException("document-root: missing (expected: a directory)");
		}
		Path documentRoot = documentRoot(document.documentRoot());
		List<String> indexFiles = (document.indexFiles() != null) ? document.indexFiles() : Site.DEFAULT_INDEX_FILES;
		for (String index : indexFiles) {
			if (index == null || index.isEmpty() || index.contains("/") || index.equals("..") || index.equals(".")) {
				throw new IllegalArgumentException("index-files: '" + index + "' (expected: a plain file name)");
			}
		}
		Map<Integer, String> errorPages = errorPages(document.errorPages());
		TlsCertificate tls = tls(document.tls(), name);
		Hsts hsts = hsts(document.hsts());
		ResponseHeaders headers = headers(document.headers());
		List<Location> locations = new ArrayList<>();
		List<LocationDocument> locationDocuments = orEmpty(document.locations());
		for (int i = 0; i < locationDocuments.size(); i++) {
			locations.add(location(locationDocuments.get(i), i));
		}
		return new Site(name, serverNames, flag(document.isDefault(), false), listen, documentRoot, indexFiles,
				errorPages, flag(document.fdt(), true), flag(document.followSymlinks(), false),
				flag(document.hiddenFiles(), false), flag(document.precompressed(), true), tls, locations, plugins,
				hsts, flag(document.redirectHttps(), false), headers);
	}

	private Path documentRoot(String root) {
		Path documentRoot = this.base.resolve(root).normalize();
		if (Files.isDirectory(documentRoot)) {
			try {
				return documentRoot.toRealPath();
			}
			catch (IOException ex) {
				throw new IllegalArgumentException("document-root: " + documentRoot + ": " + ex.getMessage(), ex);
			}
		}
		if (this.missingFiles == MissingFiles.REFUSE) {
			throw new IllegalArgumentException("document-root: " + documentRoot + " (expected: an existing directory)");
		}
		return documentRoot;
	}

	private static Map<Integer, String> errorPages(Map<String, String> pages) {
		Map<Integer, String> errorPages = new LinkedHashMap<>();
		if (pages == null) {
			return errorPages;
		}
		pages.forEach((key, page) -> {
			int status;
			try {
				status = Integer.parseInt(key.trim());
			}
			catch (NumberFormatException ex) {
				status = -1;
			}
			if (status < 400 || status > 599) {
				throw new IllegalArgumentException("error-pages: '" + key + "' (expected: a status 400..599)");
			}
			if (page == null || !page.startsWith("/")) {
				throw new IllegalArgumentException("error-pages." + status + ": '" + page
						+ "' (expected: a path under the document root, starting with /)");
			}
			errorPages.put(status, page);
		});
		return errorPages;
	}

	private static Hsts hsts(HstsDocument block) {
		if (block == null) {
			return null;
		}
		return new Hsts((block.maxAge() != null) ? block.maxAge() : Hsts.DEFAULT_MAX_AGE,
				flag(block.includeSubdomains(), false), flag(block.preload(), false));
	}

	private static ResponseHeaders headers(HeadersDocument block) {
		if (block == null) {
			return ResponseHeaders.NONE;
		}
		Map<String, String> add = (block.add() != null) ? block.add() : Map.of();
		List<String> remove = (block.remove() != null) ? block.remove() : List.of();
		if (remove.size() > ResponseHeaders.MAX_ENTRIES) {
			throw new IllegalArgumentException("headers.remove: " + remove.size() + " headers (expected: at most "
					+ ResponseHeaders.MAX_ENTRIES + ")");
		}
		return new ResponseHeaders(add, new LinkedHashSet<>(remove));
	}

	private TlsCertificate tls(TlsDocument block, String name) {
		if (block == null) {
			return null;
		}
		if (flag(block.acme(), false)) {
			if (block.certificate() != null || block.privateKey() != null) {
				throw new IllegalArgumentException(
						"tls: acme: true takes no 'certificate' or 'private-key' (the CA issues them)");
			}
			return TlsCertificate.acme(name);
		}
		if (block.certificate() == null || block.privateKey() == null) {
			throw new IllegalArgumentException("tls: both 'certificate' and 'private-key' are required");
		}
		TlsCertificate tls = new TlsCertificate(this.base.resolve(block.certificate()),
				this.base.resolve(block.privateKey()));
		if (this.missingFiles == MissingFiles.REFUSE) {
			tls.validate("tls");
		}
		return tls;
	}

	private static Location location(LocationDocument document, int index) {
		String field = "locations[" + index + "]";
		if (document == null) {
			throw new IllegalArgumentException(field + ": an empty entry (expected: a mapping with path or match)");
		}
		Map<String, Object> plugins = plugins(document.plugins(), LocationDocument.KEYS, field + ".");
		String path = document.path();
		String regex = document.match();
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
		if (plugins.containsKey(Location.MAX_BODY_SIZE)) {
			BlockValues.size(field + "." + Location.MAX_BODY_SIZE, plugins.get(Location.MAX_BODY_SIZE), 0);
		}
		return new Location(path, pattern, plugins);
	}

	/**
	 * The plugin blocks of a site or location: every key that is not a core key, except a
	 * near miss of one ({@code follow-symlink}, {@code document_root}), which is a typo
	 * rather than a plugin's key and is refused.
	 */
	private static Map<String, Object> plugins(Map<String, Object> blocks, List<String> coreKeys, String prefix) {
		Map<String, Object> plugins = new LinkedHashMap<>();
		if (blocks == null) {
			return plugins;
		}
		blocks.forEach((key, value) -> {
			for (String coreKey : coreKeys) {
				if (KeyMatch.isNearMiss(key, coreKey)) {
					throw new IllegalArgumentException(
							prefix + key + ": unknown key (expected: " + coreKey + ", or a plugin block)");
				}
			}
			if (value != null) {
				plugins.put(key, value);
			}
		});
		return plugins;
	}

	/**
	 * Bind a tree to a document record, turning Jackson's failure into the loader's
	 * message: the key path, the value found and what was expected.
	 */
	private static <T> T bind(JsonNode tree, Class<T> type) {
		try {
			return MAPPER.treeToValue(tree, type);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException(BindingMessages.describe(ex, tree), ex);
		}
	}

	private static boolean flag(Boolean value, boolean fallback) {
		return (value != null) ? value : fallback;
	}

	private static <T> List<T> orEmpty(List<T> list) {
		return (list != null) ? list : List.of();
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
