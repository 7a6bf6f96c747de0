package dev.capuchin.plugin.auth.autoconfigure;

import dev.capuchin.core.spi.PluginDescription;
import dev.capuchin.plugin.auth.AuthPlugin;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The auth plugin as a bean when {@code capuchin.plugins.auth.enabled} is true (the
 * {@code auth} profile sets it), and always its {@link PluginDescription}.
 */
@AutoConfiguration
@EnableConfigurationProperties(AuthProperties.class)
public final class AuthAutoConfiguration {

	static final String ENABLED = "capuchin.plugins.auth.enabled";

	@Bean(destroyMethod = "stop")
	@ConditionalOnClass(AuthPlugin.class)
	@ConditionalOnBooleanProperty(ENABLED)
	@ConditionalOnMissingBean
	AuthPlugin authPlugin(AuthProperties properties) {
		return new AuthPlugin(properties.toSettings(), properties.toBearerSettings());
	}

	@Bean
	PluginDescription authPluginDescription(Environment environment) {
		boolean enabled = environment.getProperty(ENABLED, Boolean.class, false);
		return new PluginDescription(AuthPlugin.NAME, enabled, AuthPlugin.STAGES, AuthPlugin.NAME);
	}

}
