package dev.capuchin.app.sites;

import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import dev.capuchin.app.audit.AuditAction;
import dev.capuchin.app.status.StatusReader;
import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.app.shared.config.InvalidConfigurationException;
import dev.capuchin.app.shared.console.Flash;
import dev.capuchin.app.shared.console.FormErrors;
import dev.capuchin.core.internal.site.SiteWriter;
import dev.capuchin.core.spi.Site;
import dev.capuchin.plugin.mandril.MandrilBlocks;
import jakarta.validation.Valid;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The sites pages: the list, the site form (create and edit), enabling and disabling, and
 * deleting after a confirmation page. A save that would remove or change what the form
 * does not show as fields (locations, access rules, realm references, plugin blocks)
 * shows the difference first and applies only when confirmed, and only if the
 * configuration did not change meanwhile. Every change goes through
 * {@code ConfigService.apply}; a refusal is shown beside the field it names, with the
 * form keeping what was typed.
 */
@Controller
class SitesController {

	private final SiteChanges changes;

	private final StatusReader status;

	private final DefaultLogs logs;

	SitesController(SiteChanges changes, StatusReader status, DefaultLogs logs) {
		this.changes = changes;
		this.status = status;
		this.logs = logs;
	}

	@GetMapping("/console/sites")
	String list(Model model) {
		ConfigService.Snapshot snapshot = this.changes.current();
		model.addAttribute("sites", snapshot.entries());
		model.addAttribute("unavailable", this.status.unavailableSites());
		model.addAttribute("version", snapshot.version());
		return "console/sites/list";
	}

	@GetMapping("/console/sites/new")
	String create(Model model) {
		return form(model, SiteForm.blank(this.changes.current().version()), null, new FormErrors());
	}

	/** Keys of a site the form does not show, kept on save. */
	private static final List<String> UNSHOWN_KEYS = List.of("hsts", "redirect-https", "headers");

	@PostMapping("/console/sites")
	String created(@Valid @ModelAttribute("form") SiteForm form, BindingResult binding, Model model,
			Principal principal, RedirectAttributes redirect) {
		ConfigService.Snapshot snapshot = this.changes.current();
		FormErrors errors = FormErrors.of(binding);
		if (!errors.any() && snapshot.entries().stream().anyMatch((entry) -> entry.name().equals(form.name().trim()))) {
			errors.field("name", "A site named '" + form.name().trim() + "' exists already.");
		}
		if (errors.any()) {
			return form(model, form, null, errors);
		}
		SiteEntry entry = build(form, List.of(), List.of(), errors, this.logs::apply);
		ConfigService.Outcome outcome = (entry != null)
				? save(form, snapshot, snapshot.entries().size(), entry, principal, errors) : null;
		if (outcome == null) {
			return form(model, form, null, errors);
		}
		Flash.success(redirect, "Site " + form.name().trim() + " created (configuration version " + outcome.version()
				+ "). Add locations below if it needs any.");
		return "redirect:/console/sites/" + form.name().trim();
	}

	@GetMapping("/console/sites/{name}")
	String edit(@PathVariable String name, Model model) {
		ConfigService.Snapshot snapshot = this.changes.current();
		SiteEntry entry = snapshot.entries().get(this.changes.indexOf(snapshot, name));
		return form(model, SiteForm.of(entry, snapshot.version()), entry, new FormErrors());
	}

