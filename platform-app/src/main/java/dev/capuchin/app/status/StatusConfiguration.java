package dev.capuchin.app.status;

import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.core.internal.server.CapuchinServer;
import dev.capuchin.core.spi.PluginDescription;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one {@link StatusReader} of the dashboard, {@code /api/status} and
 * {@code /actuator/capuchin}.
 */
@Configuration(proxyBeanMethods = false)
class StatusConfiguration {

	@Bean
	StatusReader statusReader(ObjectProvider<CapuchinServer> server, ConfigService config, RequestCounter counter,
			RequestRates rates, ObjectProvider<PluginDescription> descriptions) {
		return new StatusReader(server::getIfAvailable, config::appliedVersion, counter, rates,
				descriptions.orderedStream().toList());
	}

}
