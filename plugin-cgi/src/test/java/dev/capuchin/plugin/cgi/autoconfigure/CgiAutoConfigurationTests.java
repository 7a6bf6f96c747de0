package dev.capuchin.plugin.cgi.autoconfigure;

import java.time.Duration;

import dev.capuchin.core.spi.PluginDescription;
import dev.capuchin.core.spi.Stage;
import dev.capuchin.plugin.cgi.CgiOutcome;
import dev.capuchin.plugin.cgi.CgiOutcomeListener;
import dev.capuchin.plugin.cgi.CgiPlugin;
import dev.capuchin.plugin.cgi.CgiSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Auto-configuration tests for {@link CgiAutoConfiguration}.
 */
class CgiAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(CgiAutoConfiguration.class));

	@Test
	void pluginIsCreatedWhenEnabled() {
		this.runner.withPropertyValues("capuchin.plugins.cgi.enabled=true").run((context) -> {
			assertThat(context).hasSingleBean(CgiPlugin.class);
			assertThat(context.getBean(CgiPlugin.class).settings()).isEqualTo(CgiSettings.defaults());
		});
	}

	@Test
	void pluginBacksOffByDefault() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(CgiPlugin.class));
	}

	@Test
	void pluginBacksOffWhenTheModuleIsAbsent() {
		this.runner.withPropertyValues("capuchin.plugins.cgi.enabled=true")
			.withClassLoader(new FilteredClassLoader(CgiPlugin.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(CgiPlugin.class);
				assertThat(context).hasSingleBean(PluginDescription.class);
			});
	}

	@Test
	void descriptionSaysHandleAndProfile() {
		this.runner.withPropertyValues("capuchin.plugins.cgi.enabled=true").run((context) -> {
			PluginDescription description = context.getBean(PluginDescription.class);
			assertThat(description.name()).isEqualTo("cgi");
			assertThat(description.enabled()).isTrue();
			assertThat(description.stages()).containsExactly(Stage.HANDLE);
			assertThat(description.profile()).isEqualTo("cgi");
		});
	}

	@Test
	void propertiesAreBound() {
		this.runner
			.withPropertyValues("capuchin.plugins.cgi.enabled=true", "capuchin.plugins.cgi.timeout=5s",
					"capuchin.plugins.cgi.max-concurrent=3", "capuchin.plugins.cgi.pass-env=PATH,TZ",
					"capuchin.plugins.cgi.max-header-size=32KB")
			.run((context) -> {
				CgiSettings settings = context.getBean(CgiPlugin.class).settings();
				assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(5));
				assertThat(settings.maxConcurrent()).isEqualTo(3);
				assertThat(settings.passEnv()).containsExactly("PATH", "TZ");
				assertThat(settings.maxHeaderSize()).isEqualTo(32 * 1024);
			});
	}

	@Test
	void invalidPropertyFailsNamingTheKey() {
		this.runner.withPropertyValues("capuchin.plugins.cgi.enabled=true", "capuchin.plugins.cgi.max-concurrent=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("capuchin.plugins.cgi.max-concurrent: 0 (expected: 1..10000)"));
	}

	@Test
	void requestsCounterIsTaggedBySiteAndOutcome() {
		this.runner.withPropertyValues("capuchin.plugins.cgi.enabled=true")
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> {
				CgiOutcomeListener listener = context.getBean(CgiOutcomeListener.class);
				listener.ended("shop", CgiOutcome.TIMEOUT);
				listener.ended("shop", CgiOutcome.TIMEOUT);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("capuchin.cgi.requests")
					.tag("site", "shop")
					.tag("outcome", "timeout")
					.counter()
					.count()).isEqualTo(2.0);
			});
	}

	@Test
	void noCounterWithoutARegistry() {
		this.runner.withPropertyValues("capuchin.plugins.cgi.enabled=true")
			.run((context) -> assertThat(context).doesNotHaveBean(CgiMetrics.class));
	}

}
