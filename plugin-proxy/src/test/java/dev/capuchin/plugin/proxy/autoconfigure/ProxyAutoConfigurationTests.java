package dev.capuchin.plugin.proxy.autoconfigure;

import java.nio.file.Path;

import dev.capuchin.core.spi.PluginDescription;
import dev.capuchin.plugin.proxy.ProxyPlugin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class ProxyAutoConfigurationTests {

	@TempDir
	Path temp;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ProxyAutoConfiguration.class));

	@Test
	void pluginIsOffByDefaultButDescribed() {
		this.runner.run((context) -> {
			assertThat(context).doesNotHaveBean(ProxyPlugin.class);
			assertThat(context.getBean(PluginDescription.class).enabled()).isFalse();
		});
	}

	@Test
	void enabledPropertyCreatesThePluginWithItsSettings() {
		this.runner
			.withPropertyValues("capuchin.plugins.proxy.enabled=true", "capuchin.plugins.proxy.max-connections=8")
			.run((context) -> {
				assertThat(context).hasSingleBean(ProxyPlugin.class);
				assertThat(context.getBean(ProxyPlugin.class).settings().maxConnections()).isEqualTo(8);
				assertThat(context).hasSingleBean(ProxyMetrics.class);
			});
	}

	@Test
	void badValueStopsTheStartNamingTheKey() {
		this.runner
			.withPropertyValues("capuchin.plugins.proxy.enabled=true", "capuchin.plugins.proxy.max-connections=0")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("capuchin.plugins.proxy.max-connections: 0"));
	}

	@Test
	void metricsCountTriesAndServerStates() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		ProxyMetrics metrics = new ProxyMetrics();
		metrics.bindTo(registry);
		metrics.onResponse("api", "http://a:1", dev.capuchin.plugin.proxy.ProxyOutcome.SUCCESS,
				java.time.Duration.ofMillis(3));
		metrics.onServerState("api", "http://a:1", dev.capuchin.plugin.proxy.ServerCondition.DRAINING);
		assertThat(registry.get("capuchin.proxy.requests").tag("outcome", "success").counter().count()).isEqualTo(1);
		assertThat(registry.get("capuchin.proxy.duration").timer().count()).isEqualTo(1);
		assertThat(registry.get("capuchin.proxy.server.state").gauge().value()).isEqualTo(2);
	}

	@Test
	void cacheZonesAreReadFromTheirKeys() {
		this.runner
			.withPropertyValues("capuchin.plugins.proxy.enabled=true",
					"capuchin.plugins.proxy.cache.zones.main.memory-size=64MB",
					"capuchin.plugins.proxy.cache.zones.main.disk-path=" + this.temp.resolve("cache/main"),
					"capuchin.plugins.proxy.cache.zones.main.disk-size=1GB",
					"capuchin.plugins.proxy.cache.zones.main.stale-if-error=5m")
			.run((context) -> {
				var zone = context.getBean(ProxyPlugin.class).settings().cacheZones().get("main");
				assertThat(zone.memorySize()).isEqualTo(64L * 1024 * 1024);
				assertThat(zone.diskPath()).isEqualTo(this.temp.resolve("cache/main").toString());
				assertThat(zone.diskSize()).isEqualTo(1024L * 1024 * 1024);
				assertThat(zone.staleIfError()).isEqualTo(java.time.Duration.ofMinutes(5));
				assertThat(zone.staleWhileRevalidate()).isNull();
				assertThat(context.getBean(ProxyPlugin.class).cacheZones()).singleElement()
					.satisfies((state) -> assertThat(state.name()).isEqualTo("main"));
			});
	}

	@Test
	void badZoneValueStopsTheStartNamingTheKey() {
		this.runner
			.withPropertyValues("capuchin.plugins.proxy.enabled=true",
					"capuchin.plugins.proxy.cache.zones.main.heuristic-fraction=2")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("capuchin.plugins.proxy.cache.zones.main.heuristic-fraction: 2.0"));
	}

	@Test
	void metricsCountCacheResultsAndZoneSizes() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		this.runner
			.withPropertyValues("capuchin.plugins.proxy.enabled=true",
					"capuchin.plugins.proxy.cache.zones.main.memory-size=1MB")
			.run((context) -> {
				context.getBean(ProxyMetrics.class).bindTo(registry);
				context.getBeansOfType(io.micrometer.core.instrument.binder.MeterBinder.class)
					.values()
					.forEach((binder) -> binder.bindTo(registry));
				context.getBean(ProxyMetrics.class).onCache("main", dev.capuchin.plugin.proxy.CacheResult.HIT);
				assertThat(
						registry.get("capuchin.cache.requests").tags("zone", "main", "result", "hit").counter().count())
					.isEqualTo(1);
				assertThat(registry.get("capuchin.cache.size").tags("zone", "main", "tier", "memory").gauge().value())
					.isZero();
			});
	}

}
