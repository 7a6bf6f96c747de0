package dev.capuchin.plugin.auth.autoconfigure;

import dev.capuchin.core.spi.PluginDescription;
import dev.capuchin.plugin.auth.AuthPlugin;
import dev.capuchin.plugin.auth.MemoryOpenIdRevocations;
import dev.capuchin.plugin.auth.OpenIdRevocations;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.beans.factory.ObjectProvider;
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
	AuthPlugin authPlugin(AuthProperties properties, ObjectProvider<OpenIdRevocations> revocations) {
		// a cluster shares back-channel logouts through its store; alone, a node keeps
		// them in memory
		return new AuthPlugin(properties.toSettings(), properties.toBearerSettings(),
				revocations.getIfAvailable(MemoryOpenIdRevocations::new));
	}

	@Bean
	PluginDescription authPluginDescription(Environment environment) {
		boolean enabled = environment.getProperty(ENABLED, Boolean.class, false);
		return new PluginDescription(AuthPlugin.NAME, enabled, AuthPlugin.STAGES, AuthPlugin.NAME);
	}

}
