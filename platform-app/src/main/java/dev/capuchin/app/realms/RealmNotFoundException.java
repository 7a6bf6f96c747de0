package dev.capuchin.app.realms;

/**
 * A realm, or a user of a realm, that does not exist.
 */
public class RealmNotFoundException extends RuntimeException {

	/**
	 * Create the exception.
	 * @param message what is missing, such as {@code no realm 'Staff'}
	 */
	public RealmNotFoundException(String message) {
		super(message);
	}

}
