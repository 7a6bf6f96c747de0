package dev.capuchin.app.sites;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Between a location's handler block and the location form's handler fields. The form
 * shows a handler's main keys as fields; every other key of the block stays in the form's
 * YAML, under the block's key, so an edit keeps what the fields do not show. On save the
 * fields and the YAML are joined again, and a key given in both is refused rather than
 * one of them dropped.
 */
final class HandlerFields {

	/** The longest list of proxy servers or CGI interpreters, in lines. */
	static final int MAX_LINES = 100;

	private HandlerFields() {
	}

	/**
	 * Take a location's handler and the keys its fields show out of its blocks.
	 * @param settings the location's plugin blocks
	 * @return the fields and what stays in the YAML
	 */
	static Split split(Map<String, Object> settings) {
		LocationHandler handler = HandlerBlocks.handlerOf(settings);
		Map<String, Object> rest = new LinkedHashMap<>(settings);
		Split split = new Split(handler, "", "", "", false, false, "", "", "", rest);
		Object value = rest.get(handler.plugin());
		if (handler == LocationHandler.DIRLISTING) {
			if (value instanceof Map<?, ?> map) {
				Map<String, Object> block = copy(map);
				block.remove(HandlerBlocks.DIRLISTING_ENABLED, Boolean.TRUE);
				keep(rest, HandlerBlocks.DIRLISTING, block);
			}
			else {
				rest.remove(HandlerBlocks.DIRLISTING);
			}
			return split;
		}
		if (!(value instanceof Map<?, ?> map)) {
			// static files, or a block the plugin will refuse: left as written
			return split;
		}
		Map<String, Object> block = copy(map);
		split = switch (handler) {
			case PROXY -> new Split(handler, take(block, HandlerBlocks.PROXY_UPSTREAM),
					String.join("\n", takeList(block, HandlerBlocks.PROXY_SERVERS)),
					take(block, HandlerBlocks.PROXY_BALANCER), takeFlag(block, HandlerBlocks.PROXY_STRIP_PREFIX),
					takeFlag(block, HandlerBlocks.PROXY_PRESERVE_HOST), "", "", "", rest);
			case CGI -> new Split(handler, "", "", "", false, false, takeInterpreters(block), "", "", rest);
			case FASTCGI -> new Split(handler, "", "", "", false, false, "",
					String.join(" ", takeList(block, HandlerBlocks.FASTCGI_PASS)),
					take(block, HandlerBlocks.FASTCGI_INDEX), rest);
			default -> split;
		};
		keep(rest, handler.plugin(), block);
		return split;
	}

	/**
	 * Join the form's handler fields with the blocks of its YAML.
	 * @param form the form
	 * @param blocks the blocks of the YAML, changed in place
	 * @throws FormFieldException naming the field at fault
	 */
	static void join(LocationForm form, Map<String, Object> blocks) {
		if (form.handler() == null || form.handler().isBlank()) {
			// a client that does not send the handler field keeps the blocks as written
			return;
		}
		LocationHandler handler = LocationHandler.fromKey(form.handler());
		if (handler == null) {
			throw new FormFieldException("handler", "Choose a handler from the list.");
		}
		for (LocationHandler other : List.of(LocationHandler.PROXY, LocationHandler.FASTCGI, LocationHandler.CGI)) {
			if (other != handler && blocks.containsKey(other.plugin())) {
				throw new FormFieldException("settings",
						"'" + other.plugin() + "' is the block of the " + other.label() + " handler: choose "
								+ other.label() + " as the handler, or remove the block here to use " + handler.label()
								+ ".");
			}
		}
		Object listing = blocks.get(HandlerBlocks.DIRLISTING);
		if (handler != LocationHandler.DIRLISTING && HandlerBlocks.listsDirectories(listing)) {
			throw new FormFieldException("settings", "'dirlisting' switches directory listings on: choose Directory"
					+ " listing as the handler, or remove the block here.");
		}
		switch (handler) {
			case DIRLISTING -> {
				if (listing == null) {
					blocks.put(HandlerBlocks.DIRLISTING, true);
				}
				else if ((listing instanceof Boolean || listing instanceof Map)
						&& !HandlerBlocks.listsDirectories(listing)) {
					throw new FormFieldException("settings",
							"'dirlisting' switches directory listings off: remove it here to list directories.");
				}
			}
			case PROXY -> blocks.put(HandlerBlocks.PROXY, proxy(form, block(blocks, HandlerBlocks.PROXY)));
			case CGI -> blocks.put(HandlerBlocks.CGI, cgi(form, block(blocks, HandlerBlocks.CGI)));
			case FASTCGI -> blocks.put(HandlerBlocks.FASTCGI, fastcgi(form, block(blocks, HandlerBlocks.FASTCGI)));
			default -> {
			}
		}
	}

