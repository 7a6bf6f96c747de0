package dev.capuchin.plugin.dirlisting.autoconfigure;

import java.util.Set;

import dev.capuchin.core.spi.PluginDescription;
import dev.capuchin.core.spi.Stage;
import dev.capuchin.plugin.dirlisting.DirListingPlugin;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The dirlisting plugin as a bean when {@code capuchin.plugins.dirlisting.enabled} is
 * true (the {@code dirlisting} profile sets it), and always its
 * {@link PluginDescription}.
 */
@AutoConfiguration
@EnableConfigurationProperties(DirListingProperties.class)
public final class DirListingAutoConfiguration {

	static final String ENABLED = "capuchin.plugins.dirlisting.enabled";

	private static final String NAME = "dirlisting";

	@Bean
	@ConditionalOnClass(DirListingPlugin.class)
	@ConditionalOnBooleanProperty(ENABLED)
	@ConditionalOnMissingBean
	DirListingPlugin dirListingPlugin(DirListingProperties properties) {
		return new DirListingPlugin(properties.toSettings());
	}

	@Bean
	PluginDescription dirlistingPluginDescription(Environment environment) {
		boolean enabled = environment.getProperty(ENABLED, Boolean.class, false);
		// no reference to the plugin's classes: the description stays when they are
		// absent
		return new PluginDescription(NAME, enabled, Set.of(Stage.HANDLE), NAME);
	}

}
