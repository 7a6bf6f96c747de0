package dev.capuchin.app.sites;

/**
 * A form value that cannot even be turned into site-file keys (an error-page line without
 * a status, YAML that does not parse): the message goes beside the field.
 */
class FormFieldException extends RuntimeException {

	private final String field;

	FormFieldException(String field, String message) {
		super(message);
		this.field = field;
	}

	String field() {
		return this.field;
	}

}
