package dev.capuchin.plugin.logger.internal;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

import dev.capuchin.core.spi.Location;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.SiteTable;
import dev.capuchin.core.spi.LogEvent;
import org.jspecify.annotations.Nullable;

/**
 * The logger's state for one site table: for every site, and every location with its own
 * {@code logger} block, the files and format its requests log to. Lookups are by
 * identity, so a request costs two identity-map probes.
 */
public final class SiteLogs {

	/** The keys of a {@code logger} block. */
	static final Set<String> KEYS = Set.of("access-log", "error-log", "format");

	private final Map<Site, Target> sites;

	private final Map<Location, Target> locations;

	private final Target fallback;

	private SiteLogs(Map<Site, Target> sites, Map<Location, Target> locations, Target fallback) {
		this.sites = sites;
		this.locations = locations;
		this.fallback = fallback;
	}

	/**
	 * Read the {@code logger} blocks of every site and location of a table.
	 * @param table the site table
	 * @param defaults the global defaults
	 * @param files opens (or shares) the file behind a configured value
	 * @return the state
	 * @throws IllegalArgumentException naming the site, location and key at fault
	 */
	public static SiteLogs compile(SiteTable table, Defaults defaults, FileOpener files) {
		Compiler compiler = new Compiler(files);
		Spec global = new Spec(defaults.accessLog(), defaults.errorLog(), defaults.format());
		Map<Site, Target> sites = new IdentityHashMap<>();
		Map<Location, Target> locations = new IdentityHashMap<>();
		for (Site site : table.sites()) {
			String where = "site " + site.name() + ": logger";
			Spec siteSpec = Spec.read(site.setting("logger"), global, where);
			sites.put(site, compiler.target(siteSpec));
			for (Location location : site.locations()) {
				Object block = location.setting("logger");
				if (block != null) {
					Spec locationSpec = Spec.read(block, siteSpec,
							"site " + site.name() + ": location " + location + ": logger");
					locations.put(location, compiler.target(locationSpec));
				}
			}
		}
		return new SiteLogs(sites, locations, compiler.target(global));
	}

	/**
	 * Where an answered request logs.
	 * @param event the answered request
	 * @return its target
	 */
	public Target target(LogEvent event) {
		return target(event.site(), this.locations.isEmpty() ? null : event.location());
	}

	/**
	 * Where a request of a site and location logs.
	 * @param site the site
	 * @param location the location, or {@code null} for none
	 * @return its target
	 */
	public Target target(Site site, @Nullable Location location) {
		if (!this.locations.isEmpty()) {
			if (location != null) {
				Target target = this.locations.get(location);
				if (target != null) {
					return target;
				}
			}
		}
		Target target = this.sites.get(site);
		return (target != null) ? target : this.fallback;
	}

	/**
	 * Where a site's requests log outside locations with their own block.
	 * @param site the site
	 * @return the target, or {@code null} for a site not in the table
	 */
	public Target target(Site site) {
		return this.sites.get(site);
	}

	/**
	 * Where one scope logs.
	 *
	 * @param access the access log, or {@code null} for none
	 * @param format the access log's format
	 * @param error the error log, or {@code null} for none
	 */
	public record Target(LogFile access, AccessFormat format, LogFile error) {

	}

	/**
	 * The global defaults, as configured.
	 *
	 * @param accessLog the access log, {@code stdout}, or {@code null} for none
	 * @param errorLog the error log, {@code stdout}, or {@code null} for none
	 * @param format the access-log format
	 */
	public record Defaults(Value accessLog, Value errorLog, Value format) {

	}

	/**
	 * A configured value with the key it came from, for error messages.
	 *
	 * @param value the value, or {@code null} for off
	 * @param origin the key, e.g. {@code site shop: logger.access-log}
	 */
	public record Value(String value, String origin) {

	}

	/** Opens (or shares) the file behind a configured path. */
	@FunctionalInterface
	public interface FileOpener {

		/**
		 * The file for a value.
		 * @param value {@code stdout} or a path
		 * @return the file
		 * @throws IllegalArgumentException naming the value's origin when it cannot be
		 * opened
		 */
		LogFile open(Value value);

	}

	/** A scope's settings before files are opened. */
	private record Spec(Value access, Value error, Value format) {

		static Spec read(Object block, Spec inherited, String where) {
			if (block == null || Boolean.TRUE.equals(block)) {
				return inherited;
			}
			if (isOff(block)) {
				return new Spec(new Value(null, where), new Value(null, where), inherited.format());
			}
			if (!(block instanceof Map<?, ?> map)) {
				throw new IllegalArgumentException(
						where + ": " + block + " (expected: a block with access-log, error-log, format; or off)");
			}
			Value access = inherited.access();
			Value error = inherited.error();
			Value format = inherited.format();
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				String key = String.valueOf(entry.getKey());
				String origin = where + "." + key;
				switch (key) {
					case "access-log" -> access = new Value(path(entry.getValue(), origin), origin);
					case "error-log" -> error = new Value(path(entry.getValue(), origin), origin);
					case "format" -> {
						if (!(entry.getValue() instanceof String text) || text.isBlank()) {
							throw new IllegalArgumentException(origin + ": " + entry.getValue()
									+ " (expected: combined, common, json or pattern:...)");
						}
						format = new Value(text, origin);
					}
					default -> throw new IllegalArgumentException(
							origin + ": unknown key (expected: access-log, error-log or format)");
				}
			}
			return new Spec(access, error, format);
		}

		private static String path(Object value, String origin) {
			if (isOff(value)) {
				return null;
			}
			if (!(value instanceof String text) || text.isBlank()) {
				throw new IllegalArgumentException(origin + ": " + value + " (expected: a file path, stdout or off)");
			}
			return text.trim();
		}

	}

	/**
	 * Whether a configured value switches a log off: {@code off}, {@code false},
	 * {@code none} (YAML reads a bare {@code off} as {@code false}), or nothing.
	 * @param value the value
	 * @return {@code true} for off
	 */
	public static boolean isOff(Object value) {
		if (value == null || Boolean.FALSE.equals(value)) {
			return true;
		}
		if (value instanceof String text) {
			String trimmed = text.trim();
			return trimmed.isEmpty() || trimmed.equalsIgnoreCase("off") || trimmed.equalsIgnoreCase("false")
					|| trimmed.equalsIgnoreCase("none");
		}
		return false;
	}

	/** Opens each file and compiles each format once per table. */
	private static final class Compiler {

		private final FileOpener files;

		private final Map<String, AccessFormat> formats = new HashMap<>();

		Compiler(FileOpener files) {
			this.files = files;
		}

		Target target(Spec spec) {
			LogFile access = (spec.access().value() != null) ? this.files.open(spec.access()) : null;
			LogFile error = (spec.error().value() != null) ? this.files.open(spec.error()) : null;
			AccessFormat format = this.formats.get(spec.format().value());
			if (format == null) {
				try {
					format = AccessFormat.parse(spec.format().value());
				}
				catch (IllegalArgumentException ex) {
					throw new IllegalArgumentException(spec.format().origin() + ": " + ex.getMessage(), ex);
				}
				this.formats.put(spec.format().value(), format);
			}
			return new Target(access, format, error);
		}

	}

}
