package dev.capuchin.app.sites;

import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.core.spi.Plugin;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The defaults new sites get.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SitesConfiguration.LogsProperties.class)
class SitesConfiguration {

	@Bean
	DefaultLogs defaultLogs(LogsProperties properties, ConfigService config, ObjectProvider<Plugin> plugins) {
		boolean logger = plugins.stream().anyMatch((plugin) -> DefaultLogs.LOGGER.equals(plugin.name()));
		String dir = properties.defaultDir();
		return new DefaultLogs((dir == null || dir.isBlank()) ? null : config.base().resolve(dir.trim()), logger);
	}

	/**
	 * {@code capuchin.logs.*}: the logs of new sites.
	 *
	 * @param defaultDir where a new site's access and error logs go
	 * ({@code <site>.access.log}, {@code <site>.error.log}), relative to the working
	 * directory; empty for no default logs
	 */
	@ConfigurationProperties("capuchin.logs")
	record LogsProperties(@DefaultValue(DEFAULT_DIR) String defaultDir) {

		/** The default directory of new sites' logs. */
		static final String DEFAULT_DIR = "logs";

	}

}