	/**
	 * The form fields that hold a key of the handler's block, for putting a refusal
	 * beside the right field: {@code proxy.balancer} to {@code proxyBalancer}, and the
	 * block's own key to {@code handler}. A key the YAML holds is not listed (its refusal
	 * goes beside the YAML).
	 * @param form the form
	 * @return block paths to field names
	 */
	static Map<String, String> fields(LocationForm form) {
		Map<String, String> fields = new LinkedHashMap<>();
		LocationHandler handler = LocationHandler.fromKey(form.handler());
		if (handler == null || handler.plugin() == null) {
			return fields;
		}
		fields.put(handler.plugin(), "handler");
		String block = handler.plugin() + ".";
		switch (handler) {
			case PROXY -> {
				field(fields, block + HandlerBlocks.PROXY_UPSTREAM, "proxyUpstream", form.proxyUpstream());
				field(fields, block + HandlerBlocks.PROXY_SERVERS, "proxyServers", form.proxyServers());
				field(fields, block + HandlerBlocks.PROXY_BALANCER, "proxyBalancer", form.proxyBalancer());
				field(fields, block + HandlerBlocks.PROXY_STRIP_PREFIX, "proxyStripPrefix",
						Boolean.TRUE.equals(form.proxyStripPrefix()) ? "true" : "");
				field(fields, block + HandlerBlocks.PROXY_PRESERVE_HOST, "proxyPreserveHost",
						Boolean.TRUE.equals(form.proxyPreserveHost()) ? "true" : "");
			}
			case CGI ->
				field(fields, block + HandlerBlocks.CGI_INTERPRETERS, "cgiInterpreters", form.cgiInterpreters());
			case FASTCGI -> {
				field(fields, block + HandlerBlocks.FASTCGI_PASS, "fastcgiPass", form.fastcgiPass());
				field(fields, block + HandlerBlocks.FASTCGI_INDEX, "fastcgiIndex", form.fastcgiIndex());
			}
			default -> {
			}
		}
		return fields;
	}

	private static Map<String, Object> proxy(LocationForm form, Map<String, Object> rest) {
		String upstream = trimmed(form.proxyUpstream());
		List<String> servers = words(form.proxyServers(), "proxyServers");
		if (upstream != null && !servers.isEmpty()) {
			throw new FormFieldException("proxyServers",
					"Choose a stored upstream or enter addresses, not both (upstream " + upstream + " is chosen).");
		}
		boolean fromYaml = rest.containsKey(HandlerBlocks.PROXY_UPSTREAM)
				|| rest.containsKey(HandlerBlocks.PROXY_SERVERS);
		if (upstream == null && servers.isEmpty() && !fromYaml) {
			throw new FormFieldException("proxyServers",
					"Choose a stored upstream or enter one or more addresses, like http://127.0.0.1:9001.");
		}
		Map<String, Object> block = new LinkedHashMap<>();
		put(block, rest, HandlerBlocks.PROXY_UPSTREAM, upstream, "proxyUpstream");
		put(block, rest, HandlerBlocks.PROXY_SERVERS, servers.isEmpty() ? null : servers, "proxyServers");
		put(block, rest, HandlerBlocks.PROXY_BALANCER, trimmed(form.proxyBalancer()), "proxyBalancer");
		put(block, rest, HandlerBlocks.PROXY_STRIP_PREFIX, Boolean.TRUE.equals(form.proxyStripPrefix()) ? true : null,
				"proxyStripPrefix");
		put(block, rest, HandlerBlocks.PROXY_PRESERVE_HOST, Boolean.TRUE.equals(form.proxyPreserveHost()) ? true : null,
				"proxyPreserveHost");
		block.putAll(rest);
		return block;
	}

	private static Map<String, Object> cgi(LocationForm form, Map<String, Object> rest) {
		Map<String, String> interpreters = new LinkedHashMap<>();
		List<String> lines = lines(form.cgiInterpreters(), "cgiInterpreters");
		for (int i = 0; i < lines.size(); i++) {
			String[] parts = lines.get(i).split("\\s+");
			if (parts.length != 2 || !parts[0].startsWith(".") || parts[0].length() < 2) {
				throw new FormFieldException("cgiInterpreters", "Line " + (i + 1) + ": '" + lines.get(i)
						+ "' (expected: an extension and an interpreter, like .py /usr/bin/python3)");
			}
			if (interpreters.put(parts[0], parts[1]) != null) {
				throw new FormFieldException("cgiInterpreters",
						"Line " + (i + 1) + ": " + parts[0] + " is given twice.");
			}
		}
		Map<String, Object> block = new LinkedHashMap<>();
		Map<String, Object> built = HandlerBlocks.cgi(interpreters);
		put(block, rest, HandlerBlocks.CGI_INTERPRETERS, built.get(HandlerBlocks.CGI_INTERPRETERS), "cgiInterpreters");
		block.putAll(rest);
		return block;
	}

