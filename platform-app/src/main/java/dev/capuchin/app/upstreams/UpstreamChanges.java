package dev.capuchin.app.upstreams;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.app.shared.config.ConfigurationConflictException;
import dev.capuchin.app.shared.config.InvalidConfigurationException;
import dev.capuchin.app.shared.config.InvalidFieldException;
import dev.capuchin.plugin.proxy.Upstream;
import dev.capuchin.plugin.proxy.UpstreamServer;

/**
 * The changes the console and the API make to upstreams, one at a time: create, replace,
 * delete, add or remove a server, drain or re-enable a server. Each reads the block with
 * plugin-proxy's format and goes through {@link ConfigService#changeUpstreams}, so it is
 * validated against the sites (an upstream that locations name cannot go), stored with a
 * new version and an audit entry, and live at once. A drain is such a change too: it is a
 * stored setting of the server, so every node sees it and it survives restarts.
 */
public class UpstreamChanges {

	/**
	 * What a stored upstream's name may be: it is a path segment of the API and console.
	 */
	static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

	private final ConfigService config;

	/**
	 * Create the changes.
	 * @param config the configuration service
	 */
	public UpstreamChanges(ConfigService config) {
		this.config = Objects.requireNonNull(config, "config");
	}

	/**
	 * The name rule's problem with a name.
	 * @param name the name
	 * @return what is wrong, or {@code null}
	 */
	public static String nameProblem(String name) {
		if (name == null || name.isBlank()) {
			return "missing (expected: an upstream name)";
		}
		if (!NAME.matcher(name).matches()) {
			return "'" + name
					+ "' (expected: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit)";
		}
		return null;
	}

	/**
	 * Read an upstream's block as the API and the console send it.
	 * @param block the keys of the configuration document's entry
	 * @return the upstream
	 * @throws InvalidConfigurationException naming the field
	 */
	public static Upstream read(Map<?, ?> block) {
		Object name = block.get("name");
		String problem = nameProblem((name instanceof String text) ? text : (name != null) ? name.toString() : null);
		if (problem != null) {
			throw new InvalidFieldException("name", problem);
		}
		return UpstreamDocument.parse("upstreams[" + name + "]", block);
	}

	/**
	 * Create an upstream.
	 * @param block its keys, {@code name} included
	 * @param actor who asks
	 * @return the outcome
	 * @throws InvalidConfigurationException naming the field
	 * @throws ConfigurationConflictException when the name is taken
	 */
	public ConfigService.Outcome create(Map<?, ?> block, String actor) {
		Upstream upstream = read(block);
		return change((upstreams) -> {
			if (find(upstreams, upstream.name()) >= 0) {
				throw new ConfigurationConflictException(
						"name: an upstream named '" + upstream.name() + "' exists already");
			}
			List<Upstream> next = new ArrayList<>(upstreams);
			next.add(upstream);
			return next;
		}, actor);
	}

	/**
	 * Replace an upstream's definition; its name stays.
	 * @param name the upstream
	 * @param block its new keys; a {@code name} must be the same
	 * @param actor who asks
	 * @return the outcome
	 * @throws UpstreamNotFoundException when there is no such upstream
	 */
	public ConfigService.Outcome replace(String name, Map<?, ?> block, String actor) {
		Object named = block.get("name");
		if (named != null && !name.equals(String.valueOf(named))) {
			throw new InvalidFieldException("name", "'" + named + "' (expected: '" + name
					+ "'; an upstream's name cannot change, create a new upstream instead)");
		}
		Map<Object, Object> keys = new LinkedHashMap<>(block);
		keys.put("name", name);
		Upstream upstream = UpstreamDocument.parse("upstreams[" + name + "]", keys);
		return change((upstreams) -> {
			List<Upstream> next = new ArrayList<>(upstreams);
			next.set(existing(upstreams, name), upstream);
			return next;
		}, actor);
	}

	/**
	 * Delete an upstream.
	 * @param name the upstream
	 * @param actor who asks
	 * @return the outcome
	 * @throws UpstreamNotFoundException when there is no such upstream
	 * @throws ConfigurationConflictException naming the locations that still name it
	 */
	public ConfigService.Outcome delete(String name, String actor) {
		return change((upstreams) -> {
			List<Upstream> next = new ArrayList<>(upstreams);
			next.remove(existing(upstreams, name));
			return next;
		}, actor);
	}

