package dev.capuchin.app.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.capuchin.plugin.mandril.MandrilBlocks;
import dev.capuchin.plugin.mandril.RuleKind;
import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.app.shared.config.InvalidConfigurationException;
import dev.capuchin.app.sites.SiteEntry;
import dev.capuchin.app.rules.AccessRuleException.Reason;
import dev.capuchin.core.spi.Location;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.internal.site.SiteLoader;
import dev.capuchin.core.internal.site.SiteWriter;

/**
 * The access rules of every site, read from and written to the sites' {@code mandril:}
 * blocks. A change checks the value with the mandril plugin's own parsers, changes the
 * one block, and applies the whole configuration through {@link ConfigService}: one
 * transaction with the version bump and the audit entry, then the live swap.
 */
public class AccessRules {

	/** The longest value accepted (the store's column). */
	public static final int MAX_VALUE_LENGTH = 4000;

	private final ConfigService config;

	/**
	 * Create the service.
	 * @param config the configuration service
	 */
	public AccessRules(ConfigService config) {
		this.config = config;
	}

	/**
	 * Every rule of a configuration, by site in site order, the whole site's rules before
	 * each location's, each list in its order.
	 * @param entries the sites
	 * @return the rules
	 */
	public static List<AccessRule> list(List<SiteEntry> entries) {
		List<AccessRule> rules = new ArrayList<>();
		for (SiteEntry entry : entries) {
			Site site = entry.site();
			collect(rules, site.name(), null, site.settings());
			for (Location location : site.locations()) {
				collect(rules, site.name(), label(location), location.settings());
			}
		}
		return rules;
	}

	/**
	 * Add a rule.
	 * @param site the site's name
	 * @param location the location's path or expression; {@code null} or blank for the
	 * whole site
	 * @param kind the kind's identifier
	 * @param value the value
	 * @param actor who asks
	 * @param dryRun whether to stop after checking
	 * @return the outcome and the rule as stored
	 * @throws AccessRuleException naming the field at fault
	 */
	public Change add(String site, String location, String kind, String value, String actor, boolean dryRun) {
		AccessRule rule = rule(site, location, kind, value);
		check(rule);
		return change(rule, actor, dryRun, true);
	}

	/**
	 * Remove a rule.
	 * @param site the site's name
	 * @param location the location's path or expression; {@code null} or blank for the
	 * whole site
	 * @param kind the kind's identifier
	 * @param value the value
	 * @param actor who asks
	 * @param dryRun whether to stop after checking
	 * @return the outcome and the rule removed
	 * @throws AccessRuleException naming the field at fault
	 */
	public Change remove(String site, String location, String kind, String value, String actor, boolean dryRun) {
		return change(rule(site, location, kind, value), actor, dryRun, false);
	}

	private Change change(AccessRule rule, String actor, boolean dryRun, boolean add) {
		ConfigService.Snapshot snapshot = this.config.current();
		List<SiteEntry> entries = new ArrayList<>(snapshot.entries());
		int index = indexOf(entries, rule.site());
		SiteEntry entry = entries.get(index);
		Map<String, Object> keys = SiteWriter.toMap(entry.site());
		Map<String, Object> scope = keys;
		String field = null;
		if (rule.location() != null) {
			int position = locationIndex(entry.site(), rule.location());
			@SuppressWarnings("unchecked")
			List<Map<String, Object>> locations = (List<Map<String, Object>>) keys.get("locations");
			scope = locations.get(position);
			field = "locations[" + position + "]";
		}
		List<Object> list;
		try {
			list = MandrilBlocks.values(scope, rule.kind(), field);
		}
		catch (IllegalArgumentException ex) {
			throw new AccessRuleException(Reason.INVALID, null, ex.getMessage() + "; fix it on the site first");
		}
		boolean present = list.contains(rule.value());
		String where = "site " + rule.site() + ((rule.location() != null) ? " location " + rule.location() : "");
		if (add && present) {
			throw new AccessRuleException(Reason.CONFLICT, "value",
					"value: '" + rule.value() + "' is already among the " + rule.kind().id() + " rules of " + where);
		}
		if (!add && !present) {
			throw new AccessRuleException(Reason.NOT_FOUND, "value",
					"value: '" + rule.value() + "' is not among the " + rule.kind().id() + " rules of " + where);
		}
		if (add) {
			list.add(rule.value());
		}
		else {
			list.remove(rule.value());
		}
		MandrilBlocks.put(scope, rule.kind(), list);
		Site site;
		try {
			site = new SiteLoader(this.config.base()).parse(keys, null);
		}
		catch (IllegalArgumentException ex) {
			throw new AccessRuleException(Reason.INVALID, null, "site " + rule.site() + ": " + ex.getMessage());
		}
		entries.set(index, new SiteEntry(site, entry.enabled()));
		try {
			return new Change(rule, this.config.apply(entries, actor, dryRun));
		}
		catch (InvalidConfigurationException ex) {
			throw new AccessRuleException(Reason.INVALID, null, ex.getMessage());
		}
	}

