package dev.capuchin.app.openidlogins;

import java.security.Principal;
import java.util.List;

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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * The OpenID logins pages: the logins with the locations that use them; make one or
 * change one (its errors beside the fields), with the issuer's discovery document fetched
 * and shown (endpoints, signing algorithms, scopes) before saving; delete after a
 * confirmation page that names the locations that use it (which refuse the deletion). A
 * client secret or private key is written, never shown; the public half of a
 * {@code private-key-jwt} key is shown, to register at the provider. Every change goes
 * through {@link OpenIdLogins}, versioned and audited like the API's.
 */
@Controller
class OpenIdLoginsController {

	private final OpenIdLogins logins;

	OpenIdLoginsController(OpenIdLogins logins) {
		this.logins = logins;
	}

	@GetMapping("/console/openid-logins")
	String list(Model model) {
		model.addAttribute("logins", this.logins.list());
		model.addAttribute("usage", this.logins.usage());
		return "console/openid-logins/list";
	}

	@GetMapping("/console/openid-logins/new")
	String create(Model model) {
		return form(model, null, OpenIdLoginForm.blank(), new FormErrors(), null);
	}

	@PostMapping("/console/openid-logins")
	String created(@ModelAttribute("form") OpenIdLoginForm form,
			@RequestParam(name = "action", defaultValue = "save") String action, Model model, Principal principal,
			RedirectAttributes redirect) {
		FormErrors errors = new FormErrors();
		OpenIdDiscovery.Metadata metadata = discover(form.issuer(), errors);
		if ("discover".equals(action) || errors.any()) {
			return form(model, null, form, errors, metadata);
		}
		OpenIdLogin login;
		try {
			login = this.logins.create(form.spec(), principal.getName());
		}
		catch (IllegalArgumentException | IllegalStateException | InvalidConfigurationException ex) {
			return form(model, null, form, OpenIdLoginForm.refused(ex.getMessage(), errors), metadata);
		}
		Flash.success(redirect, "OpenID login " + login.name() + " created. Register "
				+ "/.capuchin/openid/callback on each protected site's host as a redirect URI at the provider.");
		return "redirect:/console/openid-logins/" + segment(login.name());
	}

	@GetMapping("/console/openid-logins/{name}")
	String show(@PathVariable String name, Model model) {
		OpenIdLogin login = find(name);
		FormErrors errors = new FormErrors();
		OpenIdDiscovery.Metadata metadata = discover(login.issuer(), errors);
		return form(model, login, OpenIdLoginForm.of(login), errors, metadata);
	}

	@PostMapping("/console/openid-logins/{name}")
	String edited(@PathVariable String name, @ModelAttribute("form") OpenIdLoginForm form,
			@RequestParam(name = "action", defaultValue = "save") String action, Model model, Principal principal,
			RedirectAttributes redirect) {
		OpenIdLogin existing = find(name);
		FormErrors errors = new FormErrors();
		OpenIdDiscovery.Metadata metadata = discover(form.issuer(), errors);
		if ("discover".equals(action) || errors.any()) {
			return form(model, existing, form, errors, metadata);
		}
		try {
			this.logins.update(name, form.spec(), principal.getName())
				.orElseThrow(() -> new NotFoundException("OpenID login '" + name + "'"));
		}
		catch (IllegalArgumentException | InvalidConfigurationException ex) {
			return form(model, existing, form, OpenIdLoginForm.refused(ex.getMessage(), errors), metadata);
		}
		Flash.success(redirect, "OpenID login " + name + " saved.");
		return "redirect:/console/openid-logins/" + segment(name);
	}

	@GetMapping("/console/openid-logins/{name}/delete")
	String confirmDelete(@PathVariable String name, Model model) {
		model.addAttribute("login", find(name));
		model.addAttribute("usedBy", this.logins.usage().getOrDefault(name, List.of()));
		return "console/openid-logins/delete";
	}

	@PostMapping("/console/openid-logins/{name}/delete")
	String delete(@PathVariable String name, Principal principal, RedirectAttributes redirect) {
		try {
			if (!this.logins.delete(name, principal.getName())) {
				throw new NotFoundException("OpenID login '" + name + "'");
			}
		}
		catch (InvalidConfigurationException ex) {
			Flash.error(redirect, "Not deleted: " + ex.getMessage());
			return "redirect:/console/openid-logins/" + segment(name) + "/delete";
		}
		Flash.success(redirect, "OpenID login " + name + " deleted.");
		return "redirect:/console/openid-logins";
	}

	private OpenIdDiscovery.Metadata discover(String issuer, FormErrors errors) {
		if (issuer == null || issuer.isBlank()) {
			return null;
		}
		try {
			return this.logins.discover(issuer.trim());
		}
		catch (IllegalArgumentException ex) {
			OpenIdLoginForm.refused(ex.getMessage(), errors);
			return null;
		}
	}

	private String form(Model model, OpenIdLogin existing, OpenIdLoginForm form, FormErrors errors,
			OpenIdDiscovery.Metadata metadata) {
		model.addAttribute("existing", existing);
		model.addAttribute("form", form);
		model.addAttribute("metadata", metadata);
		model.addAttribute("usedBy",
				(existing != null) ? this.logins.usage().getOrDefault(existing.name(), List.of()) : List.of());
		model.addAttribute("clientAuths", OpenIdClientAuth.names());
		// the public half of the login's key, to register at the provider
		model.addAttribute("publicJwks", (existing != null) ? publicJwks(existing.name(), errors) : null);
		if (existing != null) {
			model.addAttribute("tryCallback",
					ServletUriComponentsBuilder.fromCurrentContextPath()
						.path("/console/openid-logins/{name}/try/callback")
						.buildAndExpand(existing.name())
						.toUriString());
		}
		model.addAttribute(FormErrors.ATTRIBUTE, errors);
		return "console/openid-logins/form";
	}

	private String publicJwks(String name, FormErrors errors) {
		try {
			return this.logins.publicJwks(name).orElse(null);
		}
		catch (IllegalArgumentException ex) {
			// a key exported under another master key: said beside the key's field
			OpenIdLoginForm.refused(ex.getMessage(), errors);
			return null;
		}
	}

	private OpenIdLogin find(String name) {
		return this.logins.find(name).orElseThrow(() -> new NotFoundException("OpenID login '" + name + "'"));
	}

	static String segment(String name) {
		return UriUtils.encodePathSegment(name, "UTF-8");
	}

}
