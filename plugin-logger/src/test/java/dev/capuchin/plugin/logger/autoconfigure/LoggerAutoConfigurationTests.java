package dev.capuchin.plugin.logger.autoconfigure;

import java.time.Duration;

import dev.capuchin.core.spi.PluginDescription;
import dev.capuchin.core.spi.Stage;
import dev.capuchin.plugin.logger.LoggerPlugin;
import dev.capuchin.plugin.logger.LoggerSettings;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class LoggerAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(LoggerAutoConfiguration.class));

	@Test
	void thePluginIsCreatedWhenEnabledWithItsProperties() {
		this.runner
			.withPropertyValues("capuchin.plugins.logger.enabled=true", "capuchin.plugins.logger.access-log=stdout",
					"capuchin.plugins.logger.format=json", "capuchin.plugins.logger.buffer-size=100",
					"capuchin.plugins.logger.flush-interval=250ms", "capuchin.plugins.logger.max-size=10MB",
					"capuchin.plugins.logger.daily=true", "capuchin.plugins.logger.max-files=3")
			.run((context) -> {
				assertThat(context).hasSingleBean(LoggerPlugin.class);
				LoggerSettings settings = context.getBean(LoggerPlugin.class).settings();
				assertThat(settings.accessLog()).isEqualTo("stdout");
				assertThat(settings.errorLog()).isNull();
				assertThat(settings.format()).isEqualTo("json");
				assertThat(settings.bufferSize()).isEqualTo(100);
				assertThat(settings.flushInterval()).isEqualTo(Duration.ofMillis(250));
				assertThat(settings.maxSize()).isEqualTo(10L * 1024 * 1024);
				assertThat(settings.daily()).isTrue();
				assertThat(settings.maxFiles()).isEqualTo(3);
			});
	}

	@Test
	void defaultsMatchTheDocumentedOnes() {
		this.runner.withPropertyValues("capuchin.plugins.logger.enabled=true").run((context) -> {
			assertThat(context.getBean(LoggerPlugin.class).settings()).isEqualTo(LoggerSettings.defaults());
		});
	}

	@Test
	void aBareOffInYamlSwitchesTheDefaultLogOff() {
		this.runner
			.withPropertyValues("capuchin.plugins.logger.enabled=true", "capuchin.plugins.logger.access-log=false")
			.run((context) -> assertThat(context.getBean(LoggerPlugin.class).settings().accessLog()).isNull());
	}

	@Test
	void aBadValueStopsTheStartNamingItsKey() {
		this.runner
			.withPropertyValues("capuchin.plugins.logger.enabled=true", "capuchin.plugins.logger.format=pattern:%{x}")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("capuchin.plugins.logger.format: pattern: unknown field %{x}"));
	}

	@Test
	void theEndpointComesWithThePlugin() {
		this.runner.withPropertyValues("capuchin.plugins.logger.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(LoggerEndpoint.class));
	}

	@Test
	void theEndpointBacksOffWithoutActuator() {
		this.runner.withPropertyValues("capuchin.plugins.logger.enabled=true")
			.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(LoggerPlugin.class);
				assertThat(context).doesNotHaveBean(LoggerEndpoint.class);
			});
	}

	@Test
	void thePluginBacksOffWhenDisabled() {
		this.runner.run((context) -> {
			assertThat(context).doesNotHaveBean(LoggerPlugin.class);
			assertThat(context).doesNotHaveBean(LoggerEndpoint.class);
		});
		this.runner.withPropertyValues("capuchin.plugins.logger.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(LoggerPlugin.class));
	}

	@Test
	void thePluginBacksOffWhenItsModuleIsAbsent() {
		this.runner.withPropertyValues("capuchin.plugins.logger.enabled=true")
			.withClassLoader(new FilteredClassLoader(LoggerPlugin.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(LoggerPlugin.class);
				assertThat(context).doesNotHaveBean(LoggerEndpoint.class);
			});
	}

	@Test
	void aUserDefinedPluginWins() {
		LoggerPlugin own = new LoggerPlugin(LoggerSettings.defaults().withFormat("common"));
		this.runner.withPropertyValues("capuchin.plugins.logger.enabled=true")
			.withBean(LoggerPlugin.class, () -> own)
			.run((context) -> assertThat(context.getBean(LoggerPlugin.class)).isSameAs(own));
	}

	@Test
	void theDescriptionIsAlwaysPresent() {
		this.runner.run((context) -> assertThat(context.getBean(PluginDescription.class))
			.isEqualTo(new PluginDescription("logger", false, java.util.Set.of(Stage.LOG), "logger")));
		this.runner.withPropertyValues("capuchin.plugins.logger.enabled=true")
			.run((context) -> assertThat(context.getBean(PluginDescription.class).enabled()).isTrue());
		this.runner.withClassLoader(new FilteredClassLoader(LoggerPlugin.class))
			.run((context) -> assertThat(context).hasSingleBean(PluginDescription.class));
	}

}
