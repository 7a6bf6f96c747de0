package dev.capuchin.plugin.proxy.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.capuchin.plugin.proxy.ProxyListener;
import dev.capuchin.plugin.proxy.ProxyOutcome;
import dev.capuchin.plugin.proxy.ServerCondition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The proxy's Micrometer meters: {@code capuchin.proxy.requests} (tags {@code upstream},
 * {@code server}, {@code outcome}: success, bad-status, connect-failure, timeout, reset,
 * loop, cancelled), {@code capuchin.proxy.duration} (a timer per upstream and server) and
 * {@code capuchin.proxy.server.state} (a gauge per upstream and server: 1 up, 0 down, 2
 * draining). Meters are looked up in maps of their own, so a try costs no registry
 * search. Events before the registry binds are not counted (there are none: the registry
 * binds before the server starts).
 */
public final class ProxyMetrics implements ProxyListener, MeterBinder {

	private volatile MeterRegistry registry;

	private final Map<String, Counter> requests = new ConcurrentHashMap<>();

	private final Map<String, Timer> durations = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> states = new ConcurrentHashMap<>();

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void onResponse(String upstream, String server, ProxyOutcome outcome, Duration duration) {
		if (this.registry == null) {
			return;
		}
		String key = upstream + '\n' + server;
		this.requests
			.computeIfAbsent(key + '\n' + outcome.key(),
					(k) -> Counter.builder("capuchin.proxy.requests")
						.description("Tries of proxied requests at upstream servers, by outcome")
						.tags(Tags.of("upstream", upstream, "server", server, "outcome", outcome.key()))
						.register(this.registry))
			.increment();
		this.durations
			.computeIfAbsent(key,
					(k) -> Timer.builder("capuchin.proxy.duration")
						.description("Time of tries at upstream servers, to the response's last byte")
						.tags(Tags.of("upstream", upstream, "server", server))
						.register(this.registry))
			.record(duration);
	}

	@Override
	public void onServerState(String upstream, String server, ServerCondition condition) {
		if (this.registry == null) {
			return;
		}
		this.states.computeIfAbsent(upstream + '\n' + server, (k) -> {
			AtomicInteger value = new AtomicInteger(condition.gauge());
			Gauge.builder("capuchin.proxy.server.state", value, AtomicInteger::get)
				.description("Upstream server state: 1 up, 0 down, 2 draining")
				.tags(Tags.of("upstream", upstream, "server", server))
				.register(this.registry);
			return value;
		}).set(condition.gauge());
	}

}
