package dev.capuchin.plugin.dirlisting.internal;

import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.capuchin.core.spi.Location;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.SiteTable;
import dev.capuchin.plugin.dirlisting.DirListingSettings;
import dev.capuchin.plugin.dirlisting.SortKey;
import dev.capuchin.plugin.dirlisting.SortOrder;

/**
 * The listing rules of one site table, compiled once when the table is prepared: for each
 * site its {@code dirlisting:} block over the global defaults, and for each location its
 * own block over the site's. A block is {@code true}, {@code false} or a mapping of
 * {@code enabled}, {@code theme}, {@code hide}, {@code readme}, {@code sort} and
 * {@code order}; hide patterns add up from the global list to the site's to the
 * location's.
 */
public final class ListingRules {

	/** The key of the plugin's blocks in site files. */
	public static final String KEY = "dirlisting";

	private static final Set<String> BLOCK_KEYS = Set.of("enabled", "theme", "hide", "readme", "sort", "order");

	private final Map<Site, SiteRules> sites;

	private ListingRules(Map<Site, SiteRules> sites) {
		this.sites = sites;
	}

	/**
	 * Compile the rules of every site and location of a table, reading the theme
	 * directories they name.
	 * @param table the table
	 * @param defaults the global rule (disabled: sites switch listings on)
	 * @param builtIn the built-in default theme, for the parts a theme directory leaves
	 * out
	 * @param base the directory relative theme paths are resolved against
	 * @return the rules
	 * @throws IllegalArgumentException naming the site and field of an invalid block
	 */
	public static ListingRules prepare(SiteTable table, ListingRule defaults, Theme builtIn, Path base) {
		Parser parser = new Parser(builtIn, base);
		Map<Site, SiteRules> sites = new IdentityHashMap<>();
		for (Site site : table.sites()) {
			String prefix = "site " + site.name() + ": ";
			ListingRule siteRule = parser.block(site.setting(KEY), defaults, prefix + KEY);
			Map<Location, ListingRule> locations = new IdentityHashMap<>();
			List<Location> siteLocations = site.locations();
			for (int i = 0; i < siteLocations.size(); i++) {
				Location location = siteLocations.get(i);
				Object block = location.setting(KEY);
				if (block != null) {
					locations.put(location, parser.block(block, siteRule, prefix + "locations[" + i + "]." + KEY));
				}
			}
			sites.put(site, new SiteRules(siteRule, locations));
		}
		return new ListingRules(sites);
	}

	/**
	 * The global rule from the plugin's settings.
	 * @param settings the settings
	 * @param builtIn the built-in default theme
	 * @param base the directory a relative theme path is resolved against
	 * @param prefix the prefix of the settings' keys in messages, such as
	 * {@code capuchin.plugins.dirlisting.}
	 * @return the rule, disabled
	 * @throws IllegalArgumentException naming the setting at fault
	 */
	public static ListingRule defaults(DirListingSettings settings, Theme builtIn, Path base, String prefix) {
		Parser parser = new Parser(builtIn, base);
		Theme theme = parser.theme(settings.theme(), prefix + "theme");
		List<PathMatcher> patterns = new ArrayList<>();
		for (int i = 0; i < settings.hide().size(); i++) {
			patterns.add(glob(settings.hide().get(i), prefix + "hide[" + i + "]"));
		}
		return new ListingRule(false, theme, settings.hide(), patterns, settings.readme(), SortKey.NAME, SortOrder.ASC,
				settings.maxEntries(), settings.readmeMaxBytes());
	}

	/**
	 * The rule for a request.
	 * @param site the request's site
	 * @param location the matched location, or {@code null}
	 * @return the rule, or {@code null} for a site not in this table
	 */
	public ListingRule rule(Site site, Location location) {
		SiteRules rules = this.sites.get(site);
		if (rules == null) {
			return null;
		}
		if (location != null) {
			ListingRule rule = rules.locations().get(location);
			if (rule != null) {
				return rule;
			}
		}
		return rules.site();
	}

	private static PathMatcher glob(String glob, String field) {
		try {
			return Glob.compile(glob);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(field + ": " + ex.getMessage(), ex);
		}
	}

	private record SiteRules(ListingRule site, Map<Location, ListingRule> locations) {

	}

	/** Parses blocks, reading each theme directory once per table. */
	private static final class Parser {

		private final Theme builtIn;

		private final Path base;

		private final Map<Path, Theme> themes = new HashMap<>();

