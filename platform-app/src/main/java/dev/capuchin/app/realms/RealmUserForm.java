package dev.capuchin.app.realms;

/**
 * The form that adds a user to a realm, or sets a user's password (then without a name).
 * Passwords are never shown back: a refused form comes back with the name only.
 *
 * @param username the user name
 * @param password the password
 * @param confirm the password again
 */
public record RealmUserForm(String username, String password, String confirm) {

	static RealmUserForm blank() {
		return new RealmUserForm("", "", "");
	}

	/**
	 * This form without its passwords, to show again.
	 * @return the copy
	 */
	RealmUserForm withoutPasswords() {
		return new RealmUserForm(this.username, "", "");
	}

	/**
	 * Whether both passwords were typed alike.
	 * @return {@code true} when they match
	 */
	boolean confirmed() {
		return this.password != null && this.password.equals(this.confirm);
	}

}
