package dev.capuchin.plugin.fastcgi.autoconfigure;

import java.time.Duration;

import dev.capuchin.core.spi.PluginDescription;
import dev.capuchin.plugin.fastcgi.FastCgiOutcome;
import dev.capuchin.plugin.fastcgi.FastCgiPlugin;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Auto-configuration tests for {@link FastCgiAutoConfiguration}.
 */
class FastCgiAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FastCgiAutoConfiguration.class));

	@Test
	void pluginIsCreatedWhenEnabled() {
		this.runner.withPropertyValues("capuchin.plugins.fastcgi.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(FastCgiPlugin.class));
	}

	@Test
	void pluginBacksOffByDefault() {
		this.runner.run((context) -> {
			assertThat(context).doesNotHaveBean(FastCgiPlugin.class);
			assertThat(context).doesNotHaveBean(FastCgiMetrics.class);
			assertThat(context.getBean(PluginDescription.class).enabled()).isFalse();
		});
	}

	@Test
	void propertiesBecomeTheSettings() {
		this.runner
			.withPropertyValues("capuchin.plugins.fastcgi.enabled=true", "capuchin.plugins.fastcgi.read-timeout=90s",
					"capuchin.plugins.fastcgi.max-connections=20")
			.run((context) -> {
				FastCgiPlugin plugin = context.getBean(FastCgiPlugin.class);
				assertThat(plugin.settings().readTimeout()).isEqualTo(Duration.ofSeconds(90));
				assertThat(plugin.settings().maxConnections()).isEqualTo(20);
			});
	}

	@Test
	void badPropertyFailsNamingTheKey() {
		this.runner
			.withPropertyValues("capuchin.plugins.fastcgi.enabled=true", "capuchin.plugins.fastcgi.max-connections=0")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("capuchin.plugins.fastcgi.max-connections: 0"));
	}

	@Test
	void requestsAreCountedBySiteServerAndOutcome() {
		this.runner.withPropertyValues("capuchin.plugins.fastcgi.enabled=true").run((context) -> {
			FastCgiMetrics metrics = context.getBean(FastCgiMetrics.class);
			MeterRegistry registry = new SimpleMeterRegistry();
			metrics.bindTo(registry);
			metrics.requestEnded("shop", "unix:/run/php/php-fpm.sock", FastCgiOutcome.RESPONDED);
			metrics.requestEnded("shop", "unix:/run/php/php-fpm.sock", FastCgiOutcome.RESPONDED);
			metrics.requestEnded("shop", "unix:/run/php/php-fpm.sock", FastCgiOutcome.TIMEOUT);
			assertThat(registry.get("capuchin.fastcgi.requests")
				.tags("site", "shop", "server", "unix:/run/php/php-fpm.sock", "outcome", "responded")
				.counter()
				.count()).isEqualTo(2);
			assertThat(registry.get("capuchin.fastcgi.requests").tag("outcome", "timeout").counter().count())
				.isEqualTo(1);
		});
	}

	@Test
	void pluginRunsWithoutMicrometer() {
		this.runner.withPropertyValues("capuchin.plugins.fastcgi.enabled=true")
			.withClassLoader(new FilteredClassLoader("io.micrometer"))
			.run((context) -> {
				assertThat(context).hasSingleBean(FastCgiPlugin.class);
				assertThat(context).doesNotHaveBean(FastCgiMetrics.class);
			});
	}

	@Test
	void pluginBacksOffWhenTheModuleIsAbsent() {
		this.runner.withPropertyValues("capuchin.plugins.fastcgi.enabled=true")
			.withClassLoader(new FilteredClassLoader(FastCgiPlugin.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(FastCgiPlugin.class);
				assertThat(context).hasSingleBean(PluginDescription.class);
			});
	}

}
