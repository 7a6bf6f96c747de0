package dev.capuchin.app.shared.config;

import java.util.Objects;

/**
 * A value of one input field refused, such as a realm's name or a user's password; the
 * message is {@code field: problem}, and never quotes a password.
 */
public class InvalidFieldException extends InvalidConfigurationException {

	private final String field;

	private final String problem;

	/**
	 * Create the exception.
	 * @param field the field, such as {@code name} or {@code password}
	 * @param problem what is wrong with it
	 */
	public InvalidFieldException(String field, String problem) {
		super(field + ": " + problem);
		this.field = Objects.requireNonNull(field, "field");
		this.problem = Objects.requireNonNull(problem, "problem");
	}

	/**
	 * The field at fault.
	 * @return the field's name
	 */
	public String field() {
		return this.field;
	}

	/**
	 * What is wrong, without the field's name.
	 * @return the problem
	 */
	public String problem() {
		return this.problem;
	}

}
