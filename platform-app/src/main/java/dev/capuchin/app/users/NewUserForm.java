package dev.capuchin.app.users;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The form for a new console account.
 *
 * @param username the sign-in name
 * @param role {@code admin} or {@code viewer}
 * @param password the first password
 */
public record NewUserForm(@NotBlank(message = "Enter a user name.") @Pattern(
		regexp = "[A-Za-z0-9][A-Za-z0-9._@-]{0,63}",
		message = "Letters, digits, '.', '_', '@' and '-', at most 64, starting with a letter or digit.") String username,
		@NotBlank(message = "Choose a role.") @Pattern(regexp = "admin|operator|viewer",
				message = "Choose admin, operator or viewer.") String role,
		@NotBlank(message = "Enter a password.") @Size(min = PasswordForm.MIN_LENGTH, max = PasswordForm.MAX_LENGTH,
				message = "Between 12 and 72 characters.") String password) {

	static NewUserForm blank() {
		return new NewUserForm("", "viewer", "");
	}

}
