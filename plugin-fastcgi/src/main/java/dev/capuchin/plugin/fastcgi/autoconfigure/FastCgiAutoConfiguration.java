package dev.capuchin.plugin.fastcgi.autoconfigure;

import java.util.Set;

import dev.capuchin.core.spi.PluginDescription;
import dev.capuchin.core.spi.Stage;
import dev.capuchin.plugin.fastcgi.FastCgiObserver;
import dev.capuchin.plugin.fastcgi.FastCgiPlugin;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The FastCGI plugin as a bean when {@code capuchin.plugins.fastcgi.enabled} is true (the
 * {@code fastcgi} profile sets it), its {@code capuchin.fastcgi.requests} counter where
 * Micrometer is, and always its {@link PluginDescription}.
 */
@AutoConfiguration
@EnableConfigurationProperties(FastCgiProperties.class)
public final class FastCgiAutoConfiguration {

	static final String ENABLED = "capuchin.plugins.fastcgi.enabled";

	private static final String NAME = "fastcgi";

	@Bean
	@ConditionalOnClass(FastCgiPlugin.class)
	@ConditionalOnBooleanProperty(ENABLED)
	@ConditionalOnMissingBean
	FastCgiPlugin fastCgiPlugin(FastCgiProperties properties, ObjectProvider<FastCgiObserver> observer) {
		return new FastCgiPlugin(properties.toSettings(), observer.getIfAvailable(() -> FastCgiObserver.NONE));
	}

	@Bean
	PluginDescription fastcgiPluginDescription(Environment environment) {
		boolean enabled = environment.getProperty(ENABLED, Boolean.class, false);
		// no reference to the plugin's classes: the description stays when they are
		// absent
		return new PluginDescription(NAME, enabled, Set.of(Stage.HANDLE), NAME);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ MeterBinder.class, FastCgiPlugin.class })
	static final class FastCgiMetricsConfiguration {

		@Bean
		@ConditionalOnBooleanProperty(ENABLED)
		@ConditionalOnMissingBean
		FastCgiMetrics fastCgiMetrics() {
			return new FastCgiMetrics();
		}

	}

}
