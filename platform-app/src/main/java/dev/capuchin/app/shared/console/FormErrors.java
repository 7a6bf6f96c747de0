package dev.capuchin.app.shared.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.validation.BindingResult;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

/**
 * What is wrong with a submitted form: one message per field, shown beside it, and the
 * messages that name no field of the form, shown at the top. Templates read it as
 * {@code errors}.
 */
public final class FormErrors {

	/** The model attribute forms read. */
	public static final String ATTRIBUTE = "errors";

	/** The message beside a required field left empty. */
	public static final String REQUIRED = "Required";

	private final Map<String, String> fields = new LinkedHashMap<>();

	private final List<String> global = new ArrayList<>();

	/**
	 * The errors of Bean Validation and binding.
	 * @param binding the binding result
	 * @return the errors
	 */
	public static FormErrors of(BindingResult binding) {
		FormErrors errors = new FormErrors();
		for (FieldError error : binding.getFieldErrors()) {
			errors.field(error.getField(), error.isBindingFailure() ? "This value is not valid here."
					: String.valueOf(error.getDefaultMessage()));
		}
		for (ObjectError error : binding.getGlobalErrors()) {
			errors.global(String.valueOf(error.getDefaultMessage()));
		}
		return errors;
	}

	/**
	 * Add a message beside a field (the first one per field is kept).
	 * @param field the form field
	 * @param message the message
	 * @return this
	 */
	public FormErrors field(String field, String message) {
		this.fields.putIfAbsent(field, message);
		return this;
	}

	/**
	 * Mark a required field left empty.
	 * @param field the form field
	 * @return this
	 */
	public FormErrors required(String field) {
		return field(field, REQUIRED);
	}

	/**
	 * Mark a field as required when it is empty.
	 * @param field the form field
	 * @param value what was sent
	 * @return whether it was empty
	 */
	public boolean requireText(String field, String value) {
		if (value == null || value.isBlank()) {
			required(field);
			return true;
		}
		return false;
	}

	/**
	 * The value of a field's {@code aria-invalid} attribute, for
	 * {@code th:attr="aria-invalid=${errors.invalid('name')}"}.
	 * @param field the form field
	 * @return {@code "true"} when it has a message, else {@code null} (no attribute)
	 */
	public String invalid(String field) {
		return has(field) ? "true" : null;
	}

	/**
	 * Add a message for the top of the form.
	 * @param message the message
	 * @return this
	 */
	public FormErrors global(String message) {
		this.global.add(message);
		return this;
	}

	/**
	 * Whether anything is wrong.
	 * @return {@code true} when there is an error
	 */
	public boolean any() {
		return !this.fields.isEmpty() || !this.global.isEmpty();
	}

	/**
	 * Whether a field has a message.
	 * @param field the form field
	 * @return {@code true} when it has one
	 */
	public boolean has(String field) {
		return this.fields.containsKey(field);
	}

	/**
	 * A field's message.
	 * @param field the form field
	 * @return the message, or {@code null}
	 */
	public String get(String field) {
		return this.fields.get(field);
	}

	/**
	 * The messages for the top of the form.
	 * @return the messages
	 */
	public List<String> global() {
		return List.copyOf(this.global);
	}

}
