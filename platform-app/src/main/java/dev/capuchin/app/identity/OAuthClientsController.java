package dev.capuchin.app.identity;

import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import dev.capuchin.app.realms.Realm;
import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.app.shared.console.Flash;
import dev.capuchin.app.shared.console.FormErrors;
import dev.capuchin.app.shared.console.NotFoundException;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.CacheControl;
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
 * The OAuth clients pages: the clients with a search; make one (its errors beside the
 * fields); a client's page to change it, rotate its secret with a grace period for the
 * previous one, disable or enable it, and see and revoke its recent grants; delete after
 * a confirmation page that says how many grants go with it. A secret is shown once, on
 * the page that answers its creation or rotation (never through a redirect, which would
 * keep it in the session, and never cached). Every change goes through
 * {@link OAuthClients}, which audits it as the API's changes are.
 */
@Controller
class OAuthClientsController {

	/** The grace periods offered for a rotated secret, as durations. */
	static final List<String> GRACE_PERIODS = List.of("0", "1h", "1d", "7d", "30d");

	/** The longest search text read. */
	private static final int MAX_QUERY = 100;

	private final OAuthClients clients;

	private final ConfigService config;

	OAuthClientsController(OAuthClients clients, ConfigService config) {
		this.clients = clients;
		this.config = config;
	}

	@GetMapping("/console/oauth-clients")
	String list(@RequestParam(name = "q", defaultValue = "") String query, Model model) {
		String q = query.strip();
		if (q.length() > MAX_QUERY) {
			q = q.substring(0, MAX_QUERY);
		}
		List<OAuthClient> all = this.clients.list();
		String needle = q.toLowerCase(Locale.ROOT);
		model.addAttribute("clients", all.stream().filter((client) -> matches(client, needle)).toList());
		model.addAttribute("total", all.size());
		model.addAttribute("q", q);
		return "console/oauth-clients/list";
	}

	@GetMapping("/console/oauth-clients/new")
	String create(Model model) {
		List<String> realms = realms();
		return form(model, null, OAuthClientForm.blank(realms.isEmpty() ? "" : realms.get(0)), new FormErrors());
	}

	@PostMapping("/console/oauth-clients")
	String created(@ModelAttribute("form") OAuthClientForm form, Model model, Principal principal,
			HttpServletResponse response, RedirectAttributes redirect) {
		OAuthClients.Created created;
		try {
			created = this.clients.create(form.spec(false), principal.getName());
		}
		catch (IllegalArgumentException | IllegalStateException ex) {
			return form(model, null, form, OAuthClientForm.refused(ex.getMessage(), new FormErrors()));
		}
		if (created.secret() == null) {
			Flash.success(redirect, "Public client " + created.client().clientId()
					+ " created: it has no secret and signs in with PKCE.");
			return "redirect:/console/oauth-clients/" + segment(created.client().clientId());
		}
		return secret(model, response, created, false);
	}

	@GetMapping("/console/oauth-clients/{clientId}")
	String show(@PathVariable String clientId, Model model) {
		OAuthClient client = find(clientId);
		return form(model, client, OAuthClientForm.of(client), new FormErrors());
	}

	@PostMapping("/console/oauth-clients/{clientId}")
	String edited(@PathVariable String clientId, @ModelAttribute("form") OAuthClientForm form, Model model,
			Principal principal, RedirectAttributes redirect) {
		OAuthClient existing = find(clientId);
		try {
			this.clients.update(clientId, form.spec(true), principal.getName())
				.orElseThrow(() -> new NotFoundException("OAuth client '" + clientId + "'"));
		}
		catch (IllegalArgumentException ex) {
			return form(model, existing, form, OAuthClientForm.refused(ex.getMessage(), new FormErrors()));
		}
		Flash.success(redirect, "OAuth client " + clientId + " saved.");
		return "redirect:/console/oauth-clients/" + segment(clientId);
	}

	@PostMapping("/console/oauth-clients/{clientId}/secret")
	String rotate(@PathVariable String clientId, @RequestParam(name = "grace", defaultValue = "0") String grace,
			Model model, Principal principal, HttpServletResponse response, RedirectAttributes redirect) {
		find(clientId);
		try {
			OAuthClients.Created rotated = this.clients.rotateSecret(clientId, grace(grace), principal.getName())
				.orElseThrow(() -> new NotFoundException("OAuth client '" + clientId + "'"));
			return secret(model, response, rotated, true);
		}
		catch (IllegalArgumentException ex) {
			Flash.error(redirect, "The secret was not rotated: " + ex.getMessage());
			return "redirect:/console/oauth-clients/" + segment(clientId);
		}
	}

