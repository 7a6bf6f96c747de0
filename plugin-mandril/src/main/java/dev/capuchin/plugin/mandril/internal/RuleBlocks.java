package dev.capuchin.plugin.mandril.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.capuchin.plugin.mandril.Cidr;
import dev.capuchin.plugin.mandril.IpRules;
import dev.capuchin.plugin.mandril.MandrilRules;
import dev.capuchin.plugin.mandril.PathRule;
import dev.capuchin.plugin.mandril.RateLimit;

/**
 * Reads a {@code mandril:} block of a site file (site-wide or in a location) into
 * {@link MandrilRules}, refusing anything unexpected with the field at fault:
 *
 * <pre>
 * mandril:
 *   ip: { allow: [10.0.0.0/8], deny: [10.0.0.2/32] }
 *   uri: { deny: ["/secret", "regex:\\.bak$"] }
 *   hotlink: { deny: ["/images/"] }
 *   rate: { requests-per-second: 20, burst: 40 }    # not in a location
 * </pre>
 */
public final class RuleBlocks {

	private RuleBlocks() {
	}

	/**
	 * Read a block.
	 * @param raw the block as read from YAML
	 * @param field the block's field for messages, such as {@code mandril} or
	 * {@code locations[0].mandril}
	 * @param inLocation whether the block belongs to a location (no {@code rate} there)
	 * @return the rules
	 * @throws IllegalArgumentException naming the field when the block is invalid
	 */
	public static MandrilRules parse(Object raw, String field, boolean inLocation) {
		Map<?, ?> block = map(raw, field, inLocation ? "ip, uri or hotlink" : "ip, uri, hotlink or rate");
		IpRules ip = IpRules.NONE;
		List<PathRule> uri = List.of();
		List<PathRule> hotlink = List.of();
		RateLimit rate = RateLimit.OFF;
		for (Map.Entry<?, ?> entry : block.entrySet()) {
			String key = String.valueOf(entry.getKey());
			String at = field + "." + key;
			switch (key) {
				case "ip" -> {
					Map<?, ?> lists = keys(map(entry.getValue(), at, "allow or deny"), at, "allow", "deny");
					ip = new IpRules(list(lists.get("allow"), at + ".allow", RuleBlocks::cidr),
							list(lists.get("deny"), at + ".deny", RuleBlocks::cidr));
				}
				case "uri" -> uri = denyList(entry.getValue(), at);
				case "hotlink" -> hotlink = denyList(entry.getValue(), at);
				case "rate" -> {
					if (inLocation) {
						throw new IllegalArgumentException(
								at + ": not supported in a location (expected: a site-wide rate)");
					}
					rate = rate(entry.getValue(), at);
				}
				default -> throw new IllegalArgumentException(at + ": unknown key (expected: "
						+ (inLocation ? "ip, uri or hotlink" : "ip, uri, hotlink or rate") + ")");
			}
		}
		return new MandrilRules(ip, uri, hotlink, rate);
	}

	private static List<PathRule> denyList(Object raw, String field) {
		Map<?, ?> lists = keys(map(raw, field, "deny"), field, "deny");
		return list(lists.get("deny"), field + ".deny", PathRule::parse);
	}

	private static RateLimit rate(Object raw, String field) {
		Map<?, ?> values = keys(map(raw, field, "requests-per-second and burst"), field, "requests-per-second",
				"burst");
		double perSecond = number(values.get("requests-per-second"), field + ".requests-per-second");
		double burst = number(values.get("burst"), field + ".burst");
		if (burst != Math.rint(burst) || burst > Integer.MAX_VALUE) {
			throw new IllegalArgumentException(
					field + ".burst: " + values.get("burst") + " (expected: a whole number)");
		}
		try {
			return new RateLimit(perSecond, (int) burst);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(field + "." + ex.getMessage(), ex);
		}
	}

	private static double number(Object raw, String field) {
		if (raw == null) {
			return 0;
		}
		if (raw instanceof Number number) {
			return number.doubleValue();
		}
		try {
			return Double.parseDouble(raw.toString().trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(field + ": '" + raw + "' (expected: a number)", ex);
		}
	}

	private static Cidr cidr(String text) {
		return Cidr.parse(text);
	}

	private static <T> List<T> list(Object raw, String field, Function<String, T> parser) {
		if (raw == null) {
			return List.of();
		}
		List<?> items = (raw instanceof List<?> list) ? list : List.of(raw);
		List<T> parsed = new ArrayList<>(items.size());
		for (int i = 0; i < items.size(); i++) {
			Object item = items.get(i);
			String at = field + "[" + i + "]";
			if (!(item instanceof String text)) {
				throw new IllegalArgumentException(at + ": " + item + " (expected: text)");
			}
			try {
				parsed.add(parser.apply(text));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException(at + ": " + ex.getMessage(), ex);
			}
		}
		return parsed;
	}

	private static Map<?, ?> map(Object raw, String field, String expected) {
		if (raw instanceof Map<?, ?> map) {
			return map;
		}
		throw new IllegalArgumentException(field + ": " + raw + " (expected: a block with " + expected + ")");
	}

	private static Map<?, ?> keys(Map<?, ?> block, String field, String... known) {
		for (Object key : block.keySet()) {
			if (!List.of(known).contains(String.valueOf(key))) {
				throw new IllegalArgumentException(
						field + "." + key + ": unknown key (expected: " + String.join(" or ", known) + ")");
			}
		}
		return block;
	}

}
