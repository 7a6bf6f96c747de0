package dev.capuchin.app.sites;

import java.security.Principal;
import java.util.List;
import java.util.Map;

import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.app.shared.config.InvalidConfigurationException;
import dev.capuchin.app.realms.Realm;
import dev.capuchin.app.shared.console.Flash;
import dev.capuchin.app.shared.console.FormErrors;
import dev.capuchin.app.shared.console.NotFoundException;
import dev.capuchin.core.spi.PluginDescription;
import dev.capuchin.core.spi.Site;
import jakarta.validation.Valid;

import org.springframework.beans.factory.ObjectProvider;
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
 * A site's locations, in matching order: add, edit (path or regular expression, the
 * handler with its main settings, and the other plugin blocks as YAML), move up or down,
 * remove. Every handler is offered; one whose plugin does not run here is marked, from
 * the {@link PluginDescription}s of the modules on the class path. Locations are
 * addressed by position, so every change carries the configuration version it was made on
 * and is refused when the configuration changed meanwhile.
 */
@Controller
class LocationsController {

	private final SiteChanges changes;

	private final ObjectProvider<PluginDescription> descriptions;

	private final ObjectProvider<UpstreamNames> upstreams;

	LocationsController(SiteChanges changes, ObjectProvider<PluginDescription> descriptions,
			ObjectProvider<UpstreamNames> upstreams) {
		this.changes = changes;
		this.descriptions = descriptions;
		this.upstreams = upstreams;
	}

	@GetMapping("/console/sites/{name}/locations/new")
	String create(@PathVariable String name, Model model) {
		ConfigService.Snapshot snapshot = this.changes.current();
		SiteEntry entry = snapshot.entries().get(this.changes.indexOf(snapshot, name));
		return form(model, entry, -1, LocationForm.blank(snapshot.version()), new FormErrors());
	}

	@PostMapping("/console/sites/{name}/locations")
	String created(@PathVariable String name, @Valid @ModelAttribute("form") LocationForm form, BindingResult binding,
			Model model, Principal principal, RedirectAttributes redirect) {
		return save(name, -1, form, binding, model, principal, redirect);
	}

	@GetMapping("/console/sites/{name}/locations/{position}")
	String edit(@PathVariable String name, @PathVariable int position, Model model) {
		ConfigService.Snapshot snapshot = this.changes.current();
		SiteEntry entry = snapshot.entries().get(this.changes.indexOf(snapshot, name));
		check(entry, position);
		return form(model, entry, position, LocationForm.of(entry.site().locations().get(position), snapshot.version()),
				new FormErrors());
	}

	@PostMapping("/console/sites/{name}/locations/{position}")
	String edited(@PathVariable String name, @PathVariable int position,
			@Valid @ModelAttribute("form") LocationForm form, BindingResult binding, Model model, Principal principal,
			RedirectAttributes redirect) {
		return save(name, position, form, binding, model, principal, redirect);
	}

	@PostMapping("/console/sites/{name}/locations/{position}/move")
	String move(@PathVariable String name, @PathVariable int position, @RequestParam String direction,
			@RequestParam long version, Principal principal, RedirectAttributes redirect) {
		ConfigService.Snapshot snapshot = this.changes.current();
		int index = this.changes.indexOf(snapshot, name);
		SiteEntry entry = snapshot.entries().get(index);
		check(entry, position);
		int target = "up".equals(direction) ? position - 1 : position + 1;
		List<Map<String, Object>> locations = SiteChanges.locations(entry.site());
		if (target < 0 || target >= locations.size()) {
			return "redirect:/console/sites/" + name + "#locations";
		}
		Map<String, Object> moved = locations.remove(position);
		locations.add(target, moved);
		return change(snapshot, index, entry, locations, version, principal, redirect,
				"Location moved " + ("up".equals(direction) ? "up" : "down") + ".");
	}

	@PostMapping("/console/sites/{name}/locations/{position}/delete")
	String delete(@PathVariable String name, @PathVariable int position, @RequestParam long version,
			Principal principal, RedirectAttributes redirect) {
		ConfigService.Snapshot snapshot = this.changes.current();
		int index = this.changes.indexOf(snapshot, name);
		SiteEntry entry = snapshot.entries().get(index);
		check(entry, position);
		List<Map<String, Object>> locations = SiteChanges.locations(entry.site());
		locations.remove(position);
		return change(snapshot, index, entry, locations, version, principal, redirect, "Location removed.");
	}

