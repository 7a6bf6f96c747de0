package dev.capuchin.app.upstreams;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.capuchin.app.shared.config.InvalidConfigurationException;
import dev.capuchin.app.transfer.ConfigDocument;
import dev.capuchin.plugin.proxy.Upstream;
import dev.capuchin.plugin.proxy.Upstreams;

/**
 * The {@code upstreams:} list of a configuration document: each entry read with
 * plugin-proxy's {@link Upstreams#parse}, which names the entry and field at fault
 * ({@code upstreams[0].servers[1].url: ...}); names are unique and follow
 * {@link UpstreamChanges#nameProblem(String)}, since the console and the API use them in
 * paths.
 */
public final class UpstreamDocument {

	/** The most upstreams one configuration holds. */
	public static final int MAX_UPSTREAMS = 1000;

	private UpstreamDocument() {
	}

	/**
	 * Read the list.
	 * @param raw the value of {@code upstreams:}, or {@code null} for none
	 * @return the upstreams, in document order
	 * @throws InvalidConfigurationException naming the entry and field at fault
	 */
	public static List<Upstream> read(Object raw) {
		if (raw == null) {
			return List.of();
		}
		if (!(raw instanceof List<?> list)) {
			throw new InvalidConfigurationException("upstreams: expected a list of upstreams");
		}
		if (list.size() > MAX_UPSTREAMS) {
			throw new InvalidConfigurationException(
					"upstreams: " + list.size() + " upstreams (expected: at most " + MAX_UPSTREAMS + ")");
		}
		List<Upstream> upstreams = new ArrayList<>();
		Set<String> names = new HashSet<>();
		for (int i = 0; i < list.size(); i++) {
			String field = "upstreams[" + i + "]";
			if (!(list.get(i) instanceof Map<?, ?> map)) {
				throw new InvalidConfigurationException(field + ": expected a mapping (name, balancer, servers, ...)");
			}
			Upstream upstream = parse(field, map);
			String problem = UpstreamChanges.nameProblem(upstream.name());
			if (problem != null) {
				throw new InvalidConfigurationException(field + ".name: " + problem);
			}
			if (!names.add(upstream.name())) {
				throw new InvalidConfigurationException(field + ".name: '" + upstream.name() + "' is listed twice");
			}
			upstreams.add(upstream);
		}
		return upstreams;
	}

	/**
	 * Read one upstream's block.
	 * @param field the field the block is at, for messages
	 * @param block the block, with its {@code name}
	 * @return the upstream
	 * @throws InvalidConfigurationException naming the field at fault
	 */
	public static Upstream parse(String field, Map<?, ?> block) {
		try {
			return Upstreams.parse(field, block);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationException(ex.getMessage());
		}
	}

	/**
	 * One upstream in document form.
	 * @param upstream the upstream
	 * @return its keys, {@code name} first
	 */
	public static Map<String, Object> map(Upstream upstream) {
		Map<String, Object> written = new LinkedHashMap<>(Upstreams.write(upstream));
		Map<String, Object> ordered = new LinkedHashMap<>();
		ordered.put("name", upstream.name());
		written.remove("name");
		ordered.putAll(written);
		return ordered;
	}

	/**
	 * One upstream as YAML text, for diffs and the audit log.
	 * @param upstream the upstream, or {@code null}
	 * @return the YAML, or {@code null}
	 */
	public static String yaml(Upstream upstream) {
		return (upstream != null) ? ConfigDocument.yaml().dump(map(upstream)) : null;
	}

}