	@PostMapping("/console/oauth-clients/{clientId}/enabled")
	String enable(@PathVariable String clientId, @RequestParam(name = "enabled", defaultValue = "") String enabled,
			Principal principal, RedirectAttributes redirect) {
		find(clientId);
		boolean on = Boolean.parseBoolean(enabled);
		try {
			this.clients
				.update(clientId,
						new OAuthClients.Spec(null, null, null, null, null, null, null, null, null, null, null, null,
								on, null),
						principal.getName())
				.orElseThrow(() -> new NotFoundException("OAuth client '" + clientId + "'"));
			Flash.success(redirect, on ? "OAuth client " + clientId + " enabled: it may get tokens again."
					: "OAuth client " + clientId + " disabled: it gets no token, and its grants were revoked.");
		}
		catch (IllegalArgumentException ex) {
			Flash.error(redirect, "Nothing changed: " + ex.getMessage());
		}
		return "redirect:/console/oauth-clients/" + segment(clientId);
	}

	@GetMapping("/console/oauth-clients/{clientId}/delete")
	String confirmDelete(@PathVariable String clientId, Model model) {
		model.addAttribute("client", find(clientId));
		model.addAttribute("grants", this.clients.grants(clientId).size());
		return "console/oauth-clients/delete";
	}

	@PostMapping("/console/oauth-clients/{clientId}/delete")
	String delete(@PathVariable String clientId, Principal principal, RedirectAttributes redirect) {
		if (!this.clients.delete(clientId, principal.getName())) {
			throw new NotFoundException("OAuth client '" + clientId + "'");
		}
		Flash.success(redirect, "OAuth client " + clientId + " deleted; its tokens and consents were revoked.");
		return "redirect:/console/oauth-clients";
	}

	@PostMapping("/console/oauth-clients/{clientId}/grants/{grantId}/revoke")
	String revoke(@PathVariable String clientId, @PathVariable String grantId, Principal principal,
			RedirectAttributes redirect) {
		find(clientId);
		if (this.clients.revoke(clientId, grantId, principal.getName())) {
			Flash.success(redirect, "Grant revoked: its access and refresh tokens stop working.");
		}
		else {
			Flash.error(redirect, "No such grant: it was revoked or has expired already.");
		}
		return "redirect:/console/oauth-clients/" + segment(clientId) + "#grants";
	}

	private String form(Model model, OAuthClient existing, OAuthClientForm form, FormErrors errors) {
		model.addAttribute("existing", existing);
		model.addAttribute("form", form);
		model.addAttribute("realms", realms());
		model.addAttribute("grantNames", OAuthClients.GRANTS.stream().map((grant) -> grant.getValue()).toList());
		model.addAttribute("gracePeriods", GRACE_PERIODS);
		model.addAttribute("grants", (existing != null) ? this.clients.grants(existing.clientId()) : List.of());
		model.addAttribute(FormErrors.ATTRIBUTE, errors);
		return "console/oauth-clients/form";
	}

	private String secret(Model model, HttpServletResponse response, OAuthClients.Created created, boolean rotated) {
		// the one page that holds the secret: never cached, never stored
		response.setHeader("Cache-Control", CacheControl.noStore().getHeaderValue());
		model.addAttribute("client", created.client());
		model.addAttribute("secret", created.secret());
		model.addAttribute("rotated", rotated);
		model.addAttribute("issuer", ServletUriComponentsBuilder.fromCurrentContextPath().toUriString());
		return "console/oauth-clients/secret";
	}

	private OAuthClient find(String clientId) {
		return this.clients.find(clientId).orElseThrow(() -> new NotFoundException("OAuth client '" + clientId + "'"));
	}

	private List<String> realms() {
		return this.config.current().realms().stream().map(Realm::name).toList();
	}

	private static Duration grace(String value) {
		if (!GRACE_PERIODS.contains(value)) {
			throw new IllegalArgumentException(
					"grace: '" + value + "' (expected: one of " + String.join(", ", GRACE_PERIODS) + ")");
		}
		return DurationStyle.detectAndParse(value);
	}

	private static boolean matches(OAuthClient client, String needle) {
		return needle.isEmpty() || client.clientId().toLowerCase(Locale.ROOT).contains(needle)
				|| (client.name() != null && client.name().toLowerCase(Locale.ROOT).contains(needle))
				|| (client.realm() != null && client.realm().toLowerCase(Locale.ROOT).contains(needle));
	}

	static String segment(String clientId) {
		return UriUtils.encodePathSegment(clientId, "UTF-8");
	}

}