	@PostMapping("/console/sites/{name}")
	String edited(@PathVariable String name, @Valid @ModelAttribute("form") SiteForm form, BindingResult binding,
			Model model, Principal principal, RedirectAttributes redirect) {
		ConfigService.Snapshot snapshot = this.changes.current();
		int index = this.changes.indexOf(snapshot, name);
		SiteEntry existing = snapshot.entries().get(index);
		FormErrors errors = FormErrors.of(binding);
		if (!errors.any() && !form.name().trim().equals(name)) {
			errors.field("name", "A site's name cannot change; create a new site instead.");
		}
		if (!errors.any() && form.version() != snapshot.version()) {
			errors.global(
					SiteChanges.stale(form.version(), snapshot.version()) + " Check the values below and save again.");
			return form(model, form.withVersion(snapshot.version()), existing, errors);
		}
		if (errors.any()) {
			return form(model, form, existing, errors);
		}
		SiteEntry entry = build(form, SiteChanges.locations(existing.site()),
				MandrilBlocks.rules(existing.site().settings()), errors, keepUnshown(existing.site()));
		if (entry == null) {
			return form(model, form, existing, errors);
		}
		try {
			SiteChanges.Confirmation confirmation = this.changes.confirmation(snapshot, index, entry, (change) -> false,
					principal.getName());
			if (confirmation != null) {
				return confirm(model, confirmation, "/console/sites/" + name);
			}
		}
		catch (InvalidConfigurationException ex) {
			ConfigMessages.toSiteForm(ex.getMessage(), form.settingsBlocks().keySet(), errors);
			return form(model, form, existing, errors);
		}
		ConfigService.Outcome outcome = save(form, snapshot, index, entry, principal, errors);
		if (outcome == null) {
			return form(model, form, existing, errors);
		}
		Flash.success(redirect, outcome.applied()
				? "Site " + name + " saved (configuration version " + outcome.version() + ")." : "Nothing changed.");
		return "redirect:/console/sites/" + name;
	}

	@PostMapping("/console/sites/{name}/enabled")
	String enable(@PathVariable String name, @RequestParam boolean enabled, Principal principal,
			RedirectAttributes redirect) {
		ConfigService.Snapshot snapshot = this.changes.current();
		int index = this.changes.indexOf(snapshot, name);
		SiteEntry entry = snapshot.entries().get(index);
		try {
			this.changes.apply(snapshot, index, new SiteEntry(entry.site(), enabled), principal.getName());
			Flash.success(redirect, "Site " + name + (enabled ? " is served again." : " is no longer served."));
		}
		catch (InvalidConfigurationException ex) {
			Flash.error(redirect, "Site " + name + " was not changed: " + ex.getMessage());
		}
		return "redirect:/console/sites";
	}

	@GetMapping("/console/sites/{name}/delete")
	String confirmDelete(@PathVariable String name, Model model) {
		ConfigService.Snapshot snapshot = this.changes.current();
		model.addAttribute("entry", snapshot.entries().get(this.changes.indexOf(snapshot, name)));
		model.addAttribute("version", snapshot.version());
		return "console/sites/delete";
	}

	@PostMapping("/console/sites/{name}/delete")
	String delete(@PathVariable String name, @RequestParam long version, Principal principal,
			RedirectAttributes redirect) {
		ConfigService.Snapshot snapshot = this.changes.current();
		int index = this.changes.indexOf(snapshot, name);
		if (version != snapshot.version()) {
			Flash.error(redirect, SiteChanges.stale(version, snapshot.version()) + " Confirm again.");
			return "redirect:/console/sites/" + name + "/delete";
		}
		try {
			ConfigService.Outcome outcome = this.changes.apply(snapshot, index, null, principal.getName());
			Flash.success(redirect, "Site " + name + " deleted (configuration version " + outcome.version() + ").");
			return "redirect:/console/sites";
		}
		catch (InvalidConfigurationException ex) {
			Flash.error(redirect, "Site " + name + " was not deleted: " + ex.getMessage());
			return "redirect:/console/sites/" + name;
		}
	}

