package dev.capuchin.app.tokens;

import java.time.Duration;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The form for a new API token. The patterns accept a blank value so that only
 * {@code @NotBlank} speaks for an empty field.
 *
 * @param name what the token is for
 * @param scope {@code read} or {@code write}
 * @param expiry {@code never}, {@code 30}, {@code 90} or {@code 365} days
 */
public record TokenForm(@NotBlank(message = "Enter what the token is for.") @Size(max = 64,
		message = "At most 64 characters.") @Pattern(regexp = "\\s*([A-Za-z0-9][A-Za-z0-9 ._@-]*)?",
				message = "Letters, digits, spaces, '.', '_', '@' and '-', starting with a letter or digit.") String name,
		@NotBlank(message = "Choose a scope.") @Pattern(regexp = "(read|write)?",
				message = "Choose read or write.") String scope,
		@NotBlank(message = "Choose when it expires.") @Pattern(regexp = "(never|30|90|365)?",
				message = "Choose never, 30, 90 or 365 days.") String expiry) {

	static TokenForm blank() {
		return new TokenForm("", "read", "90");
	}

	/**
	 * How long the token works.
	 * @return the validity, or {@code null} for ever
	 */
	Duration validity() {
		return "never".equals(this.expiry) ? null : Duration.ofDays(Integer.parseInt(this.expiry));
	}

}
