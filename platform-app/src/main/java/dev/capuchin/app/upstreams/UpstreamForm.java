package dev.capuchin.app.upstreams;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.capuchin.app.shared.config.InvalidFieldException;
import dev.capuchin.plugin.proxy.Upstream;
import dev.capuchin.plugin.proxy.UpstreamServer;
import dev.capuchin.plugin.proxy.Upstreams;

/**
 * The Proxy page's form of an upstream: the settings people change most; every other key
 * of the upstream (timeouts, TLS, retries, hash, the health check's finer settings) is
 * kept as it is when the form is saved. Servers are one a line: the URL, then optionally
 * {@code weight=N}, {@code backup} and {@code drain}.
 *
 * @param name the upstream's name
 * @param balancer the balancer's key, such as {@code round-robin}
 * @param servers the servers, one a line
 * @param maxFails failures that put a server offline, blank for the default
 * @param failTimeout the window and offline time, such as {@code 10s}, blank for the
 * default
 * @param healthPath the active health check's path, blank for none
 * @param healthInterval the active health check's interval, blank for the default
 */
public record UpstreamForm(String name, String balancer, String servers, String maxFails, String failTimeout,
		String healthPath, String healthInterval) {

	/** The longest servers text accepted. */
	static final int MAX_SERVERS_TEXT = 64 * 1024;

	static UpstreamForm blank() {
		return new UpstreamForm("", Upstream.DEFAULT_BALANCER.key(), "", "", "", "", "");
	}

	static UpstreamForm of(Upstream upstream) {
		StringBuilder servers = new StringBuilder();
		for (UpstreamServer server : upstream.servers()) {
			servers.append(server.url());
			if (server.weight() != UpstreamServer.DEFAULT_WEIGHT) {
				servers.append(" weight=").append(server.weight());
			}
			if (server.backup()) {
				servers.append(" backup");
			}
			if (server.drain()) {
				servers.append(" drain");
			}
			servers.append('\n');
		}
		return new UpstreamForm(upstream.name(), upstream.balancer().key(), servers.toString(),
				Integer.toString(upstream.maxFails()), Upstreams.format(upstream.failTimeout()),
				(upstream.health() != null) ? upstream.health().path() : "",
				(upstream.health() != null) ? Upstreams.format(upstream.health().interval()) : "");
	}

	/**
	 * The upstream's block with this form's values.
	 * @param existing the upstream as stored, or {@code null} for a new one
	 * @return the block, {@code name} included
	 * @throws InvalidFieldException naming the form's field
	 */
	Map<String, Object> block(Upstream existing) {
		Map<String, Object> block = (existing != null) ? new LinkedHashMap<>(Upstreams.write(existing))
				: new LinkedHashMap<>();
		block.put("name", trimmed(this.name));
		put(block, "balancer", trimmed(this.balancer));
		block.put("servers", serverBlocks());
		put(block, "max-fails", number("maxFails", "max-fails", trimmed(this.maxFails)));
		put(block, "fail-timeout", trimmed(this.failTimeout));
		String path = trimmed(this.healthPath);
		if (path.isEmpty()) {
			block.remove("health");
		}
		else {
			Map<String, Object> health = new LinkedHashMap<>();
			if (block.get("health") instanceof Map<?, ?> before) {
				before.forEach((key, value) -> health.put(String.valueOf(key), value));
			}
			health.put("path", path);
			put(health, "interval", trimmed(this.healthInterval));
			block.put("health", health);
		}
		return block;
	}

	private List<Map<String, Object>> serverBlocks() {
		String text = (this.servers != null) ? this.servers : "";
		if (text.length() > MAX_SERVERS_TEXT) {
			throw new InvalidFieldException("servers", "longer than " + MAX_SERVERS_TEXT + " characters");
		}
		List<Map<String, Object>> servers = new ArrayList<>();
		String[] lines = text.split("\\R");
		for (int i = 0; i < lines.length; i++) {
			String line = lines[i].strip();
			if (line.isEmpty()) {
				continue;
			}
			String[] words = line.split("\\s+");
			Map<String, Object> server = new LinkedHashMap<>();
			server.put("url", words[0]);
			for (int w = 1; w < words.length; w++) {
				String word = words[w];
				if (word.equals("backup") || word.equals("drain")) {
					server.put(word, true);
				}
				else if (word.startsWith("weight=")) {
					server.put("weight",
							number("servers", "line " + (i + 1) + ": weight", word.substring("weight=".length())));
				}
				else {
					throw new InvalidFieldException("servers",
							"line " + (i + 1) + ": '" + word + "' (expected: weight=N, backup or drain after the URL)");
				}
			}
			servers.add(server);
		}
		if (servers.isEmpty()) {
			throw new InvalidFieldException("servers",
					"none (expected: at least one server URL, such as " + "http://127.0.0.1:9001)");
		}
		return servers;
	}

	private static Object number(String field, String label, String text) {
		if (text.isEmpty()) {
			return "";
		}
		try {
			return Integer.parseInt(text);
		}
		catch (NumberFormatException ex) {
			throw new InvalidFieldException(field, label + ": '" + text + "' (expected: a whole number)");
		}
	}

	private static void put(Map<String, Object> block, String key, Object value) {
		if (value == null || "".equals(value)) {
			block.remove(key);
		}
		else {
			block.put(key, value);
		}
	}

	private static String trimmed(String value) {
		return (value != null) ? value.strip() : "";
	}

}