		Parser(Theme builtIn, Path base) {
			this.builtIn = builtIn;
			this.base = base;
		}

		ListingRule block(Object block, ListingRule parent, String field) {
			if (block == null) {
				return parent;
			}
			if (block instanceof Boolean enabled) {
				return with(parent, enabled, parent.theme(), parent.hide(), parent.hidePatterns(), parent.readme(),
						parent.sort(), parent.order());
			}
			if (!(block instanceof Map<?, ?> map)) {
				throw new IllegalArgumentException(field + ": '" + block + "' (expected: true, false or a mapping of "
						+ String.join(", ", BLOCK_KEYS.stream().sorted().toList()) + ")");
			}
			for (Object key : map.keySet()) {
				if (!BLOCK_KEYS.contains(String.valueOf(key))) {
					throw new IllegalArgumentException(field + "." + key + ": unknown key (expected one of: "
							+ String.join(", ", BLOCK_KEYS.stream().sorted().toList()) + ")");
				}
			}
			boolean enabled = bool(map.get("enabled"), true, field + ".enabled");
			Theme theme = parent.theme();
			Object themeValue = map.get("theme");
			if (themeValue != null) {
				theme = theme(string(themeValue, field + ".theme"), field + ".theme");
			}
			List<String> hide = new ArrayList<>(parent.hide());
			List<PathMatcher> patterns = new ArrayList<>(parent.hidePatterns());
			List<String> own = strings(map.get("hide"), field + ".hide");
			for (int i = 0; i < own.size(); i++) {
				hide.add(own.get(i));
				patterns.add(glob(own.get(i), field + ".hide[" + i + "]"));
			}
			boolean readme = bool(map.get("readme"), parent.readme(), field + ".readme");
			SortKey sort = parent.sort();
			Object sortValue = map.get("sort");
			if (sortValue != null) {
				sort = SortKey.of(string(sortValue, field + ".sort"));
				if (sort == null) {
					throw new IllegalArgumentException(
							field + ".sort: '" + sortValue + "' (expected: name, size or time)");
				}
			}
			SortOrder order = parent.order();
			Object orderValue = map.get("order");
			if (orderValue != null) {
				order = SortOrder.of(string(orderValue, field + ".order"));
				if (order == null) {
					throw new IllegalArgumentException(field + ".order: '" + orderValue + "' (expected: asc or desc)");
				}
			}
			return with(parent, enabled, theme, hide, patterns, readme, sort, order);
		}

		Theme theme(String value, String field) {
			Theme named = value.equals(DirListingSettings.DEFAULT_THEME) ? this.builtIn : Theme.builtIn(value);
			if (named != null) {
				return named;
			}
			Path directory = this.base.resolve(value).normalize();
			Theme theme = this.themes.get(directory);
			if (theme == null) {
				try {
					theme = Theme.load(directory, this.builtIn);
				}
				catch (IllegalArgumentException ex) {
					throw new IllegalArgumentException(field + ": " + ex.getMessage(), ex);
				}
				this.themes.put(directory, theme);
			}
			return theme;
		}

		private static ListingRule with(ListingRule parent, boolean enabled, Theme theme, List<String> hide,
				List<PathMatcher> patterns, boolean readme, SortKey sort, SortOrder order) {
			return new ListingRule(enabled, theme, hide, patterns, readme, sort, order, parent.maxEntries(),
					parent.readmeMaxBytes());
		}

		private static boolean bool(Object value, boolean fallback, String field) {
			if (value == null) {
				return fallback;
			}
			if (value instanceof Boolean flag) {
				return flag;
			}
			throw new IllegalArgumentException(field + ": '" + value + "' (expected: true or false)");
		}

		private static String string(Object value, String field) {
			if (value instanceof Map || value instanceof List) {
				throw new IllegalArgumentException(field + ": expected a single value");
			}
			return String.valueOf(value);
		}

		private static List<String> strings(Object value, String field) {
			if (value == null) {
				return List.of();
			}
			if (value instanceof List<?> list) {
				List<String> result = new ArrayList<>();
				for (int i = 0; i < list.size(); i++) {
					Object item = list.get(i);
					if (item == null || item instanceof Map || item instanceof List) {
						throw new IllegalArgumentException(field + "[" + i + "]: expected a pattern");
					}
					result.add(String.valueOf(item));
				}
				return result;
			}
			return List.of(string(value, field));
		}

	}

}
