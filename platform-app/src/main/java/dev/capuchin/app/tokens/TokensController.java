package dev.capuchin.app.tokens;

import java.security.Principal;
import java.time.Instant;

import dev.capuchin.app.shared.console.Flash;
import dev.capuchin.app.shared.console.FormErrors;
import dev.capuchin.app.shared.console.NotFoundException;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;

import org.springframework.http.CacheControl;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The API tokens page (admins only): the tokens with their scope, creator, expiry, last
 * use and state; a new token is shown once, on the page that answers its creation (never
 * through a redirect, which would keep it in the session), with a curl example; a token
 * is revoked after a confirmation page and stays listed as revoked.
 */
@Controller
class TokensController {

	private final ApiTokenService tokens;

	TokensController(ApiTokenService tokens) {
		this.tokens = tokens;
	}

	@GetMapping("/console/tokens")
	String list(Model model) {
		Instant now = this.tokens.now();
		model.addAttribute("tokens",
				this.tokens.list().stream().map((token) -> new Row(token, token.status(now))).toList());
		return "console/tokens/list";
	}

	@GetMapping("/console/tokens/new")
	String create(Model model) {
		model.addAttribute("form", TokenForm.blank());
		model.addAttribute(FormErrors.ATTRIBUTE, new FormErrors());
		return "console/tokens/new";
	}

	@PostMapping("/console/tokens")
	String created(@Valid @ModelAttribute("form") TokenForm form, BindingResult binding, Model model,
			Principal principal, RedirectAttributes redirect) {
		FormErrors errors = FormErrors.of(binding);
		if (!errors.has("name") && this.tokens.nameInUse(form.name())) {
			errors.field("name",
					"A token named '" + form.name().trim() + "' exists already; revoke it or choose another name.");
		}
		if (errors.any()) {
			model.addAttribute(FormErrors.ATTRIBUTE, errors);
			return "console/tokens/new";
		}
		ApiTokenService.Created created = this.tokens.create(form.name(), ApiToken.Scope.of(form.scope()),
				form.validity(), principal.getName());
		// post/redirect/get: the token travels once, as a flash attribute, so reloading
		// the page that shows it neither posts again nor shows it again
		redirect.addFlashAttribute("secret", created.secret());
		return "redirect:/console/tokens/" + created.token().id() + "/created";
	}

	@GetMapping("/console/tokens/{id}/created")
	String shown(@PathVariable long id, Model model, HttpServletResponse response, RedirectAttributes redirect) {
		ApiToken token = find(id);
		if (!(model.getAttribute("secret") instanceof String)) {
			Flash.error(redirect, "Token " + token.name()
					+ " was shown once, when it was created; revoke it and create another if it was lost.");
			return "redirect:/console/tokens";
		}
		// the one page that holds the token: never cached, never stored
		response.setHeader("Cache-Control", CacheControl.noStore().getHeaderValue());
		model.addAttribute("token", token);
		model.addAttribute("base", ServletUriComponentsBuilder.fromCurrentContextPath().toUriString());
		return "console/tokens/created";
	}

	@GetMapping("/console/tokens/{id}/revoke")
	String confirmRevoke(@PathVariable long id, Model model) {
		ApiToken token = find(id);
		model.addAttribute("token", token);
		model.addAttribute("status", token.status(this.tokens.now()));
		return "console/tokens/revoke";
	}

	@PostMapping("/console/tokens/{id}/revoke")
	String revoke(@PathVariable long id, Principal principal, RedirectAttributes redirect) {
		ApiToken token = this.tokens.revoke(id, principal.getName())
			.orElseThrow(() -> new NotFoundException("Token " + id));
		Flash.success(redirect, "Token " + token.name() + " revoked; requests that present it get 401 from now on.");
		return "redirect:/console/tokens";
	}

	private ApiToken find(long id) {
		return this.tokens.find(id).orElseThrow(() -> new NotFoundException("Token " + id));
	}

	/**
	 * One token on the page.
	 *
	 * @param token the token
	 * @param status its state now
	 */
	record Row(ApiToken token, ApiToken.Status status) {
	}

}
