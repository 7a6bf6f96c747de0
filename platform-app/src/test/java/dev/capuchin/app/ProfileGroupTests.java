package dev.capuchin.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

import dev.capuchin.core.spi.PluginDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The repository's {@code config/} directory, as the quick start runs it: the default
 * profile group switches on the default plugins, and naming profiles chooses others.
 */
class ProfileGroupTests {

	@TempDir
	Path temp;

	@Test
	void withoutProfilesTheDefaultGroupSwitchesOnTheDefaultPlugins() throws Exception {
		try (ConfigurableApplicationContext context = run()) {
			Map<String, Boolean> enabled = enabled(context);
			assertThat(enabled).containsEntry("mandril", true)
				.containsEntry("auth", true)
				.containsEntry("logger", true)
				.containsEntry("dirlisting", true);
			// plugins outside the group (cgi...) stay off until their profile is named
			assertThat(enabled).containsEntry("cgi", false);
			// the proxy is opt-in (profile proxy): it is in no default group
			assertThat(enabled).containsEntry("proxy", false);
		}
	}

	@Test
	void namedProfilesSwitchOnOnlyTheirPlugins() throws Exception {
		try (ConfigurableApplicationContext context = run("--spring.profiles.active=auth")) {
			Map<String, Boolean> enabled = enabled(context);
			assertThat(enabled).containsEntry("auth", true).containsEntry("mandril", false);
		}
	}

	private static Map<String, Boolean> enabled(ConfigurableApplicationContext context) {
		return context.getBeansOfType(PluginDescription.class)
			.values()
			.stream()
			.collect(Collectors.toMap(PluginDescription::name, PluginDescription::enabled));
	}

	private ConfigurableApplicationContext run(String... extra) throws Exception {
		Path root = Files.createDirectories(this.temp.resolve("htdocs"));
		Path sites = Files.createDirectories(this.temp.resolve("sites"));
		Files.writeString(sites.resolve("default.yml"), "name: default\ndefault: true\ndocument-root: " + root + "\n");
		String[] base = { "--spring.config.additional-location=file:../config/", "--capuchin.sites-dir=" + sites,
				"--capuchin.server.listeners[0].address=127.0.0.1:0", "--server.port=0", "--capuchin.server.workers=1",
				"--spring.datasource.url=jdbc:h2:mem:profiles-" + System.nanoTime() };
		String[] args = new String[base.length + extra.length];
		System.arraycopy(base, 0, args, 0, base.length);
		System.arraycopy(extra, 0, args, base.length, extra.length);
		return SpringApplication.run(CapuchinApplication.class, args);
	}

}
