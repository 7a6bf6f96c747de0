package dev.capuchin.plugin.mandril.internal;

import java.util.ArrayList;
import java.util.List;

import dev.capuchin.plugin.mandril.MandrilRules;
import dev.capuchin.plugin.mandril.PathRule;

/**
 * The request-time rules of a site or location, in arrays.
 */
public final class CompiledRules {

	private static final PathRule[] NONE = new PathRule[0];

	/** The address rules for the (real) client, or {@code null} for none. */
	public final IpFilter ip;

	/** Paths refused with 403. */
	public final PathRule[] uriDeny;

	/** Paths refused with 403 to foreign referrers. */
	public final PathRule[] hotlinkDeny;

	private CompiledRules(IpFilter ip, PathRule[] uriDeny, PathRule[] hotlinkDeny) {
		this.ip = ip;
		this.uriDeny = uriDeny;
		this.hotlinkDeny = hotlinkDeny;
	}

	/**
	 * Compile a block, with extra path rules that apply before its own.
	 * @param rules the block
	 * @param uriFirst path rules checked first
	 * @param hotlinkFirst hotlink rules checked first
	 * @return the compiled rules
	 */
	public static CompiledRules of(MandrilRules rules, List<PathRule> uriFirst, List<PathRule> hotlinkFirst) {
		return new CompiledRules(IpFilter.of(rules.ip()), concat(uriFirst, rules.uriDeny()),
				concat(hotlinkFirst, rules.hotlinkDeny()));
	}

	private static PathRule[] concat(List<PathRule> first, List<PathRule> second) {
		if (first.isEmpty() && second.isEmpty()) {
			return NONE;
		}
		List<PathRule> all = new ArrayList<>(first);
		all.addAll(second);
		return all.toArray(PathRule[]::new);
	}

	/**
	 * The first path rule that matches.
	 * @param rules the rules
	 * @param path the normalized path
	 * @return the rule, or {@code null}
	 */
	public static PathRule firstMatch(PathRule[] rules, String path) {
		for (PathRule rule : rules) {
			if (rule.matches(path)) {
				return rule;
			}
		}
		return null;
	}

}
