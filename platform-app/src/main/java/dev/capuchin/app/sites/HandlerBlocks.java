package dev.capuchin.app.sites;

import java.util.LinkedHashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.capuchin.plugin.cgi.CgiPlugin;
import dev.capuchin.plugin.fastcgi.FastCgiPlugin;
import dev.capuchin.plugin.proxy.BalancerKind;
import dev.capuchin.plugin.proxy.Upstreams;

import dev.capuchin.core.spi.Location;
import dev.capuchin.plugin.dirlisting.DirListingPlugin;

/**
 * The keys of the handler plugins' location blocks that the app reads and writes (the
 * location form, the locations list, the Monkey import), in one place. The plugins own
 * these formats and check every block in {@code prepare}; once a plugin's module is part
 * of the build, its constants replace the ones here.
 */
public final class HandlerBlocks {

	/** The proxy plugin's name and location block key. */
	public static final String PROXY = Upstreams.BLOCK;

	/** {@code proxy.upstream}: the name of a stored upstream. */
	public static final String PROXY_UPSTREAM = Upstreams.UPSTREAM;

	/** {@code proxy.servers}: the addresses, when no upstream is named. */
	public static final String PROXY_SERVERS = "servers";

	/** {@code proxy.balancer}: how a server is chosen. */
	public static final String PROXY_BALANCER = "balancer";

	/** {@code proxy.strip-prefix}: whether the location's prefix is cut from the path. */
	public static final String PROXY_STRIP_PREFIX = "strip-prefix";

	/** {@code proxy.preserve-host}: whether the client's Host goes to the server. */
	public static final String PROXY_PRESERVE_HOST = "preserve-host";

	/** The balancers of the proxy plugin, in the order the form offers them. */
	public static final List<String> BALANCERS = Arrays.stream(BalancerKind.values()).map(BalancerKind::key).toList();

	/** The cgi plugin's name and location block key. */
	public static final String CGI = CgiPlugin.NAME;

	/** {@code cgi.interpreters}: an interpreter per file extension. */
	public static final String CGI_INTERPRETERS = "interpreters";

	/** The fastcgi plugin's name and location block key. */
	public static final String FASTCGI = FastCgiPlugin.NAME;

	/** {@code fastcgi.pass}: the application server, or a list tried in turn. */
	public static final String FASTCGI_PASS = "pass";

	/** {@code fastcgi.index}: the front controller. */
	public static final String FASTCGI_INDEX = "index";

	/** The dirlisting plugin's name and block key. */
	public static final String DIRLISTING = DirListingPlugin.NAME;

	/**
	 * {@code dirlisting.enabled}: whether a mapping switches listings on (default true).
	 */
	public static final String DIRLISTING_ENABLED = "enabled";

	/**
	 * The handlers whose blocks claim a whole location, in the order they are looked for.
	 */
	private static final List<LocationHandler> CLAIMING = List.of(LocationHandler.PROXY, LocationHandler.FASTCGI,
			LocationHandler.CGI);

	private HandlerBlocks() {
	}

	/**
	 * A {@code proxy:} block.
	 * @param upstream a stored upstream's name, or {@code null}
	 * @param servers the addresses, used when no upstream is named
	 * @param balancer the balancer, or {@code null} for the plugin's default
	 * @param stripPrefix whether the location's prefix is cut from the path
	 * @param preserveHost whether the client's Host goes to the server
	 * @return the block, without the keys left at their defaults
	 */
	public static Map<String, Object> proxy(String upstream, List<String> servers, String balancer, boolean stripPrefix,
			boolean preserveHost) {
		Map<String, Object> block = new LinkedHashMap<>();
		if (upstream != null) {
			block.put(PROXY_UPSTREAM, upstream);
		}
		else {
			block.put(PROXY_SERVERS, List.copyOf(servers));
		}
		if (balancer != null) {
			block.put(PROXY_BALANCER, balancer);
		}
		if (stripPrefix) {
			block.put(PROXY_STRIP_PREFIX, true);
		}
		if (preserveHost) {
			block.put(PROXY_PRESERVE_HOST, true);
		}
		return block;
	}

