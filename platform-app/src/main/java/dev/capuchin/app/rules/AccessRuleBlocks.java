package dev.capuchin.app.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Moves the rule lists of a {@code mandril:} block between the plugin-settings text and
 * {@code access_rule} rows. A list taken out is left behind as an empty list, so that the
 * block reads back with its keys in their order; a list that is not text (which the
 * plugin refuses) stays in the text. Lists still found in the text when rows are put back
 * (written by a node that predates the table) are kept, and rows already in them are not
 * repeated.
 */
public final class AccessRuleBlocks {

	private AccessRuleBlocks() {
	}

	/**
	 * Take the rule lists out of plugin settings.
	 * @param settings the site's or location's plugin blocks (left unchanged)
	 * @return the settings without the rules, and the rules in list order
	 */
	@SuppressWarnings("unchecked")
	public static Split extract(Map<String, Object> settings) {
		Map<String, Object> copy = copy(settings);
		List<Rule> rules = new ArrayList<>();
		if (copy.get(AccessRuleKind.BLOCK) instanceof Map<?, ?> block) {
			for (AccessRuleKind kind : AccessRuleKind.values()) {
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
	 * Put rules back into plugin settings.
	 * @param settings the plugin blocks as stored
	 * @param rules the rules of the site or location, in list order
	 * @return the plugin blocks with the rules
	 */
	public static Map<String, Object> restore(Map<String, Object> settings, List<Rule> rules) {
		Map<String, Object> copy = copy(settings);
		if (rules.isEmpty()) {
			return copy;
		}
		Map<Object, Object> block = child(copy, AccessRuleKind.BLOCK);
		for (Rule rule : rules) {
			Map<Object, Object> section = child(block, rule.kind().section());
			Object existing = section.get(rule.kind().list());
			List<Object> list = new ArrayList<>();
			if (existing instanceof List<?> values) {
				list.addAll(values);
			}
			else if (existing != null) {
				list.add(existing);
			}
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

	private static Map<String, Object> copy(Map<String, Object> map) {
		Map<String, Object> copy = new LinkedHashMap<>();
		map.forEach((key, value) -> copy.put(key, copyValue(value)));
		return copy;
	}

	private static Object copyValue(Object value) {
		if (value instanceof Map<?, ?> map) {
			Map<Object, Object> copy = new LinkedHashMap<>();
			map.forEach((key, item) -> copy.put(key, copyValue(item)));
			return copy;
		}
		if (value instanceof List<?> list) {
			List<Object> copy = new ArrayList<>(list.size());
			list.forEach((item) -> copy.add(copyValue(item)));
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
	public record Rule(AccessRuleKind kind, String value) {
	}

	/**
	 * Plugin settings without their rules, and the rules.
	 *
	 * @param settings the plugin blocks, rule lists emptied
	 * @param rules the rules, in list order
	 */
	public record Split(Map<String, Object> settings, List<Rule> rules) {
	}

}
