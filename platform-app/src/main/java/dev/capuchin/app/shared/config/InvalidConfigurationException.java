package dev.capuchin.app.shared.config;

/**
 * A configuration change that was refused; the message names the site and field at fault,
 * and nothing was stored or swapped.
 */
public class InvalidConfigurationException extends RuntimeException {

	/**
	 * Create the exception.
	 * @param message what is wrong, naming the field
	 */
	public InvalidConfigurationException(String message) {
		super(message);
	}

}
