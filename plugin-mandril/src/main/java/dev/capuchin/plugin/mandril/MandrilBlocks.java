package dev.capuchin.plugin.mandril;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The access-rule lists of the {@code mandril:} blocks of sites and locations, for
 * programs that read and edit site configuration (the control plane's store, console and
 * API) without knowing the block's keys:
 *
 * <pre>
 * mandril:
 *   ip: { allow: [10.0.0.0/8], deny: [10.0.0.2/32] }
 *   uri: { deny: ["/secret", "regex:\\.bak$"] }
 *   hotlink: { deny: ["/images/"] }
 * </pre>
 *
 * Every method takes the plugin blocks of one site or location (a site's or location's
 * {@code settings()}, or the keys of a site file) and leaves its argument unchanged or
 * changes only the map it was asked to change; blocks are copied, never shared.
 */
public final class MandrilBlocks {

	/** The key of the plugin's blocks in site files. */
	public static final String KEY = MandrilPlugin.NAME;

	private MandrilBlocks() {
	}

	/**
	 * Every rule of one site or location, each list in its order.
	 * @param settings the plugin blocks of the site or location
	 * @return the rules; none when there is no block or it is not a mapping
	 */
	public static List<Rule> rules(Map<String, ?> settings) {
		List<Rule> rules = new ArrayList<>();
		if (settings.get(KEY) instanceof Map<?, ?> block) {
			for (RuleKind kind : RuleKind.values()) {
				if (block.get(kind.section()) instanceof Map<?, ?> section) {
					for (Object item : items(section.get(kind.list()))) {
						rules.add(new Rule(kind, String.valueOf(item)));
					}
				}
			}
		}
		return rules;
	}

	/**
	 * The values of one list, as configured.
	 * @param settings the plugin blocks of the site or location
	 * @param kind the list
	 * @param scope the field of the site or location in messages, such as
	 * {@code locations[0]}, or {@code null} for the site
	 * @return a copy of the list (empty when it is not set)
	 * @throws IllegalArgumentException naming the field when the block or its section is
	 * not a mapping
	 */
	public static List<Object> values(Map<String, ?> settings, RuleKind kind, String scope) {
		String field = (scope != null) ? scope + "." + KEY : KEY;
		Object raw = settings.get(KEY);
		if (raw != null && !(raw instanceof Map<?, ?>)) {
			throw new IllegalArgumentException(
					field + ": " + raw + " (expected: a block with ip, uri, hotlink or rate)");
		}
		Object section = (raw != null) ? ((Map<?, ?>) raw).get(kind.section()) : null;
		if (section != null && !(section instanceof Map<?, ?>)) {
			throw new IllegalArgumentException(
					field + "." + kind.section() + ": " + section + " (expected: a block with " + kind.list() + ")");
		}
		return items((section != null) ? ((Map<?, ?>) section).get(kind.list()) : null);
	}

	/**
	 * Set one list, leaving out what becomes empty: an empty list removes its key, an
	 * empty section its section, and an empty block the block.
	 * @param settings the plugin blocks of the site or location, changed in place; the
	 * block and section are replaced by copies
	 * @param kind the list
	 * @param values the values, in order
	 * @throws IllegalArgumentException when the block or its section is not a mapping
	 */
	public static void put(Map<String, Object> settings, RuleKind kind, List<?> values) {
		values(settings, kind, null);
		Map<String, Object> block = copy((Map<?, ?>) settings.get(KEY));
		Map<String, Object> section = copy((Map<?, ?>) block.get(kind.section()));
		if (values.isEmpty()) {
			section.remove(kind.list());
		}
		else {
			section.put(kind.list(), new ArrayList<>(values));
		}
		if (section.isEmpty()) {
			block.remove(kind.section());
		}
		else {
			block.put(kind.section(), section);
		}
		if (block.isEmpty()) {
			settings.remove(KEY);
		}
		else {
			settings.put(KEY, block);
		}
	}

	/**
	 * A block of deny lists, for a configuration made by a program (an import).
	 * @param rules the values of each kind, in order; kinds without values are left out
	 * @return the block, or {@code null} when there are no values
	 */
	public static Map<String, Object> block(Map<RuleKind, List<String>> rules) {
		Map<String, Object> settings = new LinkedHashMap<>();
		for (RuleKind kind : RuleKind.values()) {
			List<String> values = rules.get(kind);
			if (values != null && !values.isEmpty()) {
				put(settings, kind, values);
			}
		}
		@SuppressWarnings("unchecked")
		Map<String, Object> block = (Map<String, Object>) settings.get(KEY);
		return block;
	}

