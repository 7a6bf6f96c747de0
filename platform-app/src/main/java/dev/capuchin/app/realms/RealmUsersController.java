package dev.capuchin.app.realms;

import java.security.Principal;
import java.util.Map;

import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.app.shared.config.InvalidConfigurationException;
import dev.capuchin.app.shared.console.Flash;
import dev.capuchin.app.shared.console.FormErrors;
import dev.capuchin.app.shared.console.NotFoundException;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * A realm's users: add one with a password typed twice, set a user's password, delete a
 * user after a confirmation page. Passwords are hashed with bcrypt before they reach the
 * store and are never shown; the audit log names the user and that the password changed,
 * never a hash.
 */
@Controller
class RealmUsersController {

	private static final Map<String, String> FIELDS = Map.of("name", "username", "password", "password");

	private static final Map<String, String> PROFILE_FIELDS = Map.of("email", "email", "display-name", "displayName",
			"groups", "groups");

	private final RealmPages pages;

	private final RealmChanges changes;

	RealmUsersController(RealmPages pages, RealmChanges changes) {
		this.pages = pages;
		this.changes = changes;
	}

	@PostMapping("/console/realms/{name}/users")
	String added(@PathVariable String name, @ModelAttribute("userForm") RealmUserForm form, Model model,
			Principal principal, RedirectAttributes redirect) {
		FormErrors errors = new FormErrors();
		if (!form.confirmed()) {
			errors.field("confirm", "The two passwords differ; type the same password twice.");
		}
		else {
			try {
				ConfigService.Outcome outcome = this.changes.addUser(name, form.username(), form.password(),
						principal.getName());
				Flash.success(redirect, "User " + form.username().trim() + " added to realm " + name
						+ " (configuration version " + outcome.version() + ").");
				return "redirect:/console/realms/" + RealmsController.segment(name) + "#users";
			}
			catch (RealmNotFoundException ex) {
				throw new NotFoundException("Realm '" + name + "'");
			}
			catch (InvalidConfigurationException ex) {
				RealmPages.refused(ex, FIELDS, errors);
			}
		}
		ConfigService.Snapshot snapshot = this.pages.current();
		Realm realm = RealmPages.realm(snapshot, name);
		return this.pages.show(model, snapshot, realm, RealmForm.of(realm), new FormErrors(), form.withoutPasswords(),
				errors);
	}

	@GetMapping("/console/realms/{name}/users/{user}")
	String edit(@PathVariable String name, @PathVariable String user, Model model) {
		return passwordPage(model, name, user, new FormErrors());
	}

	@PostMapping("/console/realms/{name}/users/{user}/password")
	String password(@PathVariable String name, @PathVariable String user,
			@ModelAttribute("userForm") RealmUserForm form, Model model, Principal principal,
			RedirectAttributes redirect) {
		FormErrors errors = new FormErrors();
		if (!form.confirmed()) {
			errors.field("confirm", "The two passwords differ; type the same password twice.");
			return passwordPage(model, name, user, errors);
		}
		try {
			ConfigService.Outcome outcome = this.changes.changePassword(name, user, form.password(),
					principal.getName());
			Flash.success(redirect, "Password of " + user + " in realm " + name + " changed (configuration version "
					+ outcome.version() + "); the old one no longer works.");
			return "redirect:/console/realms/" + RealmsController.segment(name) + "#users";
		}
		catch (RealmNotFoundException ex) {
			throw new NotFoundException("User '" + user + "' of realm '" + name + "'");
		}
		catch (InvalidConfigurationException ex) {
			RealmPages.refused(ex, FIELDS, errors);
			return passwordPage(model, name, user, errors);
		}
	}

	@PostMapping("/console/realms/{name}/users/{user}/profile")
	String profile(@PathVariable String name, @PathVariable String user,
			@ModelAttribute("profileForm") RealmUserProfileForm form, Model model, Principal principal,
			RedirectAttributes redirect) {
		FormErrors errors = new FormErrors();
		try {
			ConfigService.Outcome outcome = this.changes.changeProfile(name, user, form.email(), form.displayName(),
					form.groupNames(), principal.getName());
			Flash.success(redirect, "Profile of " + user + " in realm " + name + " saved (configuration version "
					+ outcome.version() + ").");
			return "redirect:/console/realms/" + RealmsController.segment(name) + "#users";
		}
		catch (RealmNotFoundException ex) {
			throw new NotFoundException("User '" + user + "' of realm '" + name + "'");
		}
		catch (InvalidConfigurationException ex) {
			RealmPages.refused(ex, PROFILE_FIELDS, errors);
			Realm realm = RealmPages.realm(this.pages.current(), name);
			model.addAttribute("realm", realm);
			model.addAttribute("user", user(realm, user));
			model.addAttribute(FormErrors.ATTRIBUTE, new FormErrors());
			model.addAttribute("profileErrors", errors);
			return "console/realms/user";
		}
	}

	@GetMapping("/console/realms/{name}/users/{user}/delete")
	String confirmDelete(@PathVariable String name, @PathVariable String user, Model model) {
		Realm realm = RealmPages.realm(this.pages.current(), name);
		model.addAttribute("realm", realm);
		model.addAttribute("user", user(realm, user));
		return "console/realms/user-delete";
	}

	@PostMapping("/console/realms/{name}/users/{user}/delete")
	String delete(@PathVariable String name, @PathVariable String user, Principal principal,
			RedirectAttributes redirect) {
		try {
			ConfigService.Outcome outcome = this.changes.deleteUser(name, user, principal.getName());
			Flash.success(redirect, "User " + user + " deleted from realm " + name + " (configuration version "
					+ outcome.version() + ").");
		}
		catch (RealmNotFoundException ex) {
			throw new NotFoundException("User '" + user + "' of realm '" + name + "'");
		}
		catch (InvalidConfigurationException ex) {
			Flash.error(redirect, "Nothing was deleted: " + ex.getMessage());
		}
		return "redirect:/console/realms/" + RealmsController.segment(name) + "#users";
	}

	private String passwordPage(Model model, String name, String user, FormErrors errors) {
		Realm realm = RealmPages.realm(this.pages.current(), name);
		RealmUser found = user(realm, user);
		model.addAttribute("realm", realm);
		model.addAttribute("user", found);
		model.addAttribute(FormErrors.ATTRIBUTE, errors);
		model.addAttribute("profileForm", RealmUserProfileForm.of(found));
		model.addAttribute("profileErrors", new FormErrors());
		return "console/realms/user";
	}

	private static RealmUser user(Realm realm, String user) {
		return realm.user(user)
			.orElseThrow(() -> new NotFoundException("User '" + user + "' of realm '" + realm.name() + "'"));
	}

}
