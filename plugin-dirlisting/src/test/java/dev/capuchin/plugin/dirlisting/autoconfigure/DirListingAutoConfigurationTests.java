package dev.capuchin.plugin.dirlisting.autoconfigure;

import java.util.List;

import dev.capuchin.core.spi.PluginDescription;
import dev.capuchin.core.spi.Stage;
import dev.capuchin.plugin.dirlisting.DirListingPlugin;
import dev.capuchin.plugin.dirlisting.DirListingSettings;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Auto-configuration tests for {@link DirListingAutoConfiguration}.
 */
class DirListingAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DirListingAutoConfiguration.class));

	@Test
	void pluginIsCreatedWhenEnabled() {
		this.runner.withPropertyValues("capuchin.plugins.dirlisting.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(DirListingPlugin.class));
	}

	@Test
	void pluginBacksOffByDefault() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(DirListingPlugin.class));
	}

	@Test
	void pluginBacksOffWhenDisabled() {
		this.runner.withPropertyValues("capuchin.plugins.dirlisting.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DirListingPlugin.class));
	}

	@Test
	void pluginBacksOffWhenTheModuleIsAbsent() {
		this.runner.withPropertyValues("capuchin.plugins.dirlisting.enabled=true")
			.withClassLoader(new FilteredClassLoader(DirListingPlugin.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(DirListingPlugin.class);
				assertThat(context).hasSingleBean(PluginDescription.class);
			});
	}

	@Test
	void userDefinedPluginIsKept() {
		DirListingPlugin own = new DirListingPlugin(DirListingSettings.defaults());
		this.runner.withPropertyValues("capuchin.plugins.dirlisting.enabled=true")
			.withBean(DirListingPlugin.class, () -> own)
			.run((context) -> assertThat(context.getBean(DirListingPlugin.class)).isSameAs(own));
	}

	@Test
	void descriptionIsPresentWhenDisabled() {
		this.runner.run((context) -> {
			PluginDescription description = context.getBean("dirlistingPluginDescription", PluginDescription.class);
			assertThat(description.name()).isEqualTo("dirlisting");
			assertThat(description.enabled()).isFalse();
			assertThat(description.stages()).containsExactly(Stage.HANDLE);
			assertThat(description.profile()).isEqualTo("dirlisting");
		});
	}

	@Test
	void descriptionIsPresentWhenEnabled() {
		this.runner.withPropertyValues("capuchin.plugins.dirlisting.enabled=true")
			.run((context) -> assertThat(context.getBean(PluginDescription.class).enabled()).isTrue());
	}

	@Test
	void propertiesBindToTheSettings() {
		this.runner
			.withPropertyValues("capuchin.plugins.dirlisting.enabled=true",
					"capuchin.plugins.dirlisting.theme=themes/x", "capuchin.plugins.dirlisting.hide[0]=*.bak",
					"capuchin.plugins.dirlisting.hide[1]=secret*", "capuchin.plugins.dirlisting.readme=true",
					"capuchin.plugins.dirlisting.max-entries=500", "capuchin.plugins.dirlisting.readme-max-size=8KB",
					"capuchin.plugins.dirlisting.threads=2")
			.run((context) -> {
				DirListingSettings settings = context.getBean(DirListingPlugin.class).settings();
				assertThat(settings)
					.isEqualTo(new DirListingSettings("themes/x", List.of("*.bak", "secret*"), true, 500, 8 * 1024, 2));
			});
	}

	@Test
	void defaultsBindWhenNothingIsSet() {
		this.runner.withPropertyValues("capuchin.plugins.dirlisting.enabled=true")
			.run((context) -> assertThat(context.getBean(DirListingPlugin.class).settings())
				.isEqualTo(DirListingSettings.defaults()));
	}

	@Test
	void invalidValueStopsTheStartNamingItsKey() {
		this.runner
			.withPropertyValues("capuchin.plugins.dirlisting.enabled=true", "capuchin.plugins.dirlisting.max-entries=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("capuchin.plugins.dirlisting.max-entries: 0 (expected: > 0)"));
	}

	@Test
	void invalidHidePatternStopsTheStartNamingItsKey() {
		this.runner
			.withPropertyValues("capuchin.plugins.dirlisting.enabled=true", "capuchin.plugins.dirlisting.hide[0]=[x")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("capuchin.plugins.dirlisting.hide[0]: '[x' (expected: ] to close [)"));
	}

}
