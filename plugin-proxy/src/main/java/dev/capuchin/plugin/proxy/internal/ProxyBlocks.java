package dev.capuchin.plugin.proxy.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.capuchin.plugin.proxy.Upstream;
import dev.capuchin.plugin.proxy.Upstreams;
import dev.capuchin.plugin.proxy.internal.cache.CacheRule;
import org.jspecify.annotations.Nullable;

/**
 * Reads a location's {@code proxy:} block: either {@code upstream: NAME} (with the
 * definition the control plane {@link Upstreams#resolve resolved} into it) or the
 * upstream keys inline, plus the keys that belong to the location.
 */
public final class ProxyBlocks {

	/** Keys of the block that belong to the location, not to the upstream. */
	public static final Set<String> LOCATION_KEYS = Set.of(Upstreams.UPSTREAM, Upstreams.DEFINITION, "strip-prefix",
			"rewrite", "preserve-host", "user-header", "response-headers", "cache");

	/** Headers that the proxy owns and a location may not set or remove. */
	private static final Set<String> RESERVED = Set.of("connection", "keep-alive", "transfer-encoding",
			"content-length", "upgrade", "te", "trailer", "proxy-connection", "host", "via");

	private ProxyBlocks() {
	}

	/**
	 * Compile a block; the upstream definition is returned for the caller to share.
	 * @param field the block's name for messages
	 * @param inlineName the name of inline servers' upstream
	 * @param path the location's path prefix, or {@code null} for a regex location
	 * @param raw the block
	 * @param zones the cache zones a {@code cache:} block may name
	 * @return the compiled parts
	 */
	public static Parsed parse(String field, String inlineName, @Nullable String path, @Nullable Object raw,
			Set<String> zones) {
		if (!(raw instanceof Map<?, ?> block)) {
			throw new IllegalArgumentException(field + ": expected a map (servers or upstream, balancer, ...)");
		}
		Upstream upstream;
		Object named = block.get(Upstreams.UPSTREAM);
		if (named != null) {
			if (!(named instanceof String name) || name.isBlank()) {
				throw new IllegalArgumentException(field + ".upstream: '" + named + "' (expected: an upstream's name)");
			}
			for (Object key : block.keySet()) {
				if (!LOCATION_KEYS.contains(key)) {
					throw new IllegalArgumentException(
							field + "." + key + ": not allowed beside upstream (set it on the upstream " + name + ")");
				}
			}
			if (!(block.get(Upstreams.DEFINITION) instanceof Map<?, ?> definition)) {
				throw new IllegalArgumentException(
						field + ".upstream: no upstream '" + name + "' is defined (define it under upstreams:)");
			}
			upstream = Upstreams.parse(field + ".upstream[" + name + "]", definition);
			if (!upstream.name().equals(name)) {
				throw new IllegalArgumentException(
						field + ".upstream: '" + name + "' resolved to '" + upstream.name() + "'");
			}
		}
		else {
			if (block.containsKey(Upstreams.DEFINITION)) {
				throw new IllegalArgumentException(field + ".definition: set without upstream");
			}
			if (block.containsKey("name")) {
				throw new IllegalArgumentException(
						field + ".name: not allowed in a location (inline servers are named after the location)");
			}
			upstream = Upstreams.parse(field, inlineName, block, LOCATION_KEYS);
		}
		boolean strip = Upstreams.bool(field + ".strip-prefix", block.get("strip-prefix"), false);
		if (strip && path == null) {
			throw new IllegalArgumentException(
					field + ".strip-prefix: only for path locations (use rewrite on a match location)");
		}
		Pattern rewrite = null;
		String replacement = "";
		Object rawRewrite = block.get("rewrite");
		if (rawRewrite != null) {
			if (!(rawRewrite instanceof Map<?, ?> map) || !(map.get("match") instanceof String match)
					|| !(map.get("replace") instanceof String replace) || map.size() != 2) {
				throw new IllegalArgumentException(
						field + ".rewrite: expected {match: REGEX, replace: PATH} (groups as $1)");
			}
			try {
				rewrite = Pattern.compile(match);
				rewrite.matcher("/").replaceFirst(replace);
			}
			catch (PatternSyntaxException ex) {
				throw new IllegalArgumentException(field + ".rewrite.match: " + ex.getDescription());
			}
			catch (IllegalArgumentException | IndexOutOfBoundsException ex) {
				throw new IllegalArgumentException(field + ".rewrite.replace: '" + replace + "' " + ex.getMessage());
			}
			replacement = replace;
		}
		boolean preserveHost = Upstreams.bool(field + ".preserve-host", block.get("preserve-host"), false);
		String userHeader = null;
		if (block.get("user-header") != null) {
			userHeader = headerName(field + ".user-header", block.get("user-header"));
		}
		Map<String, String> add = new LinkedHashMap<>();
		List<String> remove = new ArrayList<>();
		Object headers = block.get("response-headers");
		if (headers != null) {
			if (!(headers instanceof Map<?, ?> map) || !Set.of("add", "remove").containsAll(map.keySet())) {
				throw new IllegalArgumentException(
						field + ".response-headers: expected {add: {NAME: VALUE}, remove: [NAME]}");
			}
			if (map.get("add") instanceof Map<?, ?> adds) {
				for (Map.Entry<?, ?> entry : adds.entrySet()) {
					String name = headerName(field + ".response-headers.add", entry.getKey());
					String value = String.valueOf(entry.getValue());
					if (value.chars().anyMatch((c) -> c < 0x20 && c != '\t' || c == 0x7f)) {
						throw new IllegalArgumentException(
								field + ".response-headers.add." + name + ": control characters are not allowed");
					}
					add.put(name, value);
				}
			}
			else if (map.get("add") != null) {
				throw new IllegalArgumentException(field + ".response-headers.add: expected a map of NAME: VALUE");
			}
			if (map.get("remove") instanceof List<?> removes) {
				for (Object name : removes) {
					remove.add(headerName(field + ".response-headers.remove", name).toLowerCase(Locale.ROOT));
				}
			}
			else if (map.get("remove") != null) {
				throw new IllegalArgumentException(field + ".response-headers.remove: expected a list of names");
			}
		}
		CacheRule cache = (block.get("cache") != null) ? CacheRule.parse(field + ".cache", block.get("cache"), zones)
				: null;
		return new Parsed(upstream, strip ? path : null, rewrite, replacement, preserveHost, userHeader, add,
				List.copyOf(remove), cache);
	}

