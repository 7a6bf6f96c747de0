package dev.capuchin.core.spi;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a plugin module says about itself whether or not it is switched on, for the
 * {@code capuchin} actuator endpoint and the console: every module on the class path
 * declares one.
 *
 * @param name the plugin's name, as in {@code capuchin.plugins.<name>}
 * @param enabled whether it is switched on in this application
 * @param stages the stages it uses
 * @param profile the Spring profile that switches it on
 */
public record PluginDescription(String name, boolean enabled, Set<Stage> stages, String profile) {

	public PluginDescription {
		Objects.requireNonNull(name, "name");
		stages = Set.copyOf(stages);
		Objects.requireNonNull(profile, "profile");
	}

	/**
	 * The stages in pipeline order.
	 * @return the stage names
	 */
	public List<String> stageNames() {
		return stages.stream().sorted().map(Enum::name).toList();
	}

}
