package dev.capuchin.app.realms;

/**
 * The form of a realm's name and description; both are checked by the realm rules when
 * the change is made, and refusals are shown beside the field.
 *
 * @param name the realm's name
 * @param description what the realm is for
 */
public record RealmForm(String name, String description) {

	static RealmForm blank() {
		return new RealmForm("", "");
	}

	static RealmForm of(Realm realm) {
		return new RealmForm(realm.name(), realm.description());
	}

}
