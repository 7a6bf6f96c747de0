package dev.capuchin.plugin.mandril.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import dev.capuchin.core.spi.Location;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.SiteTable;
import dev.capuchin.plugin.mandril.MandrilRules;
import dev.capuchin.plugin.mandril.PathRule;
import dev.capuchin.plugin.mandril.RateLimit;

/**
 * The plugin's state for one site table: the compiled rules of every site that has any.
 * Sites without rules are absent, and their requests take the fast path.
 */
public final class PreparedSites {

	/** The key of the plugin's blocks in site files. */
	public static final String KEY = "mandril";

	private final Map<String, SiteRules> bySite;

	private PreparedSites(Map<String, SiteRules> bySite) {
		this.bySite = bySite;
	}

	/**
	 * Read and compile the {@code mandril:} blocks of every site and location.
	 * @param table the site table
	 * @param global the global rules (their path rules apply on every site)
	 * @param limiters gives the rate limiter for a site name and its limit
	 * @return the state
	 * @throws IllegalArgumentException naming the site and field of an invalid block
	 */
	public static PreparedSites prepare(SiteTable table, MandrilRules global,
			BiFunction<String, RateLimit, RateLimiter> limiters) {
		Map<String, SiteRules> bySite = new HashMap<>();
		List<PathRule> uriFirst = global.uriDeny();
		List<PathRule> hotlinkFirst = global.hotlinkDeny();
		for (Site site : table.sites()) {
			try {
				Object raw = site.setting(KEY);
				MandrilRules rules = (raw != null) ? RuleBlocks.parse(raw, KEY, false) : MandrilRules.NONE;
				List<Location> locations = new ArrayList<>();
				List<CompiledRules> locationRules = new ArrayList<>();
				for (int i = 0; i < site.locations().size(); i++) {
					Location location = site.locations().get(i);
					Object block = location.setting(KEY);
					if (block != null) {
						MandrilRules parsed = RuleBlocks.parse(block, "locations[" + i + "]." + KEY, true);
						locations.add(location);
						locationRules.add(CompiledRules.of(parsed, List.of(), List.of()));
					}
				}
				if (rules.isEmpty() && locations.isEmpty() && uriFirst.isEmpty() && hotlinkFirst.isEmpty()) {
					continue;
				}
				RateLimiter rate = rules.rate().isOn() ? limiters.apply(site.name(), rules.rate()) : null;
				bySite.put(site.name(),
						new SiteRules(CompiledRules.of(rules, uriFirst, hotlinkFirst), rate,
								HostNames.of(site.serverNames()), locations.toArray(Location[]::new),
								locationRules.toArray(CompiledRules[]::new)));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("site " + site.name() + ": " + ex.getMessage(), ex);
			}
		}
		return new PreparedSites(Map.copyOf(bySite));
	}

	/**
	 * The rules of a site.
	 * @param site the request's site
	 * @return its rules, or {@code null} when it has none
	 */
	public SiteRules rules(Site site) {
		return this.bySite.isEmpty() ? null : this.bySite.get(site.name());
	}

	/**
	 * Whether no site has rules.
	 * @return {@code true} when empty
	 */
	public boolean isEmpty() {
		return this.bySite.isEmpty();
	}

}
