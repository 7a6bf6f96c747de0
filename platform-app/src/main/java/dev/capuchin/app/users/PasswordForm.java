package dev.capuchin.app.users;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * The form that sets a console account's password.
 *
 * @param password the new password
 */
public record PasswordForm(@NotBlank(message = "Enter a password.") @Size(min = PasswordForm.MIN_LENGTH,
		max = PasswordForm.MAX_LENGTH, message = "Between 12 and 72 characters.") String password) {

	/** The shortest password accepted. */
	static final int MIN_LENGTH = 12;

	/** The longest password accepted: bcrypt reads no more than 72 bytes. */
	static final int MAX_LENGTH = 72;

}
