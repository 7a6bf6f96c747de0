package dev.capuchin.plugin.cgi.autoconfigure;

import dev.capuchin.core.spi.PluginDescription;
import dev.capuchin.plugin.cgi.CgiOutcomeListener;
import dev.capuchin.plugin.cgi.CgiPlugin;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The CGI plugin as a bean when {@code capuchin.plugins.cgi.enabled} is true (the
 * {@code cgi} profile sets it), its {@code capuchin.cgi.requests} counter when a
 * Micrometer registry is present, and always its {@link PluginDescription}.
 */
@AutoConfiguration(afterName = {
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration" })
@EnableConfigurationProperties(CgiProperties.class)
public final class CgiAutoConfiguration {

	static final String ENABLED = "capuchin.plugins.cgi.enabled";

	@Bean
	@ConditionalOnClass(CgiPlugin.class)
	@ConditionalOnBooleanProperty(ENABLED)
	@ConditionalOnMissingBean
	CgiPlugin cgiPlugin(CgiProperties properties, ObjectProvider<CgiOutcomeListener> listener) {
		return new CgiPlugin(properties.toSettings(), listener.getIfAvailable(() -> CgiOutcomeListener.NONE));
	}

	@Bean
	PluginDescription cgiPluginDescription(Environment environment) {
		boolean enabled = environment.getProperty(ENABLED, Boolean.class, false);
		return new PluginDescription(CgiPlugin.NAME, enabled, CgiPlugin.STAGES, CgiPlugin.NAME);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ MeterRegistry.class, CgiPlugin.class })
	static final class CgiMetricsConfiguration {

		@Bean
		@ConditionalOnBooleanProperty(ENABLED)
		@ConditionalOnBean(MeterRegistry.class)
		@ConditionalOnMissingBean(CgiOutcomeListener.class)
		CgiMetrics cgiMetrics(MeterRegistry registry) {
			return new CgiMetrics(registry);
		}

	}

}
