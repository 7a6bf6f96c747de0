package dev.capuchin.plugin.proxy.autoconfigure;

import java.time.Clock;
import java.util.Set;

import dev.capuchin.core.spi.PluginDescription;
import dev.capuchin.core.spi.Stage;
import dev.capuchin.plugin.proxy.ProxyListener;
import dev.capuchin.plugin.proxy.ProxyPlugin;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
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
 * The proxy plugin as a bean when {@code capuchin.plugins.proxy.enabled} is true (the
 * {@code proxy} profile sets it), with Micrometer meters when a registry is present, and
 * always its {@link PluginDescription}.
 */
@AutoConfiguration
@EnableConfigurationProperties(ProxyProperties.class)
public final class ProxyAutoConfiguration {

	static final String ENABLED = "capuchin.plugins.proxy.enabled";

	private static final String NAME = "proxy";

	@Bean
	@ConditionalOnClass(ProxyPlugin.class)
	@ConditionalOnBooleanProperty(ENABLED)
	@ConditionalOnMissingBean
	ProxyPlugin proxyPlugin(ProxyProperties properties, ObjectProvider<ProxyListener> listener) {
		return new ProxyPlugin(properties.toSettings(), listener.getIfAvailable(() -> ProxyListener.NONE),
				Clock.systemUTC());
	}

	@Bean
	PluginDescription proxyPluginDescription(Environment environment) {
		boolean enabled = environment.getProperty(ENABLED, Boolean.class, false);
		// no reference to the plugin's classes: the description stays when they are
		// absent
		return new PluginDescription(NAME, enabled, Set.of(Stage.HANDLE), NAME);
	}

	/** Meters, when Micrometer is there. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	@ConditionalOnBooleanProperty(ENABLED)
	static final class Metrics {

		@Bean
		@ConditionalOnMissingBean(ProxyListener.class)
		ProxyMetrics proxyMetrics() {
			return new ProxyMetrics();
		}

		@Bean
		MeterBinder proxyCacheSizes(ObjectProvider<ProxyPlugin> plugins) {
			// capuchin.cache.size per zone and tier; a zone without a disk tier reads 0
			// there
			return (registry) -> plugins
				.ifAvailable((plugin) -> plugin.settings().cacheZones().keySet().forEach((zone) -> {
					Gauge.builder("capuchin.cache.size", plugin, (each) -> each.cacheMemoryBytes(zone))
						.description("Bytes a cache zone's entries take, by tier")
						.baseUnit("bytes")
						.tags(Tags.of("zone", zone, "tier", "memory"))
						.register(registry);
					Gauge.builder("capuchin.cache.size", plugin, (each) -> each.cacheDiskBytes(zone))
						.description("Bytes a cache zone's entries take, by tier")
						.baseUnit("bytes")
						.tags(Tags.of("zone", zone, "tier", "disk"))
						.register(registry);
				}));
		}

	}

}
