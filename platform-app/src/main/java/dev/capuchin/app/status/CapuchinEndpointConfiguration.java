package dev.capuchin.app.status;

import dev.capuchin.core.internal.server.CapuchinServer;
import dev.capuchin.core.spi.PluginDescription;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers the {@code capuchin} actuator endpoint.
 */
@Configuration(proxyBeanMethods = false)
class CapuchinEndpointConfiguration {

	@Bean
	@ConditionalOnAvailableEndpoint
	@ConditionalOnBooleanProperty(name = "capuchin.server.enabled", matchIfMissing = true)
	CapuchinEndpoint capuchinEndpoint(CapuchinServer server, ObjectProvider<PluginDescription> descriptions) {
		return new CapuchinEndpoint(server, descriptions.orderedStream().toList());
	}

	@Bean
	@ConditionalOnBooleanProperty(name = "capuchin.server.enabled", matchIfMissing = true)
	KernelMetrics capuchinKernelMetrics(CapuchinServer server, MeterRegistry registry) {
		return new KernelMetrics(server, registry);
	}

}
