package dev.capuchin.app.upstreams;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import dev.capuchin.plugin.proxy.Upstream;
import dev.capuchin.plugin.proxy.UpstreamServer;
import dev.capuchin.plugin.proxy.UpstreamState;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code /actuator/health}'s {@code upstreams} component: one indicator per stored
 * upstream, read afresh on each call so that upstreams added or removed since start
 * appear at once. An upstream is UP while at least one of its primary (non-backup)
 * servers is up on this node, DOWN when none is (backups alone are a degraded service
 * worth an alert), and UNKNOWN while the proxy plugin does not run or no location uses
 * it; the details give each server's state.
 */
class UpstreamHealth implements CompositeHealthContributor {

	private final Supplier<List<Upstream>> upstreams;

	private final LiveUpstreams live;

	UpstreamHealth(Supplier<List<Upstream>> upstreams, LiveUpstreams live) {
		this.upstreams = upstreams;
		this.live = live;
	}

	@Override
	public HealthContributor getContributor(String name) {
		return this.upstreams.get()
			.stream()
			.filter((upstream) -> upstream.name().equals(name))
			.findFirst()
			.map(this::indicator)
			.orElse(null);
	}

	@Override
	public Stream<HealthContributors.Entry> stream() {
		return this.upstreams.get()
			.stream()
			.map((upstream) -> new HealthContributors.Entry(upstream.name(), indicator(upstream)));
	}

	private HealthIndicator indicator(Upstream upstream) {
		return () -> health(upstream, this.live.states());
	}

	static Health health(Upstream upstream, Map<String, UpstreamState> states) {
		if (!states.containsKey(upstream.name())) {
			return Health.unknown()
				.withDetail("reason",
						states.isEmpty() ? "the proxy plugin does not run" : "no location uses this upstream")
				.build();
		}
		boolean primaryUp = false;
		Health.Builder health = Health.unknown();
		for (UpstreamServer server : upstream.servers()) {
			UpstreamState.ServerState state = LiveUpstreams.server(states, upstream.name(), server.url().toString());
			String condition = (state != null) ? state.state().key() : "unknown";
			health.withDetail(server.url().toString(), server.backup() ? condition + " (backup)" : condition);
			primaryUp |= !server.backup() && "up".equals(condition);
		}
		return primaryUp ? health.up().build() : health.down().build();
	}

}
