package dev.capuchin.app.rules;

/**
 * An access-rule change that was refused; nothing was stored or swapped. The message
 * names the field at fault.
 */
public class AccessRuleException extends RuntimeException {

	private final String field;

	private final Reason reason;

	/**
	 * Create the exception.
	 * @param reason why the change was refused
	 * @param field the field at fault: {@code site}, {@code location}, {@code kind} or
	 * {@code value}, or {@code null} for the whole change
	 * @param message what is wrong
	 */
	public AccessRuleException(Reason reason, String field, String message) {
		super(message);
		this.reason = reason;
		this.field = field;
	}

	/**
	 * The field at fault.
	 * @return the field, or {@code null}
	 */
	public String field() {
		return this.field;
	}

	/**
	 * Why the change was refused.
	 * @return the reason
	 */
	public Reason reason() {
		return this.reason;
	}

	/** Why a change was refused. */
	public enum Reason {

		/** A value is not valid, or the resulting configuration is refused. */
		INVALID,

		/** The site, location or rule does not exist. */
		NOT_FOUND,

		/** The rule exists already. */
		CONFLICT

	}

}