	/**
	 * The site's keys the form has no field for (HSTS, the HTTPS redirect, response
	 * headers, a certificate from ACME) stay as they are when the form is saved.
	 */
	private static UnaryOperator<Map<String, Object>> keepUnshown(Site existing) {
		Map<String, Object> stored = SiteWriter.toMap(existing);
		return (keys) -> {
			Map<String, Object> kept = new LinkedHashMap<>(keys);
			for (String name : UNSHOWN_KEYS) {
				if (stored.containsKey(name)) {
					kept.putIfAbsent(name, stored.get(name));
				}
			}
			if (existing.tls() != null && existing.tls().acme()) {
				kept.putIfAbsent("tls", stored.get("tls"));
			}
			return kept;
		};
	}

	/**
	 * Check the form with the site loader; on refusal, fill the errors and return
	 * {@code null}.
	 */
	private SiteEntry build(SiteForm form, List<Map<String, Object>> locations, List<MandrilBlocks.Rule> rules,
			FormErrors errors, UnaryOperator<Map<String, Object>> defaults) {
		Map<String, Object> settings = Map.of();
		try {
			settings = form.settingsBlocks();
			return new SiteEntry(this.changes.parse(defaults.apply(form.toKeys(locations, rules))), form.enabled());
		}
		catch (FormFieldException ex) {
			errors.field(ex.field(), ex.getMessage());
		}
		catch (IllegalArgumentException ex) {
			ConfigMessages.toSiteForm(ex.getMessage(), settings.keySet(), errors);
		}
		return null;
	}

	/**
	 * Apply a checked site; on refusal, fill the errors and return {@code null}.
	 */
	private ConfigService.Outcome save(SiteForm form, ConfigService.Snapshot snapshot, int index, SiteEntry entry,
			Principal principal, FormErrors errors) {
		try {
			return this.changes.apply(snapshot, index, entry, principal.getName());
		}
		catch (InvalidConfigurationException ex) {
			ConfigMessages.toSiteForm(ex.getMessage(), form.settingsBlocks().keySet(), errors);
			return null;
		}
	}

	/**
	 * The page that shows what a change would remove or alter and applies it only when
	 * confirmed.
	 */
	static String confirm(Model model, SiteChanges.Confirmation confirmation, String back) {
		model.addAttribute("confirmation", confirmation);
		model.addAttribute("back", back);
		return "console/sites/confirm";
	}

	@PostMapping("/console/sites/{name}/confirm")
	String confirmed(@PathVariable String name, @RequestParam String proposed, @RequestParam long version,
			Principal principal, RedirectAttributes redirect) {
		ConfigService.Snapshot snapshot = this.changes.current();
		int index = this.changes.indexOf(snapshot, name);
		if (version != snapshot.version()) {
			Flash.error(redirect, SiteChanges.stale(version, snapshot.version())
					+ " Nothing was changed; open the form again and save.");
			return "redirect:/console/sites/" + name;
		}
		try {
			SiteEntry entry = this.changes.proposed(name, proposed);
			List<String> removed = SiteItems.between(snapshot.entries().get(index), entry)
				.stream()
				.filter((change) -> change.action() == AuditAction.REMOVED)
				.map(SiteItems.Change::target)
				.toList();
			ConfigService.Outcome outcome = this.changes.apply(snapshot, index, entry, principal.getName());
			Flash.success(redirect,
					outcome.applied()
							? "Site " + name + " saved (configuration version " + outcome.version() + ")"
									+ (removed.isEmpty() ? "." : "; removed: " + String.join(", ", removed) + ".")
							: "Nothing changed.");
		}
		catch (InvalidConfigurationException ex) {
			Flash.error(redirect, "Site " + name + " was not changed: " + ex.getMessage());
		}
		return "redirect:/console/sites/" + name;
	}

	private String form(Model model, SiteForm form, SiteEntry existing, FormErrors errors) {
		model.addAttribute("form", form);
		model.addAttribute("existing", existing);
		model.addAttribute("handlers", (existing != null)
				? existing.site().locations().stream().map(HandlerBlocks::summary).toList() : List.of());
		model.addAttribute(FormErrors.ATTRIBUTE, errors);
		return "console/sites/form";
	}

}
