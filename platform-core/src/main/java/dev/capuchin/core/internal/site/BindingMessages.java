package dev.capuchin.core.internal.site;

import java.util.Map;
import java.util.stream.Collectors;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns a binding failure of a site file into the loader's message: the key path, the
 * value found there and what a site file expects there, e.g.
 * {@code locations[2].path: 12 (expected: a string starting with /)}.
 */
final class BindingMessages {

	/** What each core key holds, by its path with list indexes left out. */
	private static final Map<String, String> EXPECTED = Map.ofEntries(Map.entry("", "a mapping of site keys"),
			Map.entry("name", "a string"), Map.entry("server-names", "a list of host names"),
			Map.entry("server-names[]", "a host name"), Map.entry("default", "true or false"),
			Map.entry("listen", "host:port"), Map.entry("document-root", "a directory"),
			Map.entry("index-files", "a list of file names"), Map.entry("index-files[]", "a file name"),
			Map.entry("error-pages", "a mapping of status to page"),
			Map.entry("error-pages.*", "a path under the document root, starting with /"),
			Map.entry("fdt", "true or false"), Map.entry("follow-symlinks", "true or false"),
			Map.entry("hidden-files", "true or false"), Map.entry("precompressed", "true or false"),
			Map.entry("tls", "a mapping of certificate and private-key"), Map.entry("tls.certificate", "a PEM file"),
			Map.entry("tls.private-key", "a PEM file"), Map.entry("locations", "a list of locations"),
			Map.entry("locations[]", "a mapping with path or match"),
			Map.entry("locations[].path", "a string starting with /"),
			Map.entry("locations[].match", "a regular expression"));

	private BindingMessages() {
	}

	/**
	 * The message for a failure to bind a tree.
	 * @param failure what Jackson reported
	 * @param tree the tree that was bound
	 * @return the message, without the file name
	 */
	static String describe(JacksonException failure, JsonNode tree) {
		StringBuilder path = new StringBuilder();
		StringBuilder schema = new StringBuilder();
		JsonNode node = tree;
		for (JacksonException.Reference reference : failure.getPath()) {
			if (reference.getPropertyName() != null) {
				String key = reference.getPropertyName();
				if (!path.isEmpty()) {
					path.append('.');
				}
				path.append(key);
				boolean mapEntry = schema.toString().equals("error-pages");
				schema.append(schema.isEmpty() ? "" : ".").append(mapEntry ? "*" : key);
				node = (node != null) ? node.get(key) : null;
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
				schema.append("[]");
				node = (node != null) ? node.get(reference.getIndex()) : null;
			}
		}
		if (failure instanceof UnrecognizedPropertyException unknown) {
			// only a block without plugin keys (tls) has unknown keys; Jackson knows its
			// keys, already named by the naming strategy
			String expected = unknown.getKnownPropertyIds()
				.stream()
				.map(String::valueOf)
				.collect(Collectors.joining(", "));
			return path + ": unknown key (expected: " + expected + ")";
		}
		String expected = EXPECTED.get(schema.toString());
		return (path.isEmpty() ? "site" : path) + ": " + render(node) + " (expected: "
				+ ((expected != null) ? expected : "a value of another type") + ")";
	}

	private static String render(JsonNode node) {
		if (node == null || node.isMissingNode()) {
			return "missing";
		}
		if (node.isString()) {
			return "'" + node.asString() + "'";
		}
		if (node.isObject()) {
			return "a mapping";
		}
		if (node.isArray()) {
			return "a list";
		}
		return node.toString();
	}

}
