package dev.capuchin.app.realms;

import java.util.List;
import java.util.Map;

import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.app.shared.config.ConfigurationConflictException;
import dev.capuchin.app.shared.config.InvalidConfigurationException;
import dev.capuchin.app.shared.config.InvalidFieldException;
import dev.capuchin.app.shared.console.FormErrors;
import dev.capuchin.app.shared.console.NotFoundException;
import dev.capuchin.plugin.auth.AuthPlugin;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;

/**
 * What the realm pages share: reading the stored realms and where they are used, the
 * realm page with its two forms, and putting a refusal beside the field it names.
 */
@Component
class RealmPages {

	/** The model attribute of the add-user form's errors. */
	static final String USER_ERRORS = "userErrors";

	private final ConfigService config;

	private final ObjectProvider<AuthPlugin> auth;

	RealmPages(ConfigService config, ObjectProvider<AuthPlugin> auth) {
		this.config = config;
		this.auth = auth;
	}

	ConfigService.Snapshot current() {
		return this.config.current();
	}

	/**
	 * A realm of a snapshot.
	 * @throws NotFoundException when there is no such realm
	 */
	static Realm realm(ConfigService.Snapshot snapshot, String name) {
		return snapshot.realm(name).orElseThrow(() -> new NotFoundException("Realm '" + name + "'"));
	}

	/**
	 * Whether the auth plugin runs, without which no location is protected.
	 */
	boolean authEnabled() {
		return this.auth.getIfAvailable() != null;
	}

	/**
	 * The realm page: its name and description form, its users, the add-user form.
	 */
	String show(Model model, ConfigService.Snapshot snapshot, Realm realm, RealmForm form, FormErrors errors,
			RealmUserForm userForm, FormErrors userErrors) {
		model.addAttribute("realm", realm);
		model.addAttribute("usage", usage(snapshot).getOrDefault(realm.name(), List.of()));
		model.addAttribute("form", form);
		model.addAttribute(FormErrors.ATTRIBUTE, errors);
		model.addAttribute("userForm", userForm);
		model.addAttribute(USER_ERRORS, userErrors);
		model.addAttribute("authEnabled", authEnabled());
		return "console/realms/realm";
	}

	static Map<String, List<RealmReferences.Reference>> usage(ConfigService.Snapshot snapshot) {
		return RealmReferences.usage(snapshot.entries());
	}

	/**
	 * Put a refusal beside its field ({@code name: ...}, {@code password: ...}), or at
	 * the top of the form.
	 * @param ex the refusal
	 * @param fields form field by the field the message names
	 * @param errors the form's errors
	 */
	static void refused(InvalidConfigurationException ex, Map<String, String> fields, FormErrors errors) {
		if (ex instanceof InvalidFieldException field && fields.containsKey(field.field())) {
			errors.field(fields.get(field.field()), capitalized(field.problem()));
			return;
		}
		if (ex instanceof ConfigurationConflictException && ex.getMessage().startsWith("name: ")
				&& fields.containsKey("name")) {
			errors.field(fields.get("name"), capitalized(ex.getMessage().substring("name: ".length())));
			return;
		}
		errors.global(ex.getMessage());
	}

	private static String capitalized(String text) {
		return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
	}

}