	private static Map<String, Object> fastcgi(LocationForm form, Map<String, Object> rest) {
		List<String> pass = words(form.fastcgiPass(), "fastcgiPass");
		if (pass.isEmpty() && !rest.containsKey(HandlerBlocks.FASTCGI_PASS)) {
			throw new FormFieldException("fastcgiPass",
					"Enter the application server, like unix:/run/php/php-fpm.sock or 127.0.0.1:9000.");
		}
		Map<String, Object> block = new LinkedHashMap<>();
		Map<String, Object> built = pass.isEmpty() ? Map.of()
				: HandlerBlocks.fastcgi(pass, trimmed(form.fastcgiIndex()));
		put(block, rest, HandlerBlocks.FASTCGI_PASS, built.get(HandlerBlocks.FASTCGI_PASS), "fastcgiPass");
		put(block, rest, HandlerBlocks.FASTCGI_INDEX, trimmed(form.fastcgiIndex()), "fastcgiIndex");
		block.putAll(rest);
		return block;
	}

	/** A field's value into the block, refused when the YAML gives the same key. */
	private static void put(Map<String, Object> block, Map<String, Object> rest, String key, Object value,
			String field) {
		if (value == null) {
			return;
		}
		if (rest.containsKey(key)) {
			throw new FormFieldException(field,
					"'" + key + "' is given here and in the plugin blocks below: keep one of them.");
		}
		block.put(key, value);
	}

	private static Map<String, Object> block(Map<String, Object> blocks, String key) {
		Object value = blocks.get(key);
		if (value == null) {
			return new LinkedHashMap<>();
		}
		if (!(value instanceof Map<?, ?> map)) {
			throw new FormFieldException("settings",
					"'" + key + "' must be a mapping of the handler's other keys, like " + key + ": {timeout: 30s}.");
		}
		return copy(map);
	}

	private static void field(Map<String, String> fields, String path, String field, String value) {
		if (value != null && !value.isBlank()) {
			fields.put(path, field);
		}
	}

	private static String take(Map<String, Object> block, String key) {
		if (block.get(key) instanceof String text) {
			block.remove(key);
			return text;
		}
		return "";
	}

	private static boolean takeFlag(Map<String, Object> block, String key) {
		if (block.get(key) instanceof Boolean flag) {
			block.remove(key);
			return flag;
		}
		return false;
	}

	/** A string, or a list of strings; anything else stays in the block. */
	private static List<String> takeList(Map<String, Object> block, String key) {
		Object value = block.get(key);
		if (value instanceof String text) {
			block.remove(key);
			return List.of(text);
		}
		if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
			block.remove(key);
			return list.stream().map(String.class::cast).toList();
		}
		return List.of();
	}

	private static String takeInterpreters(Map<String, Object> block) {
		if (block.get(HandlerBlocks.CGI_INTERPRETERS) instanceof Map<?, ?> map && map.entrySet()
			.stream()
			.allMatch((entry) -> entry.getKey() instanceof String key && key.startsWith(".") && !key.contains(" ")
					&& entry.getValue() instanceof String value && !value.isBlank() && !value.contains(" "))) {
			block.remove(HandlerBlocks.CGI_INTERPRETERS);
			List<String> lines = new ArrayList<>();
			map.forEach((key, value) -> lines.add(key + " " + value));
			return String.join("\n", lines);
		}
		return "";
	}

	private static void keep(Map<String, Object> rest, String key, Map<String, Object> block) {
		if (block.isEmpty()) {
			rest.remove(key);
		}
		else {
			rest.put(key, block);
		}
	}

	private static Map<String, Object> copy(Map<?, ?> map) {
		Map<String, Object> copy = new LinkedHashMap<>();
		map.forEach((key, value) -> copy.put(String.valueOf(key), value));
		return copy;
	}

	private static String trimmed(String text) {
		return (text == null || text.isBlank()) ? null : text.strip();
	}

	private static List<String> lines(String text, String field) {
		if (text == null || text.isBlank()) {
			return List.of();
		}
		List<String> lines = text.lines().map(String::strip).filter((line) -> !line.isEmpty()).toList();
		if (lines.size() > MAX_LINES) {
			throw new FormFieldException(field, "At most " + MAX_LINES + " lines.");
		}
		return lines;
	}

	/** Words separated by spaces, commas or lines. */
	private static List<String> words(String text, String field) {
		if (text == null || text.isBlank()) {
			return List.of();
		}
		List<String> words = List.of(text.strip().split("[\\s,]+"));
		if (words.size() > MAX_LINES) {
			throw new FormFieldException(field, "At most " + MAX_LINES + " addresses.");
		}
		return words;
	}

	/**
	 * A location's handler fields, and the blocks left for the YAML.
	 *
	 * @param handler the handler
	 * @param proxyUpstream the upstream's name, or empty
	 * @param proxyServers the servers, one a line
	 * @param proxyBalancer the balancer, or empty
	 * @param proxyStripPrefix whether the prefix is cut
	 * @param proxyPreserveHost whether Host is kept
	 * @param cgiInterpreters lines of an extension and an interpreter
	 * @param fastcgiPass the application servers, separated by spaces
	 * @param fastcgiIndex the front controller, or empty
	 * @param rest the other blocks, and the keys the fields do not show
	 */
	record Split(LocationHandler handler, String proxyUpstream, String proxyServers, String proxyBalancer,
			boolean proxyStripPrefix, boolean proxyPreserveHost, String cgiInterpreters, String fastcgiPass,
			String fastcgiIndex, Map<String, Object> rest) {
	}

}
