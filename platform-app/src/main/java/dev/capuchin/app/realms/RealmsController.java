package dev.capuchin.app.realms;

import java.security.Principal;
import java.util.List;
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
import org.springframework.web.util.UriUtils;

/**
 * The Realms pages: stored auth realms with their user counts and the locations that name
 * them; create, rename or describe, and delete after a confirmation page (refused while a
 * location names the realm, saying which). Each change goes through
 * {@code ConfigService.changeRealms} and is live at once.
 */
@Controller
class RealmsController {

	private static final Map<String, String> FIELDS = Map.of("name", "name", "description", "description");

	private final RealmPages pages;

	private final RealmChanges changes;

	RealmsController(RealmPages pages, RealmChanges changes) {
		this.pages = pages;
		this.changes = changes;
	}

	@GetMapping("/console/realms")
	String list(Model model) {
		ConfigService.Snapshot snapshot = this.pages.current();
		Map<String, List<RealmReferences.Reference>> usage = RealmPages.usage(snapshot);
		model.addAttribute("realms",
				snapshot.realms()
					.stream()
					.map((realm) -> new RealmRow(realm, usage.getOrDefault(realm.name(), List.of())))
					.toList());
		model.addAttribute("authEnabled", this.pages.authEnabled());
		return "console/realms/list";
	}

	@GetMapping("/console/realms/new")
	String create(Model model) {
		return form(model, RealmForm.blank(), new FormErrors());
	}

	@PostMapping("/console/realms")
	String created(@ModelAttribute("form") RealmForm form, Model model, Principal principal,
			RedirectAttributes redirect) {
		try {
			ConfigService.Outcome outcome = this.changes.create(form.name(), form.description(), principal.getName());
			String name = form.name().trim();
			Flash.success(redirect, "Realm " + name + " created (configuration version " + outcome.version()
					+ "). Add its users below, then protect a location with it.");
			return "redirect:/console/realms/" + segment(name);
		}
		catch (InvalidConfigurationException ex) {
			FormErrors errors = new FormErrors();
			RealmPages.refused(ex, FIELDS, errors);
			return form(model, form, errors);
		}
	}

	@GetMapping("/console/realms/{name}")
	String show(@PathVariable String name, Model model) {
		ConfigService.Snapshot snapshot = this.pages.current();
		Realm realm = RealmPages.realm(snapshot, name);
		return this.pages.show(model, snapshot, realm, RealmForm.of(realm), new FormErrors(), RealmUserForm.blank(),
				new FormErrors());
	}

	@PostMapping("/console/realms/{name}")
	String edited(@PathVariable String name, @ModelAttribute("form") RealmForm form, Model model, Principal principal,
			RedirectAttributes redirect) {
		try {
			ConfigService.Outcome outcome = this.changes.update(name, form.name(), form.description(),
					principal.getName());
			String newName = form.name().trim();
			Flash.success(redirect,
					outcome.applied() ? "Realm " + newName + " saved (configuration version " + outcome.version() + ")."
							: "Nothing to save: realm " + newName + " is unchanged.");
			return "redirect:/console/realms/" + segment(newName);
		}
		catch (RealmNotFoundException ex) {
			throw new NotFoundException("Realm '" + name + "'");
		}
		catch (InvalidConfigurationException ex) {
			ConfigService.Snapshot snapshot = this.pages.current();
			FormErrors errors = new FormErrors();
			RealmPages.refused(ex, FIELDS, errors);
			return this.pages.show(model, snapshot, RealmPages.realm(snapshot, name), form, errors,
					RealmUserForm.blank(), new FormErrors());
		}
	}

	@GetMapping("/console/realms/{name}/delete")
	String confirmDelete(@PathVariable String name, Model model) {
		ConfigService.Snapshot snapshot = this.pages.current();
		Realm realm = RealmPages.realm(snapshot, name);
		model.addAttribute("realm", realm);
		model.addAttribute("usage", RealmPages.usage(snapshot).getOrDefault(name, List.of()));
		return "console/realms/delete";
	}

	@PostMapping("/console/realms/{name}/delete")
	String delete(@PathVariable String name, Principal principal, RedirectAttributes redirect) {
		try {
			ConfigService.Outcome outcome = this.changes.delete(name, principal.getName());
			Flash.success(redirect,
					"Realm " + name + " and its users deleted (configuration version " + outcome.version() + ").");
			return "redirect:/console/realms";
		}
		catch (RealmNotFoundException ex) {
			throw new NotFoundException("Realm '" + name + "'");
		}
		catch (InvalidConfigurationException ex) {
			Flash.error(redirect, "Nothing was deleted: " + ex.getMessage());
			return "redirect:/console/realms/" + segment(name);
		}
	}

	private String form(Model model, RealmForm form, FormErrors errors) {
		model.addAttribute("form", form);
		model.addAttribute(FormErrors.ATTRIBUTE, errors);
		return "console/realms/new";
	}

	static String segment(String name) {
		return UriUtils.encodePathSegment(name, "UTF-8");
	}

	/**
	 * A realm in the list.
	 *
	 * @param realm the realm
	 * @param usage the locations that name it
	 */
	record RealmRow(Realm realm, List<RealmReferences.Reference> usage) {
	}

}
