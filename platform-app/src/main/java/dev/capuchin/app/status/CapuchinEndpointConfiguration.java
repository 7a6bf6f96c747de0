package dev.capuchin.app.status;

import dev.capuchin.core.internal.server.CapuchinServer;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers the {@code capuchin} actuator endpoint and the kernel's metrics.
 */
@Configuration(proxyBeanMethods = false)
class CapuchinEndpointConfiguration {

	@Bean
	@ConditionalOnAvailableEndpoint
	@ConditionalOnBooleanProperty(name = "capuchin.server.enabled", matchIfMissing = true)
	CapuchinEndpoint capuchinEndpoint(StatusReader status) {
		return new CapuchinEndpoint(status);
	}

	@Bean
	@ConditionalOnBooleanProperty(name = "capuchin.server.enabled", matchIfMissing = true)
	KernelMetrics capuchinKernelMetrics(CapuchinServer server, MeterRegistry registry) {
		return new KernelMetrics(server, registry);
	}

	@Bean
	@ConditionalOnBooleanProperty(name = "capuchin.server.enabled", matchIfMissing = true)
	RequestMetrics capuchinRequestMetrics(MeterRegistry registry) {
		return new RequestMetrics(registry);
	}

}
