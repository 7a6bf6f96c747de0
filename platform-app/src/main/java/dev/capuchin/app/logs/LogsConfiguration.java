package dev.capuchin.app.logs;

import dev.capuchin.app.shared.config.ConfigService;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Where the logs page and {@code /api/logs} find a site's logs: the logger plugin's own
 * properties.
 */
@Configuration(proxyBeanMethods = false)
class LogsConfiguration {

	@Bean
	LogFiles logFiles(Environment environment, ConfigService config) {
		return new LogFiles(environment.getProperty(LogFiles.PREFIX + "enabled", Boolean.class, false),
				environment.getProperty(LogFiles.PREFIX + "access-log"),
				environment.getProperty(LogFiles.PREFIX + "error-log"), config.base());
	}

}
