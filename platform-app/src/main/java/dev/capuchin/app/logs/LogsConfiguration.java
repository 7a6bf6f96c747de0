package dev.capuchin.app.logs;

import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.plugin.logger.LogDestinations;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Where the logs page and {@code /api/logs} find a site's logs: the logger plugin's own
 * properties, read by the plugin's {@link LogDestinations}.
 */
@Configuration(proxyBeanMethods = false)
class LogsConfiguration {

	@Bean
	LogDestinations logDestinations(Environment environment, ConfigService config) {
		return LogDestinations.fromProperties(environment::getProperty, config.base());
	}

}