	/**
	 * Drain a server (no new requests; those in flight finish) or take it back.
	 * @param name the upstream
	 * @param url the server's URL as listed
	 * @param drain whether to drain it
	 * @param actor who asks
	 * @return the outcome (not applied when the server already was so)
	 * @throws UpstreamNotFoundException when there is no such upstream or server
	 */
	public ConfigService.Outcome drain(String name, String url, boolean drain, String actor) {
		String checked = url(url);
		return edit(name, actor, (upstream) -> upstream.withDrain(server(upstream, checked).url().toString(), drain));
	}

	/**
	 * Add a server.
	 * @param name the upstream
	 * @param server the server
	 * @param actor who asks
	 * @return the outcome
	 * @throws ConfigurationConflictException when the upstream lists it already
	 */
	public ConfigService.Outcome addServer(String name, UpstreamServer server, String actor) {
		return edit(name, actor, (upstream) -> {
			if (upstream.servers().stream().anyMatch((listed) -> listed.url().equals(server.url()))) {
				throw new ConfigurationConflictException(
						"url: upstream " + name + " lists " + server.url() + " already");
			}
			List<UpstreamServer> servers = new ArrayList<>(upstream.servers());
			servers.add(server);
			return withServers(upstream, servers);
		});
	}

	/**
	 * Remove a server; the last one cannot go (delete the upstream instead).
	 * @param name the upstream
	 * @param url the server's URL as listed
	 * @param actor who asks
	 * @return the outcome
	 */
	public ConfigService.Outcome removeServer(String name, String url, String actor) {
		String checked = url(url);
		return edit(name, actor, (upstream) -> {
			UpstreamServer server = server(upstream, checked);
			if (upstream.servers().size() == 1) {
				throw new ConfigurationConflictException("url: " + checked + " is the only server of upstream " + name
						+ " (delete the upstream instead)");
			}
			List<UpstreamServer> servers = new ArrayList<>(upstream.servers());
			servers.remove(server);
			return withServers(upstream, servers);
		});
	}

	static Upstream withServers(Upstream upstream, List<UpstreamServer> servers) {
		try {
			return new Upstream(upstream.name(), upstream.balancer(), servers, upstream.maxFails(),
					upstream.failTimeout(), upstream.health(), upstream.hash(), upstream.retries(),
					upstream.retryTimeout(), upstream.timeouts(), upstream.tls());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationException("upstreams[" + upstream.name() + "]." + ex.getMessage());
		}
	}

	/**
	 * A server of an upstream, by its URL as listed (a trailing slash does not count).
	 * @throws UpstreamNotFoundException when the upstream does not list it
	 */
	static UpstreamServer server(Upstream upstream, String url) {
		String wanted = trimSlash(url);
		return upstream.servers()
			.stream()
			.filter((server) -> trimSlash(server.url().toString()).equalsIgnoreCase(wanted))
			.findFirst()
			.orElseThrow(
					() -> new UpstreamNotFoundException("upstream " + upstream.name() + ": no server '" + url + "'"));
	}

	private static String trimSlash(String url) {
		return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
	}

	private static String url(String url) {
		if (url == null || url.isBlank()) {
			throw new InvalidFieldException("url", "missing (expected: a server's URL as the upstream lists it)");
		}
		return url.strip();
	}

	private ConfigService.Outcome edit(String name, String actor, UnaryOperator<Upstream> edit) {
		return change((upstreams) -> {
			int index = existing(upstreams, name);
			List<Upstream> next = new ArrayList<>(upstreams);
			next.set(index, edit.apply(upstreams.get(index)));
			return next;
		}, actor);
	}

	private ConfigService.Outcome change(UnaryOperator<List<Upstream>> change, String actor) {
		return this.config.changeUpstreams(change, actor);
	}

	private static int find(List<Upstream> upstreams, String name) {
		for (int i = 0; i < upstreams.size(); i++) {
			if (upstreams.get(i).name().equals(name)) {
				return i;
			}
		}
		return -1;
	}

	private static int existing(List<Upstream> upstreams, String name) {
		int index = find(upstreams, name);
		if (index < 0) {
			throw new UpstreamNotFoundException("no upstream '" + name + "'");
		}
		return index;
	}

}
