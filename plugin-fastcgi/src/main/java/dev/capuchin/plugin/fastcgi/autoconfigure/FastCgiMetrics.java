package dev.capuchin.plugin.fastcgi.autoconfigure;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.capuchin.plugin.fastcgi.FastCgiObserver;
import dev.capuchin.plugin.fastcgi.FastCgiOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Counts the requests passed to application servers as the Micrometer counter
 * {@code capuchin.fastcgi.requests}, tagged {@code site}, {@code server} and
 * {@code outcome} ({@code responded}, {@code bad_gateway}, {@code timeout}, {@code busy},
 * {@code client_gone}). Counters are looked up once per tag combination; the tags are
 * bounded by the configured sites and servers. Spring Boot binds it to the application's
 * registry; requests before that are not counted.
 */
public final class FastCgiMetrics implements FastCgiObserver, MeterBinder {

	/** The counter's name. */
	public static final String REQUESTS = "capuchin.fastcgi.requests";

	private final Map<Key, Counter> counters = new ConcurrentHashMap<>();

	private volatile MeterRegistry registry;

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void requestEnded(String site, String server, FastCgiOutcome outcome) {
		MeterRegistry target = this.registry;
		if (target == null) {
			return;
		}
		this.counters
			.computeIfAbsent(new Key(site, server, outcome),
					(key) -> Counter.builder(REQUESTS)
						.description("Requests passed to FastCGI application servers")
						.tag("site", key.site())
						.tag("server", key.server())
						.tag("outcome", key.outcome().tag())
						.register(target))
			.increment();
	}

	private record Key(String site, String server, FastCgiOutcome outcome) {
	}

}
