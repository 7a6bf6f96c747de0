package dev.capuchin.app.upstreams;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.capuchin.plugin.proxy.Upstream;
import dev.capuchin.plugin.proxy.UpstreamServer;
import dev.capuchin.plugin.proxy.UpstreamState;

/**
 * An upstream as the API shows it: its definition in configuration-document form (the
 * balancer always named), each server with its stored settings and, when the proxy plugin
 * runs and a location uses the upstream, its live state ({@code state}: up, down or
 * draining; {@code offline-until}, {@code in-flight}, requests and failures, the last
 * health check and error); and the locations that use it.
 */
final class UpstreamViews {

	private UpstreamViews() {
	}

	static Map<String, Object> view(Upstream upstream, Map<String, UpstreamState> states,
			List<UpstreamReferences.Reference> usage) {
		Map<String, Object> view = new LinkedHashMap<>(UpstreamDocument.map(upstream));
		view.put("balancer", upstream.balancer().key());
		List<Map<String, Object>> servers = new ArrayList<>();
		for (UpstreamServer server : upstream.servers()) {
			servers.add(server(server, LiveUpstreams.server(states, upstream.name(), server.url().toString())));
		}
		view.put("servers", servers);
		view.put("used-by", usage.stream().map((reference) -> {
			Map<String, Object> use = new LinkedHashMap<>();
			use.put("site", reference.site());
			use.put("location", reference.location());
			use.put("match", reference.match());
			return use;
		}).toList());
		return view;
	}

	static Map<String, Object> server(UpstreamServer server, UpstreamState.ServerState state) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("url", server.url().toString());
		view.put("weight", server.weight());
		view.put("backup", server.backup());
		view.put("drain", server.drain());
		if (state == null) {
			return view;
		}
		view.put("state", state.state().key());
		if (state.offlineUntil() != null) {
			view.put("offline-until", state.offlineUntil().toString());
		}
		view.put("in-flight", state.inFlight());
		view.put("requests", state.requests());
		view.put("failures", state.failures());
		view.put("requests-per-minute", state.requestsPerMinute());
		view.put("failures-per-minute", state.failuresPerMinute());
		if (state.lastHealthCheck() != null) {
			Map<String, Object> check = new LinkedHashMap<>();
			check.put("time", state.lastHealthCheck().time().toString());
			check.put("healthy", state.lastHealthCheck().healthy());
			check.put("outcome", state.lastHealthCheck().outcome());
			view.put("last-health-check", check);
		}
		if (state.lastError() != null) {
			Map<String, Object> error = new LinkedHashMap<>();
			error.put("time", state.lastError().time().toString());
			error.put("message", state.lastError().message());
			view.put("last-error", error);
		}
		return view;
	}

}
