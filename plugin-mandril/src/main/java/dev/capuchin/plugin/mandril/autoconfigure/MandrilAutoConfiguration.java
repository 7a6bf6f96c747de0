package dev.capuchin.plugin.mandril.autoconfigure;

import dev.capuchin.core.spi.PluginDescription;
import dev.capuchin.plugin.mandril.MandrilPlugin;
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
 * The mandril plugin as a bean when {@code capuchin.plugins.mandril.enabled} is true (the
 * {@code mandril} profile sets it), its Micrometer counters when Micrometer is on the
 * class path, and always its {@link PluginDescription}.
 */
@AutoConfiguration
@EnableConfigurationProperties(MandrilProperties.class)
public final class MandrilAutoConfiguration {

	static final String ENABLED = "capuchin.plugins.mandril.enabled";

	@Bean
	@ConditionalOnClass(MandrilPlugin.class)
	@ConditionalOnBooleanProperty(ENABLED)
	@ConditionalOnMissingBean
	MandrilPlugin mandrilPlugin(MandrilProperties properties) {
		return new MandrilPlugin(properties.toSettings());
	}

	@Bean
	PluginDescription mandrilPluginDescription(Environment environment) {
		boolean enabled = environment.getProperty(ENABLED, Boolean.class, false);
		int maxConnectionsPerIp = environment.getProperty("capuchin.plugins.mandril.max-connections-per-ip",
				Integer.class, 0);
		return new PluginDescription(MandrilPlugin.NAME, enabled, MandrilPlugin.stages(maxConnectionsPerIp),
				MandrilPlugin.NAME);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ MeterBinder.class, MandrilPlugin.class })
	static final class MandrilMetricsConfiguration {

		@Bean
		@ConditionalOnBooleanProperty(ENABLED)
		@ConditionalOnMissingBean(MandrilMetrics.class)
		MandrilMetrics mandrilMetrics(ObjectProvider<MandrilPlugin> plugin) {
			return new MandrilMetrics(plugin);
		}

	}

}
