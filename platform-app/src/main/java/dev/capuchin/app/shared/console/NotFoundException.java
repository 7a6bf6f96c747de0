package dev.capuchin.app.shared.console;

/**
 * A console page for something that does not exist (a deleted site, user or location):
 * answered with 404 and a page that says what is missing.
 */
public class NotFoundException extends RuntimeException {

	/**
	 * Create the exception.
	 * @param what what is missing, for the page
	 */
	public NotFoundException(String what) {
		super(what);
	}

}
