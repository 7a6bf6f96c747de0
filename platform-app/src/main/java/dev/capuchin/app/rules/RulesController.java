package dev.capuchin.app.rules;

import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.capuchin.plugin.mandril.RuleKind;
import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.app.sites.SiteEntry;
import dev.capuchin.app.shared.console.Flash;
import dev.capuchin.app.shared.console.FormErrors;
import dev.capuchin.app.shared.console.NotFoundException;
import dev.capuchin.plugin.mandril.MandrilPlugin;
import dev.capuchin.plugin.mandril.autoconfigure.MandrilProperties;
import dev.capuchin.plugin.mandril.autoconfigure.MandrilPropertyRows;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The access rules page: every site's and location's mandril rules with what each does,
 * the global rules from the properties (read-only), an "Add rule" form and deleting after
 * a confirmation page. Changes go through {@link AccessRules}, so through
 * {@code ConfigService.apply}: live at once, audited, refused with the message beside the
 * field.
 */
@Controller
class RulesController {

	private final AccessRules rules;

	private final ConfigService config;

	private final ObjectProvider<MandrilPlugin> plugin;

	private final ObjectProvider<MandrilProperties> properties;

	RulesController(AccessRules rules, ConfigService config, ObjectProvider<MandrilPlugin> plugin,
			ObjectProvider<MandrilProperties> properties) {
		this.rules = rules;
		this.config = config;
		this.plugin = plugin;
		this.properties = properties;
	}

	@GetMapping("/console/rules")
	String list(@RequestParam(name = "site", required = false) String site, Model model) {
		return page(model, RuleForm.blank((site != null) ? site : ""), new FormErrors());
	}

	@PostMapping("/console/rules")
	String add(@ModelAttribute("form") RuleForm form, Model model, Principal principal, RedirectAttributes redirect) {
		FormErrors required = new FormErrors();
		if (required.requireText("value", form.value())) {
			return page(model, form, required);
		}
		try {
			AccessRules.Change change = this.rules.add(form.site(), form.location(), form.kind(), form.value(),
					principal.getName(), false);
			Flash.success(redirect, "Rule added to site " + change.rule().site() + ": " + change.rule().description()
					+ " Configuration version " + change.outcome().version() + ".");
			// back to the same site's form: the next rule is most often for the same site
			redirect.addAttribute("site", change.rule().site());
			return "redirect:/console/rules";
		}
		catch (AccessRuleException ex) {
			FormErrors errors = new FormErrors();
			report(ex, errors);
			return page(model, form, errors);
		}
	}

	@GetMapping("/console/rules/delete")
	String confirmDelete(@ModelAttribute("form") RuleForm form, Model model) {
		AccessRule rule = AccessRules.list(this.config.current().entries())
			.stream()
			.filter((candidate) -> matches(candidate, form))
			.findFirst()
			.orElseThrow(() -> new NotFoundException("Access rule '" + form.value() + "'"));
		model.addAttribute("rule", rule);
		return "console/rules/delete";
	}

	@PostMapping("/console/rules/delete")
	String delete(@ModelAttribute("form") RuleForm form, Principal principal, RedirectAttributes redirect) {
		try {
			AccessRules.Change change = this.rules.remove(form.site(), form.location(), form.kind(), form.value(),
					principal.getName(), false);
			Flash.success(redirect,
					"Rule " + change.rule().kind().id() + " '" + change.rule().value() + "' removed from site "
							+ change.rule().site() + ". Configuration version " + change.outcome().version() + ".");
		}
		catch (AccessRuleException ex) {
			Flash.error(redirect, "Nothing was changed: " + ex.getMessage());
		}
		if (form.site() != null && !form.site().isBlank()) {
			redirect.addAttribute("site", form.site());
		}
		return "redirect:/console/rules";
	}

	private static boolean matches(AccessRule rule, RuleForm form) {
		String location = (form.location() == null || form.location().isBlank()) ? null : form.location();
		return rule.site().equals(form.site()) && Objects.equals(rule.location(), location)
				&& rule.kind().id().equals(form.kind()) && rule.value().equals(form.value());
	}

	private static void report(AccessRuleException ex, FormErrors errors) {
		String message = ex.getMessage();
		if (ex.field() == null) {
			errors.global(message);
			return;
		}
		String prefix = ex.field() + ": ";
		errors.field(ex.field(), message.startsWith(prefix) ? message.substring(prefix.length()) : message);
	}

	private String page(Model model, RuleForm form, FormErrors errors) {
		ConfigService.Snapshot snapshot = this.config.current();
		Map<String, Map<String, List<AccessRule>>> bySite = new LinkedHashMap<>();
		for (AccessRule rule : AccessRules.list(snapshot.entries())) {
			bySite.computeIfAbsent(rule.site(), (site) -> new LinkedHashMap<>())
				.computeIfAbsent((rule.location() != null) ? rule.location() : "", (scope) -> new ArrayList<>())
				.add(rule);
		}
		List<SiteRules> groups = new ArrayList<>();
		bySite.forEach((site, scopes) -> {
			List<ScopeRules> scopeRules = new ArrayList<>();
			scopes.forEach((scope, list) -> scopeRules.add(new ScopeRules(scope.isEmpty() ? null : scope, list)));
			groups.add(new SiteRules(site, scopeRules));
		});
		List<SiteChoice> sites = new ArrayList<>();
		for (SiteEntry entry : snapshot.entries()) {
			sites.add(new SiteChoice(entry.name(), entry.site().locations().stream().map(AccessRules::label).toList()));
		}
		// the form offers the chosen site's locations only; without a choice, the first
		// site
		String asked = form.site();
		SiteChoice chosen = sites.stream()
			.filter((candidate) -> candidate.name().equals(asked))
			.findFirst()
			.orElse(sites.isEmpty() ? null : sites.get(0));
		if (chosen != null && !chosen.name().equals(form.site())) {
			form = new RuleForm(chosen.name(), "", form.kind(), form.value());
		}
		model.addAttribute("groups", groups);
		model.addAttribute("sites", sites);
		model.addAttribute("chosen", chosen);
		model.addAttribute("kinds", RuleKind.values());
		model.addAttribute("version", snapshot.version());
		model.addAttribute("enforced", this.plugin.getIfAvailable() != null);
		MandrilProperties global = this.properties.getIfAvailable();
		model.addAttribute("globals", (global != null) ? MandrilPropertyRows.of(global) : List.of());
		model.addAttribute("form", form);
		model.addAttribute(FormErrors.ATTRIBUTE, errors);
		return "console/rules/list";
	}

	/**
	 * A site's rules on the page.
	 *
	 * @param site the site's name
	 * @param scopes the whole site's rules, then each location's
	 */
	record SiteRules(String site, List<ScopeRules> scopes) {
	}

	/**
	 * The rules of the whole site or of one location.
	 *
	 * @param location the location, or {@code null} for the whole site
	 * @param rules the rules
	 */
	record ScopeRules(String location, List<AccessRule> rules) {
	}

	/**
	 * A site in the form's choices.
	 *
	 * @param name its name
	 * @param locations its locations' paths or expressions
	 */
	record SiteChoice(String name, List<String> locations) {
	}

}
