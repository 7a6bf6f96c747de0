package dev.capuchin.app.upstreams;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.capuchin.app.shared.config.InvalidConfigurationException;
import dev.capuchin.app.transfer.ConfigDocument;
import dev.capuchin.plugin.proxy.Upstream;
import dev.capuchin.plugin.proxy.Upstreams;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Named upstreams in the {@code proxy_upstream} table, in the order they were listed.
 * Each row keeps the upstream's block as plugin-proxy writes it ({@link Upstreams#write})
 * as YAML text, read back through {@link Upstreams#parse}, so the app never holds a copy
 * of the format. Callers own the transaction.
 */
public class UpstreamStore {

	private final JdbcTemplate jdbc;

	public UpstreamStore(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Every upstream, in position order.
	 * @return the upstreams
	 * @throws InvalidConfigurationException when a stored definition no longer parses
	 * (for example after a downgrade of plugin-proxy), naming the upstream
	 */
	public List<Upstream> findAll() {
		return this.jdbc.query("select name, definition from proxy_upstream order by position",
				(rs, row) -> read(rs.getString("name"), rs.getString("definition")));
	}

	/**
	 * Make the stored upstreams these: missing ones are deleted, new ones inserted,
	 * changed definitions and positions updated. Upstreams that stay keep their creation
	 * time.
	 * @param upstreams the upstreams, with unique names
	 */
	public void replaceAll(List<Upstream> upstreams) {
		Map<String, String> stored = new LinkedHashMap<>();
		Map<String, Integer> positions = new LinkedHashMap<>();
		this.jdbc.query("select name, position, definition from proxy_upstream", (rs) -> {
			stored.put(rs.getString("name"), rs.getString("definition"));
			positions.put(rs.getString("name"), rs.getInt("position"));
		});
		Timestamp now = Timestamp.from(Instant.now());
		// positions are not unique in the table, so rows can be renumbered in any order
		for (int i = 0; i < upstreams.size(); i++) {
			Upstream upstream = upstreams.get(i);
			String definition = write(upstream);
			String before = stored.remove(upstream.name());
			if (before == null) {
				this.jdbc.update(
						"insert into proxy_upstream (name, position, definition, created_at) values (?, ?, ?, ?)",
						upstream.name(), i, definition, now);
			}
			else if (!before.equals(definition) || positions.get(upstream.name()) != i) {
				this.jdbc.update("update proxy_upstream set position = ?, definition = ? where name = ?", i, definition,
						upstream.name());
			}
		}
		for (String gone : stored.keySet()) {
			this.jdbc.update("delete from proxy_upstream where name = ?", gone);
		}
	}

	/**
	 * When each stored upstream was created.
	 * @return the creation time by name
	 */
	public Map<String, Instant> createdAt() {
		Map<String, Instant> created = new LinkedHashMap<>();
		this.jdbc.query("select name, created_at from proxy_upstream", (rs) -> {
			created.put(rs.getString("name"), rs.getTimestamp("created_at").toInstant());
		});
		return created;
	}

	static String write(Upstream upstream) {
		return ConfigDocument.yaml().dump(new LinkedHashMap<>(Upstreams.write(upstream)));
	}

	private static Upstream read(String name, String definition) {
		Object parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(definition);
		if (!(parsed instanceof Map<?, ?> map)) {
			throw new InvalidConfigurationException("upstream " + name + ": stored definition is not a mapping");
		}
		Map<String, Object> block = new LinkedHashMap<>();
		block.put("name", name);
		map.forEach((key, value) -> block.put(String.valueOf(key), value));
		try {
			return Upstreams.parse("upstreams[" + name + "]", block);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationException("stored " + ex.getMessage());
		}
	}

}
