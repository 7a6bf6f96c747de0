package dev.capuchin.app.realms;

import java.util.Arrays;
import java.util.List;

/**
 * The form that sets a realm user's profile: email address, display name and groups (one
 * field, names separated by commas or spaces). Each may be left empty.
 *
 * @param email the email address
 * @param displayName the display name
 * @param groups the group names, separated by commas or spaces
 */
public record RealmUserProfileForm(String email, String displayName, String groups) {

	static RealmUserProfileForm of(RealmUser user) {
		return new RealmUserProfileForm((user.email() != null) ? user.email() : "",
				(user.displayName() != null) ? user.displayName() : "", String.join(", ", user.groups()));
	}

	/**
	 * The group names typed.
	 * @return the names, without blanks
	 */
	List<String> groupNames() {
		if (this.groups == null) {
			return List.of();
		}
		return Arrays.stream(this.groups.split("[,\\s]+")).filter((name) -> !name.isBlank()).toList();
	}

}