	private static AccessRule rule(String site, String location, String kind, String value) {
		if (site == null || site.isBlank()) {
			throw new AccessRuleException(Reason.INVALID, "site", "site: missing (expected: a site's name)");
		}
		if (kind == null || kind.isBlank()) {
			throw new AccessRuleException(Reason.INVALID, "kind", "kind: missing (expected: " + RuleKind.names() + ")");
		}
		RuleKind parsed;
		try {
			parsed = RuleKind.of(kind.trim());
		}
		catch (IllegalArgumentException ex) {
			throw new AccessRuleException(Reason.INVALID, "kind", "kind: " + ex.getMessage());
		}
		if (value == null || value.isBlank()) {
			throw new AccessRuleException(Reason.INVALID, "value",
					"value: missing (expected: " + parsed.expected() + ")");
		}
		String trimmed = value.trim();
		if (trimmed.length() > MAX_VALUE_LENGTH) {
			throw new AccessRuleException(Reason.INVALID, "value",
					"value: longer than " + MAX_VALUE_LENGTH + " characters");
		}
		String where = (location == null || location.isBlank()) ? null : location.trim();
		return new AccessRule(site.trim(), where, parsed, trimmed);
	}

	/** The value as the mandril plugin reads it. */
	private static void check(AccessRule rule) {
		try {
			rule.kind().check(rule.value());
		}
		catch (IllegalArgumentException ex) {
			throw new AccessRuleException(Reason.INVALID, "value", "value: " + ex.getMessage());
		}
	}

	private static int indexOf(List<SiteEntry> entries, String site) {
		for (int i = 0; i < entries.size(); i++) {
			if (entries.get(i).name().equals(site)) {
				return i;
			}
		}
		throw new AccessRuleException(Reason.NOT_FOUND, "site", "site: '" + site + "' does not exist");
	}

	private static int locationIndex(Site site, String location) {
		List<Location> locations = site.locations();
		for (int i = 0; i < locations.size(); i++) {
			if (location.equals(locations.get(i).path())) {
				return i;
			}
		}
		for (int i = 0; i < locations.size(); i++) {
			if (locations.get(i).match() != null && location.equals(locations.get(i).match().pattern())) {
				return i;
			}
		}
		throw new AccessRuleException(Reason.NOT_FOUND, "location",
				"location: site " + site.name() + " has no location '" + location + "'");
	}

	/**
	 * How a location is named in rules: its path, or its regular expression.
	 * @param location the location
	 * @return the name
	 */
	public static String label(Location location) {
		return (location.path() != null) ? location.path() : location.match().pattern();
	}

	private static void collect(List<AccessRule> rules, String site, String location, Map<String, Object> settings) {
		for (MandrilBlocks.Rule rule : MandrilBlocks.rules(settings)) {
			rules.add(new AccessRule(site, location, rule.kind(), rule.value()));
		}
	}

	/**
	 * A change made (or checked).
	 *
	 * @param rule the rule added or removed
	 * @param outcome what the configuration service did
	 */
	public record Change(AccessRule rule, ConfigService.Outcome outcome) {
	}

}
