package dev.capuchin.app.sites;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.capuchin.app.transfer.ConfigDocument;
import dev.capuchin.plugin.mandril.MandrilBlocks;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The plugin blocks of a site or location as the YAML text of a form's textarea: a
 * mapping of plugin keys to their blocks, for example {@code mandril: {deny:
 * [10.0.0.0/8]}}.
 */
final class PluginBlocks {

	/** The longest text accepted. */
	static final int MAX_LENGTH = 64 * 1024;

	private PluginBlocks() {
	}

	/**
	 * Read the blocks of a textarea.
	 * @param text the YAML text, may be blank
	 * @param field the form field, for messages
	 * @param reserved keys that the form sets itself and the text may not
	 * @return the blocks, in order
	 * @throws FormFieldException naming the field
	 */
	static Map<String, Object> read(String text, String field, Set<String> reserved) {
		if (text == null || text.isBlank()) {
			return new LinkedHashMap<>();
		}
		if (text.length() > MAX_LENGTH) {
			throw new FormFieldException(field, "Longer than " + MAX_LENGTH + " characters.");
		}
		Object parsed;
		try {
			LoaderOptions options = new LoaderOptions();
			options.setMaxAliasesForCollections(10);
			options.setAllowDuplicateKeys(false);
			parsed = new Yaml(new SafeConstructor(options)).load(text);
		}
		catch (YAMLException ex) {
			throw new FormFieldException(field, "Not valid YAML: " + ex.getMessage());
		}
		if (parsed == null) {
			return new LinkedHashMap<>();
		}
		if (!(parsed instanceof Map<?, ?> map)) {
			throw new FormFieldException(field,
					"Expected a mapping of plugin keys to their blocks, like 'mandril: {deny: [10.0.0.0/8]}'.");
		}
		Map<String, Object> blocks = new LinkedHashMap<>();
		map.forEach((key, value) -> blocks.put(String.valueOf(key), value));
		for (String key : blocks.keySet()) {
			if (reserved.contains(key)) {
				throw new FormFieldException(field, "'" + key + "' is set by the form's own field, not here.");
			}
		}
		return blocks;
	}

	/**
	 * Refuse access-rule lists in a YAML box: they are edited on the access rules page,
	 * and a box that could hold them could also drop them unnoticed. Empty lists are
	 * accepted and left out.
	 * @param blocks the blocks read from the box
	 * @param field the form field, for messages
	 * @return the blocks without empty rule lists
	 * @throws FormFieldException naming the first rule list found
	 */
	static Map<String, Object> withoutRuleLists(Map<String, Object> blocks, String field) {
		List<MandrilBlocks.Rule> rules = MandrilBlocks.rules(blocks);
		if (!rules.isEmpty()) {
			MandrilBlocks.Rule rule = rules.get(0);
			throw new FormFieldException(field,
					MandrilBlocks.KEY + ": access rule " + rule.kind().id() + " " + rule.value()
							+ ": access rules are edited on the Access rules page, not here; leave them out "
							+ "(the rules stay as they are).");
		}
		return SiteItems.withoutRules(blocks);
	}

	/**
	 * Write blocks for a textarea.
	 * @param blocks the blocks
	 * @return the YAML text, or {@code ""} when there are none
	 */
	static String write(Map<String, Object> blocks) {
		if (blocks.isEmpty()) {
			return "";
		}
		return ConfigDocument.yaml().dump(new LinkedHashMap<>(blocks));
	}

}
