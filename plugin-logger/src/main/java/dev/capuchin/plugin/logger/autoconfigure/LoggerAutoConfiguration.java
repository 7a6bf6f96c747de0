package dev.capuchin.plugin.logger.autoconfigure;

import java.util.Set;

import dev.capuchin.core.spi.PluginDescription;
import dev.capuchin.core.spi.Stage;
import dev.capuchin.plugin.logger.LoggerPlugin;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The logger plugin in a Spring Boot application: built from
 * {@code capuchin.plugins.logger.*} when {@code capuchin.plugins.logger.enabled} is true,
 * with the {@code logger} actuator endpoint where Actuator is present. Its description is
 * always there, so the {@code capuchin} endpoint lists the module when it is off.
 */
@AutoConfiguration
public final class LoggerAutoConfiguration {

	static final String ENABLED = "capuchin.plugins.logger.enabled";

	@Bean
	PluginDescription loggerPluginDescription(Environment environment) {
		return new PluginDescription(LoggerPlugin.NAME, environment.getProperty(ENABLED, Boolean.class, false),
				Set.of(Stage.LOG), LoggerPlugin.NAME);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(LoggerPlugin.class)
	@EnableConfigurationProperties(LoggerProperties.class)
	static class LoggerPluginConfiguration {

		// the kernel starts and stops its plugins
		@Bean(destroyMethod = "")
		@ConditionalOnBooleanProperty(ENABLED)
		@ConditionalOnMissingBean
		LoggerPlugin loggerPlugin(LoggerProperties properties) {
			return new LoggerPlugin(properties.toSettings());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ LoggerPlugin.class, Endpoint.class })
	static class LoggerEndpointConfiguration {

		@Bean
		@ConditionalOnBooleanProperty(ENABLED)
		@ConditionalOnMissingBean
		LoggerEndpoint loggerEndpoint(LoggerPlugin plugin) {
			return new LoggerEndpoint(plugin);
		}

	}

}