	/**
	 * A {@code cgi:} block.
	 * @param interpreters an interpreter per extension (such as {@code .py}), may be
	 * empty for executable files
	 * @return the block
	 */
	public static Map<String, Object> cgi(Map<String, String> interpreters) {
		Map<String, Object> block = new LinkedHashMap<>();
		if (!interpreters.isEmpty()) {
			block.put(CGI_INTERPRETERS, new LinkedHashMap<>(interpreters));
		}
		return block;
	}

	/**
	 * A {@code fastcgi:} block.
	 * @param pass the application servers ({@code unix:/path} or {@code host:port}), one
	 * or more tried in turn
	 * @param index the front controller, or {@code null}
	 * @return the block
	 */
	public static Map<String, Object> fastcgi(List<String> pass, String index) {
		Map<String, Object> block = new LinkedHashMap<>();
		block.put(FASTCGI_PASS, (pass.size() == 1) ? pass.get(0) : List.copyOf(pass));
		if (index != null) {
			block.put(FASTCGI_INDEX, index);
		}
		return block;
	}

	/**
	 * The handler of a location's blocks: the first of proxy, FastCGI and CGI with a
	 * block, else a directory listing when a {@code dirlisting} block switches it on,
	 * else static files.
	 * @param settings the location's plugin blocks
	 * @return the handler
	 */
	public static LocationHandler handlerOf(Map<String, Object> settings) {
		for (LocationHandler handler : CLAIMING) {
			if (settings.containsKey(handler.plugin())) {
				return handler;
			}
		}
		return listsDirectories(settings.get(DIRLISTING)) ? LocationHandler.DIRLISTING : LocationHandler.STATIC;
	}

	/**
	 * Whether a {@code dirlisting} value switches listings on.
	 * @param block the value, may be {@code null}
	 * @return {@code true} for {@code true} and for a mapping that is not
	 * {@code enabled: false}
	 */
	static boolean listsDirectories(Object block) {
		if (block instanceof Map<?, ?> map) {
			return !Boolean.FALSE.equals(map.get(DIRLISTING_ENABLED));
		}
		return Boolean.TRUE.equals(block);
	}

	/**
	 * One line saying what answers a location, for the locations list: the handler and,
	 * for a proxy, its upstream or servers; for FastCGI, its application server.
	 * @param location the location
	 * @return the line, such as {@code Proxy → upstream api}
	 */
	public static String summary(Location location) {
		LocationHandler handler = handlerOf(location.settings());
		Object block = (handler.plugin() != null) ? location.setting(handler.plugin()) : null;
		Map<?, ?> keys = (block instanceof Map<?, ?> map) ? map : Map.of();
		return switch (handler) {
			case PROXY -> {
				if (keys.get(PROXY_UPSTREAM) != null) {
					yield "Proxy → upstream " + keys.get(PROXY_UPSTREAM);
				}
				String servers = (keys.get(PROXY_SERVERS) instanceof List<?> list)
						? String.join(", ", list.stream().map(HandlerBlocks::serverText).toList()) : "no servers";
				yield "Proxy → " + servers
						+ ((keys.get(PROXY_BALANCER) != null) ? " (" + keys.get(PROXY_BALANCER) + ")" : "");
			}
			case FASTCGI -> "FastCGI → " + ((keys.get(FASTCGI_PASS) instanceof List<?> list)
					? String.join(", ", list.stream().map(String::valueOf).toList()) : keys.get(FASTCGI_PASS));
			case CGI ->
				(keys.get(CGI_INTERPRETERS) instanceof Map<?, ?> interpreters && !interpreters.isEmpty()) ? "CGI ("
						+ String.join(", ",
								interpreters.entrySet().stream().map((e) -> e.getKey() + ": " + e.getValue()).toList())
						+ ")" : "CGI";
			default -> handler.label();
		};
	}

	private static String serverText(Object server) {
		// a server is an address, or a mapping with its url and weight
		return (server instanceof Map<?, ?> map && map.get("url") != null) ? String.valueOf(map.get("url"))
				: String.valueOf(server);
	}

}