	/**
	 * Take the rule lists out of plugin blocks, as a store that keeps rules apart does. A
	 * list taken out is left behind as an empty list, so that the block reads back with
	 * its keys in their order; a list that is not text (which the plugin refuses) stays.
	 * @param settings the plugin blocks of a site or location (left unchanged)
	 * @return the blocks without the rules, and the rules in list order
	 */
	@SuppressWarnings("unchecked")
	public static Split extract(Map<String, Object> settings) {
		Map<String, Object> copy = deepCopy(settings);
		List<Rule> rules = new ArrayList<>();
		if (copy.get(KEY) instanceof Map<?, ?> block) {
			for (RuleKind kind : RuleKind.values()) {
				if (block.get(kind.section()) instanceof Map<?, ?> section) {
					List<String> values = texts(section.get(kind.list()));
					if (values != null && !values.isEmpty()) {
						values.forEach((value) -> rules.add(new Rule(kind, value)));
						((Map<Object, Object>) section).put(kind.list(), new ArrayList<>());
					}
				}
			}
		}
		return new Split(copy, rules);
	}

	/**
	 * Put rules taken out by {@link #extract(Map)} back into plugin blocks. Lists still
	 * found in the blocks (written by a program that kept them there) are kept, and rules
	 * already in them are not repeated.
	 * @param settings the plugin blocks without their rules (left unchanged)
	 * @param rules the rules, in list order
	 * @return the plugin blocks with the rules
	 */
	public static Map<String, Object> restore(Map<String, Object> settings, List<Rule> rules) {
		Map<String, Object> copy = deepCopy(settings);
		if (rules.isEmpty()) {
			return copy;
		}
		Map<Object, Object> block = child(copy, KEY);
		for (Rule rule : rules) {
			Map<Object, Object> section = child(block, rule.kind().section());
			List<Object> list = items(section.get(rule.kind().list()));
			if (!list.contains(rule.value())) {
				list.add(rule.value());
			}
			section.put(rule.kind().list(), list);
		}
		return copy;
	}

	@SuppressWarnings("unchecked")
	private static <K> Map<Object, Object> child(Map<K, Object> parent, K key) {
		if (parent.get(key) instanceof Map<?, ?> map) {
			return (Map<Object, Object>) map;
		}
		Map<Object, Object> created = new LinkedHashMap<>();
		parent.put(key, created);
		return created;
	}

	/** A list as written: a list, one value standing for a list of one, or nothing. */
	private static List<Object> items(Object values) {
		List<Object> items = new ArrayList<>();
		if (values instanceof List<?> list) {
			items.addAll(list);
		}
		else if (values != null) {
			items.add(values);
		}
		return items;
	}

	private static List<String> texts(Object value) {
		if (value instanceof String text) {
			return List.of(text);
		}
		if (!(value instanceof List<?> list)) {
			return null;
		}
		List<String> texts = new ArrayList<>(list.size());
		for (Object item : list) {
			if (!(item instanceof String text)) {
				return null;
			}
			texts.add(text);
		}
		return texts;
	}

	private static Map<String, Object> copy(Map<?, ?> map) {
		Map<String, Object> copy = new LinkedHashMap<>();
		if (map != null) {
			map.forEach((key, value) -> copy.put(String.valueOf(key), value));
		}
		return copy;
	}

	private static Map<String, Object> deepCopy(Map<String, Object> map) {
		Map<String, Object> copy = new LinkedHashMap<>();
		map.forEach((key, value) -> copy.put(key, deepCopyValue(value)));
		return copy;
	}

	private static Object deepCopyValue(Object value) {
		if (value instanceof Map<?, ?> map) {
			Map<Object, Object> copy = new LinkedHashMap<>();
			map.forEach((key, item) -> copy.put(key, deepCopyValue(item)));
			return copy;
		}
		if (value instanceof List<?> list) {
			List<Object> copy = new ArrayList<>(list.size());
			list.forEach((item) -> copy.add(deepCopyValue(item)));
			return copy;
		}
		return value;
	}

	/**
	 * One rule of a block.
	 *
	 * @param kind its list
	 * @param value the address, block or path rule
	 */
	public record Rule(RuleKind kind, String value) {

		public Rule {
			Objects.requireNonNull(kind, "kind");
			Objects.requireNonNull(value, "value");
		}

	}

	/**
	 * Plugin blocks without their rules, and the rules.
	 *
	 * @param settings the plugin blocks, rule lists emptied
	 * @param rules the rules, in list order
	 */
	public record Split(Map<String, Object> settings, List<Rule> rules) {
	}

}