	private String change(ConfigService.Snapshot snapshot, int index, SiteEntry entry,
			List<Map<String, Object>> locations, long version, Principal principal, RedirectAttributes redirect,
			String done) {
		String back = "redirect:/console/sites/" + entry.name() + "#locations";
		if (version != snapshot.version()) {
			Flash.error(redirect, SiteChanges.stale(version, snapshot.version()) + " Nothing was changed; try again.");
			return back;
		}
		try {
			Site site = this.changes.withLocations(entry.site(), locations);
			ConfigService.Outcome outcome = this.changes.apply(snapshot, index, new SiteEntry(site, entry.enabled()),
					principal.getName());
			Flash.success(redirect, done + " Configuration version " + outcome.version() + ".");
		}
		catch (IllegalArgumentException | InvalidConfigurationException ex) {
			Flash.error(redirect, "Nothing was changed: " + ex.getMessage());
		}
		return back;
	}

	private String save(String name, int position, LocationForm form, BindingResult binding, Model model,
			Principal principal, RedirectAttributes redirect) {
		ConfigService.Snapshot snapshot = this.changes.current();
		int index = this.changes.indexOf(snapshot, name);
		SiteEntry entry = snapshot.entries().get(index);
		if (position >= 0) {
			check(entry, position);
		}
		FormErrors errors = FormErrors.of(binding);
		if (!errors.any() && form.version() != snapshot.version()) {
			errors.global(
					SiteChanges.stale(form.version(), snapshot.version()) + " Check the values below and save again.");
			return form(model, entry, position, form.withVersion(snapshot.version()), errors);
		}
		if (errors.any()) {
			return form(model, entry, position, form, errors);
		}
		List<Map<String, Object>> locations = SiteChanges.locations(entry.site());
		int at = (position >= 0) ? position : locations.size();
		try {
			if (position >= 0) {
				locations.set(position, form.toMap());
			}
			else {
				locations.add(form.toMap());
			}
			Site site = this.changes.withLocations(entry.site(), locations);
			ConfigService.Outcome outcome = this.changes.apply(snapshot, index, new SiteEntry(site, entry.enabled()),
					principal.getName());
			Flash.success(redirect, ((position >= 0) ? "Location saved" : "Location added") + " (configuration version "
					+ outcome.version() + ").");
			return "redirect:/console/sites/" + name + "#locations";
		}
		catch (FormFieldException ex) {
			errors.field(ex.field(), ex.getMessage());
		}
		catch (IllegalArgumentException | InvalidConfigurationException ex) {
			// the site loader's and ConfigService's refusals alike
			if (form.realm() != null && !form.realm().isBlank()
					&& String.valueOf(ex.getMessage()).contains("locations[" + at + "].auth.realm: ")) {
				errors.field("realm", ex.getMessage());
			}
			else {
				ConfigMessages.toLocationForm(ex.getMessage(), at, HandlerFields.fields(form), errors);
			}
		}
		return form(model, entry, position, form, errors);
	}

	private static void check(SiteEntry entry, int position) {
		if (position < 0 || position >= entry.site().locations().size()) {
			throw new NotFoundException("Location " + (position + 1) + " of site '" + entry.name() + "'");
		}
	}

	private String form(Model model, SiteEntry entry, int position, LocationForm form, FormErrors errors) {
		model.addAttribute("entry", entry);
		model.addAttribute("position", position);
		model.addAttribute("form", form);
		model.addAttribute("realms", this.changes.current().realms().stream().map(Realm::name).toList());
		model.addAttribute("handlers", HandlerChoice.of(this.descriptions.orderedStream().toList()));
		UpstreamNames names = this.upstreams.getIfAvailable();
		model.addAttribute("upstreams", (names != null) ? names.names() : List.of());
		model.addAttribute("balancers", HandlerBlocks.BALANCERS);
		model.addAttribute(FormErrors.ATTRIBUTE, errors);
		return "console/sites/location";
	}

}
