package dev.capuchin.plugin.proxy.internal.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A location's {@code cache:} block inside its {@code proxy:} block.
 *
 * @param zone the zone's name
 * @param keyHeaders request headers added to the key, lower case
 * @param keyCookies request cookies added to the key
 * @param storeSetCookie whether responses with {@code Set-Cookie} are stored (the cookie
 * is then served to every client of the entry, so only for cookies meant for everyone)
 */
public record CacheRule(String zone, List<String> keyHeaders, List<String> keyCookies, boolean storeSetCookie) {

	private static final Set<String> KEYS = Set.of("zone", "key", "store-set-cookie");

	/** The most headers plus cookies a key may name. */
	private static final int MAX_KEY_PARTS = 16;

	/**
	 * Read a block.
	 * @param field the block's name for messages, such as
	 * {@code site shop: locations[0].proxy.cache}
	 * @param raw the block
	 * @param zones the zones this node has
	 * @return the rule
	 */
	public static CacheRule parse(String field, @Nullable Object raw, Set<String> zones) {
		if (!(raw instanceof Map<?, ?> block)) {
			throw new IllegalArgumentException(field + ": expected a map ({zone: NAME, key: {...}})");
		}
		for (Object key : block.keySet()) {
			if (!KEYS.contains(key)) {
				throw new IllegalArgumentException(
						field + "." + key + ": unknown key (expected: one of key, store-set-cookie, zone)");
			}
		}
		Object zone = block.get("zone");
		if (!(zone instanceof String name) || !zones.contains(name)) {
			throw new IllegalArgumentException(field + ".zone: '" + zone + "' (expected: one of "
					+ (zones.isEmpty() ? "the zones under capuchin.plugins.proxy.cache.zones, none is defined"
							: String.join(", ", new java.util.TreeSet<>(zones)))
					+ ")");
		}
		List<String> headers = new ArrayList<>();
		List<String> cookies = new ArrayList<>();
		Object key = block.get("key");
		if (key != null) {
			if (!(key instanceof Map<?, ?> map) || !Set.of("headers", "cookies").containsAll(map.keySet())) {
				throw new IllegalArgumentException(field + ".key: expected {headers: [NAME], cookies: [NAME]}");
			}
			names(field + ".key.headers", map.get("headers"), headers, true);
			names(field + ".key.cookies", map.get("cookies"), cookies, false);
			if (headers.size() + cookies.size() > MAX_KEY_PARTS) {
				throw new IllegalArgumentException(field + ".key: " + (headers.size() + cookies.size())
						+ " names (expected: at most " + MAX_KEY_PARTS + ")");
			}
		}
		Object store = block.get("store-set-cookie");
		if (store != null && !(store instanceof Boolean)) {
			throw new IllegalArgumentException(field + ".store-set-cookie: '" + store + "' (expected: true or false)");
		}
		return new CacheRule(name, List.copyOf(headers), List.copyOf(cookies), Boolean.TRUE.equals(store));
	}

	private static void names(String field, @Nullable Object raw, List<String> into, boolean lower) {
		if (raw == null) {
			return;
		}
		if (!(raw instanceof List<?> list)) {
			throw new IllegalArgumentException(field + ": expected a list of names");
		}
		for (Object each : list) {
			if (!(each instanceof String name) || name.isEmpty()
					|| !name.chars().allMatch((c) -> c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
				throw new IllegalArgumentException(field + ": '" + each + "' (expected: a name)");
			}
			into.add(lower ? name.toLowerCase(Locale.ROOT) : name);
		}
	}

}
