package dev.capuchin.plugin.mandril.autoconfigure;

import dev.capuchin.plugin.mandril.MandrilPlugin;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;

/**
 * The plugin's counters as Micrometer meters:
 * {@code capuchin.mandril.connections.refused} (tag {@code reason}: {@code address} or
 * {@code limit}), {@code capuchin.mandril.requests.denied} (403) and
 * {@code capuchin.mandril.requests.limited} (429).
 */
public final class MandrilMetrics implements MeterBinder {

	private final ObjectProvider<MandrilPlugin> plugin;

	MandrilMetrics(ObjectProvider<MandrilPlugin> plugin) {
		this.plugin = plugin;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.plugin.ifAvailable((mandril) -> {
			FunctionCounter.builder("capuchin.mandril.connections.refused", mandril, MandrilPlugin::deniedConnections)
				.tag("reason", "address")
				.description("Connections closed at CONNECT by address rules")
				.register(registry);
			FunctionCounter.builder("capuchin.mandril.connections.refused", mandril, MandrilPlugin::limitedConnections)
				.tag("reason", "limit")
				.description("Connections closed at CONNECT by max-connections-per-ip")
				.register(registry);
			FunctionCounter.builder("capuchin.mandril.requests.denied", mandril, MandrilPlugin::deniedRequests)
				.description("Requests answered 403 by address, path or hotlink rules")
				.register(registry);
			FunctionCounter.builder("capuchin.mandril.requests.limited", mandril, MandrilPlugin::rateLimitedRequests)
				.description("Requests answered 429 by a rate limit")
				.register(registry);
		});
	}

}