	private static String headerName(String field, @Nullable Object raw) {
		if (!(raw instanceof String name) || name.isEmpty()
				|| !name.chars().allMatch((c) -> c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
			throw new IllegalArgumentException(field + ": '" + raw + "' (expected: a header name)");
		}
		if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
			throw new IllegalArgumentException(field + ": '" + name + "' is set by the proxy itself");
		}
		return name;
	}

	/**
	 * A block's parts before the upstream is shared.
	 *
	 * @param upstream the upstream's definition
	 * @param prefix the prefix to strip, or {@code null}
	 * @param rewrite the rewrite, or {@code null}
	 * @param replacement the rewrite's replacement
	 * @param preserveHost whether {@code Host} is kept
	 * @param userHeader the user header, or {@code null}
	 * @param addResponseHeaders headers set on responses
	 * @param removeResponseHeaders headers removed from responses
	 * @param cache the cache rule, or {@code null}
	 */
	public record Parsed(Upstream upstream, @Nullable String prefix, @Nullable Pattern rewrite, String replacement,
			boolean preserveHost, @Nullable String userHeader, Map<String, String> addResponseHeaders,
			List<String> removeResponseHeaders, @Nullable CacheRule cache) {

		/**
		 * The route over a shared upstream.
		 * @param field the block's name
		 * @param prepared the shared upstream
		 * @return the route
		 */
		public ProxyRoute route(String field, PreparedUpstream prepared) {
			return new ProxyRoute(field, prepared, this.prefix, this.rewrite, this.replacement, this.preserveHost,
					this.userHeader, Map.copyOf(this.addResponseHeaders), this.removeResponseHeaders, this.cache);
		}

	}

}
