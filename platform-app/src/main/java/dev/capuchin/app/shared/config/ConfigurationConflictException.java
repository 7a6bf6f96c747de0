package dev.capuchin.app.shared.config;

/**
 * A change refused because of the state of the configuration rather than its own content:
 * a realm that locations still name, a name that is taken, or a change computed from a
 * configuration that changed meanwhile. Nothing was stored or swapped.
 */
public class ConfigurationConflictException extends InvalidConfigurationException {

	/**
	 * Create the exception.
	 * @param message what conflicts, naming it
	 */
	public ConfigurationConflictException(String message) {
		super(message);
	}

}
