package dev.capuchin.plugin.proxy.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

import dev.capuchin.plugin.proxy.CacheResult;
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
 * draining), and for the cache {@code capuchin.cache.requests} (tags {@code zone},
 * {@code result}). Meters are looked up in maps of their own, so a try costs no registry
 * search. Events before the registry binds are not counted (there are none: the registry
 * binds before the server starts).
 */
public final class ProxyMetrics implements ProxyListener, MeterBinder {

	private volatile MeterRegistry registry;

	// by upstream, then server: the names are the trackers' own strings, whose hashes are
	// cached, so a try costs two map lookups and no key built per request
	private final Map<String, Map<String, ServerMeters>> meters = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> states = new ConcurrentHashMap<>();

	private final Map<String, Counter[]> cache = new ConcurrentHashMap<>();

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void onResponse(String upstream, String server, ProxyOutcome outcome, Duration duration) {
		MeterRegistry bound = this.registry;
		if (bound == null) {
			return;
		}
		ServerMeters each = this.meters.computeIfAbsent(upstream, (k) -> new ConcurrentHashMap<>())
			.computeIfAbsent(server, (k) -> new ServerMeters(bound, upstream, server));
		each.requests(outcome).increment();
		each.duration.record(duration);
	}

	@Override
	public void onCache(String zone, CacheResult result) {
		MeterRegistry bound = this.registry;
		if (bound == null) {
			return;
		}
		Counter[] counters = this.cache.computeIfAbsent(zone, (name) -> {
			Counter[] each = new Counter[CacheResult.values().length];
			for (CacheResult one : CacheResult.values()) {
				each[one.ordinal()] = Counter.builder("capuchin.cache.requests")
					.description("Requests of cached locations, by what the cache did")
					.tags(Tags.of("zone", name, "result", one.key()))
					.register(bound);
			}
			return each;
		});
		counters[result.ordinal()].increment();
	}

	/** One server's meters: a counter per outcome, made when first seen, and a timer. */
	private static final class ServerMeters {

		private final MeterRegistry registry;

		private final String upstream;

		private final String server;

		private final Timer duration;

		private final AtomicReferenceArray<Counter> requests = new AtomicReferenceArray<>(ProxyOutcome.values().length);

		ServerMeters(MeterRegistry registry, String upstream, String server) {
			this.registry = registry;
			this.upstream = upstream;
			this.server = server;
			this.duration = Timer.builder("capuchin.proxy.duration")
				.description("Time of tries at upstream servers, to the response's last byte")
				.tags(Tags.of("upstream", upstream, "server", server))
				.register(registry);
		}

		Counter requests(ProxyOutcome outcome) {
			Counter counter = this.requests.get(outcome.ordinal());
			if (counter == null) {
				// registering twice returns the same counter
				counter = Counter.builder("capuchin.proxy.requests")
					.description("Tries of proxied requests at upstream servers, by outcome")
					.tags(Tags.of("upstream", this.upstream, "server", this.server, "outcome", outcome.key()))
					.register(this.registry);
				this.requests.set(outcome.ordinal(), counter);
			}
			return counter;
		}

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
