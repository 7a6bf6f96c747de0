package dev.capuchin.app.sites;

import java.security.Principal;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.app.shared.config.InvalidConfigurationException;
import dev.capuchin.app.realms.Realm;
import dev.capuchin.app.shared.console.Flash;
import dev.capuchin.app.shared.console.FormErrors;
import dev.capuchin.app.shared.console.NotFoundException;
import dev.capuchin.core.spi.PluginDescription;
import dev.capuchin.core.spi.Location;
import dev.capuchin.core.spi.Site;
import dev.capuchin.plugin.mandril.MandrilBlocks;
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
 * remove. A save or removal that would take away or alter what the form does not show as
 * fields (access rules, other plugin blocks, other locations) shows the difference first
 * and applies only when confirmed. Every handler is offered; one whose plugin does not
 * run here is marked, from the {@link PluginDescription}s of the modules on the class
 * path. Locations are addressed by position, so every change carries the configuration
 * version it was made on and is refused when the configuration changed meanwhile.
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
	String delete(@PathVariable String name, @PathVariable int position, @RequestParam long version, Model model,
			Principal principal, RedirectAttributes redirect) {
		ConfigService.Snapshot snapshot = this.changes.current();
		int index = this.changes.indexOf(snapshot, name);
		SiteEntry entry = snapshot.entries().get(index);
		check(entry, position);
		String label = SiteItems.label(entry.site().locations().get(position));
		List<Map<String, Object>> locations = SiteChanges.locations(entry.site());
		locations.remove(position);
		if (version == snapshot.version()) {
			try {
				Site site = this.changes.withLocations(entry.site(), locations);
				SiteChanges.Confirmation confirmation = this.changes.confirmation(snapshot, index,
						new SiteEntry(site, entry.enabled()),
						(change) -> change.target().equals("location " + label + " on " + name), principal.getName());
				if (confirmation != null) {
					return SitesController.confirm(model, confirmation, "/console/sites/" + name + "#locations");
				}
			}
			catch (IllegalArgumentException | InvalidConfigurationException ex) {
				Flash.error(redirect, "Nothing was changed: " + ex.getMessage());
				return "redirect:/console/sites/" + name + "#locations";
			}
		}
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
				Location stored = entry.site().locations().get(position);
				locations.set(position, form.toMap(MandrilBlocks.rules(stored.settings())));
			}
			else {
				locations.add(form.toMap(List.of()));
			}
			Site site = this.changes.withLocations(entry.site(), locations);
			Set<String> labels = new HashSet<>();
			labels.add((form.value() != null) ? form.value().trim() : "");
			if (position >= 0) {
				labels.add(SiteItems.label(entry.site().locations().get(position)));
			}
			SiteChanges.Confirmation confirmation = this.changes.confirmation(snapshot, index,
					new SiteEntry(site, entry.enabled()), (change) -> shownByForm(change, name, labels),
					principal.getName());
			if (confirmation != null) {
				return SitesController.confirm(model, confirmation, "/console/sites/" + name + "#locations");
			}
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

	/**
	 * Whether a change is to what the location form shows as fields: the location's path,
	 * its realm and its handler's block.
	 */
	private static boolean shownByForm(SiteItems.Change change, String site, Set<String> labels) {
		for (String label : labels) {
			String at = " at location " + label + " on " + site;
			if (change.target().equals("location " + label + " on " + site)
					|| (change.category() == SiteItems.Category.REALM_REFERENCE && change.target().endsWith(at))) {
				return true;
			}
			for (LocationHandler handler : LocationHandler.values()) {
				if (handler.plugin() != null && change.target().equals("plugin block " + handler.plugin() + at)) {
					return true;
				}
			}
		}
		return false;
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
