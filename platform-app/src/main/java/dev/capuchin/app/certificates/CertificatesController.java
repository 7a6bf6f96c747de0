package dev.capuchin.app.certificates;

import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.capuchin.app.shared.api.ApiException;
import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.app.shared.console.Flash;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The Certificates page: every certificate with its names, issuer, validity, source, next
 * renewal and last error (those that expire within {@link CertificateHealth#WARN_BEFORE}
 * highlighted); order and renew now, revocation and deletion of an uploaded one (each
 * confirmed on a page of its own), the upload form, and the ACME account (email,
 * directory, key thumbprint, key rollover after a confirmation). The actions are
 * {@link CertificateActions}, as the API's are.
 */
@Controller
class CertificatesController {

	private static final String LIST = "redirect:/console/certificates";

	private final ConfigService config;

	private final ObjectProvider<CertificateStore> store;

	private final ObjectProvider<CertificateActions> actions;

	private final Clock clock = Clock.systemUTC();

	CertificatesController(ConfigService config, ObjectProvider<CertificateStore> store,
			ObjectProvider<CertificateActions> actions) {
		this.config = config;
		this.store = store;
		this.actions = actions;
	}

	@GetMapping("/console/certificates")
	String list(Model model) {
		CertificateStore certificates = this.store.getIfAvailable();
		CertificateActions available = this.actions.getIfAvailable();
		Instant now = this.clock.instant();
		List<Row> rows = new ArrayList<>();
		for (Map<String, Object> view : CertificateViews.views(this.config.current().entries(),
				(certificates != null) ? certificates.all() : List.of())) {
			rows.add(Row.of(view, now));
		}
		model.addAttribute("rows", rows);
		model.addAttribute("acme", available != null);
		model.addAttribute("account", (available != null) ? available.account() : null);
		model.addAttribute("warnDays", CertificateHealth.WARN_BEFORE.toDays());
		return "console/certificates/list";
	}

	@PostMapping("/console/certificates/{site}/order")
	String order(@PathVariable String site, Principal principal, RedirectAttributes redirect) {
		return act(redirect, () -> "Certificate of " + site + " issued: serial "
				+ actions().order(site, false, principal.getName()).serial() + ".");
	}

	@PostMapping("/console/certificates/{site}/renew")
	String renew(@PathVariable String site, Principal principal, RedirectAttributes redirect) {
		return act(redirect, () -> "Certificate of " + site + " renewed: serial "
				+ actions().order(site, true, principal.getName()).serial() + ".");
	}

	@GetMapping("/console/certificates/revoke")
	String confirmRevoke(@RequestParam(defaultValue = "") String site, Model model) {
		return confirm(model, "Revoke the certificate of " + site + "?", "revoke",
				"The CA marks it revoked at once: browsers that check revocation refuse it. A new certificate is "
						+ "ordered right after, and the revoked one serves until it is in place.",
				"/console/certificates/revoke", "Revoke", site);
	}

	@PostMapping("/console/certificates/revoke")
	String revoke(@RequestParam String site, Principal principal, RedirectAttributes redirect) {
		return act(redirect, () -> {
			StoredCertificate after = actions().revoke(site, principal.getName());
			return "Certificate of " + site + " revoked."
					+ ((after.lastError() != null) ? " The new order failed: " + after.lastError()
							: " New certificate: serial " + after.serial() + ".");
		});
	}

	@GetMapping("/console/certificates/delete")
	String confirmDelete(@RequestParam(defaultValue = "") String site, Model model) {
		return confirm(model, "Delete the uploaded certificate of " + site + "?", "delete",
				"A certificate from the CA is ordered at once; the uploaded one serves until it is in place.",
				"/console/certificates/delete", "Delete", site);
	}

	@PostMapping("/console/certificates/delete")
	String delete(@RequestParam String site, Principal principal, RedirectAttributes redirect) {
		return act(redirect, () -> {
			StoredCertificate after = actions().delete(site, principal.getName());
			return "Uploaded certificate of " + site + " deleted." + ((after != null && after.lastError() != null)
					? " The order that follows failed: " + after.lastError() : "");
		});
	}

	@GetMapping("/console/certificates/upload")
	String uploadForm(@RequestParam(defaultValue = "") String site, Model model) {
		return upload(model, site, "", null, null);
	}

	@PostMapping("/console/certificates/upload")
	String upload(@RequestParam(defaultValue = "") String site, @RequestParam(defaultValue = "") String certificate,
			@RequestParam(name = "private-key", defaultValue = "") String privateKey, Principal principal, Model model,
			RedirectAttributes redirect) {
		try {
			StoredCertificate row = actions().upload(site, certificate, privateKey, principal.getName());
			Flash.success(redirect, "Certificate uploaded for " + site + ": serial " + row.serial() + ", served from "
					+ "the next handshake.");
			return LIST;
		}
		catch (ApiException ex) {
			// the key is never sent back to the browser: it is typed again
			String message = ex.getMessage();
			String field = message.startsWith("private-key") ? "private-key"
					: message.startsWith("certificate") ? "certificate" : "site";
			return upload(model, site, certificate, field, message);
		}
	}

	@PostMapping("/console/certificates/account/email")
	String email(@RequestParam(defaultValue = "") String email, Principal principal, RedirectAttributes redirect) {
		return act(redirect,
				() -> "ACME account email changed to " + actions().email(email, principal.getName()).email() + ".");
	}

	@GetMapping("/console/certificates/account/rollover")
	String confirmRollover(Model model) {
		return confirm(model, "Roll the ACME account key over?", "rollover",
				"A new key replaces the account's key at the CA and in the store; the account, its certificates and "
						+ "their renewals stay. The old key is no longer accepted.",
				"/console/certificates/account/rollover", "Roll over", null);
	}

	@PostMapping("/console/certificates/account/rollover")
	String rollover(Principal principal, RedirectAttributes redirect) {
		return act(redirect, () -> "ACME account key rolled over: thumbprint "
				+ actions().rollover(principal.getName()).keyThumbprint() + ".");
	}

	private String upload(Model model, String site, String certificate, @Nullable String field,
			@Nullable String error) {
		CertificateActions available = this.actions.getIfAvailable();
		model.addAttribute("sites", (available != null) ? List.copyOf(available.sites()) : List.of());
		model.addAttribute("site", site);
		model.addAttribute("certificate", certificate);
		model.addAttribute("field", field);
		model.addAttribute("error", error);
		return "console/certificates/upload";
	}

	private String confirm(Model model, String heading, String kind, String text, String action, String button,
			@Nullable String site) {
		CertificateActions available = this.actions.getIfAvailable();
		model.addAttribute("heading", heading);
		model.addAttribute("kind", kind);
		model.addAttribute("text", text);
		model.addAttribute("action", action);
		model.addAttribute("button", button);
		model.addAttribute("site", site);
		// a site that orders no certificate (or no CA at all) gets no form to send
		model.addAttribute("known", available != null && (site == null || available.sites().contains(site)));
		return "console/certificates/confirm";
	}

	private String act(RedirectAttributes redirect, Action action) {
		try {
			Flash.success(redirect, action.run());
		}
		catch (ApiException ex) {
			Flash.error(redirect, "Not done: " + ex.getMessage());
		}
		return LIST;
	}

	private CertificateActions actions() {
		CertificateActions available = this.actions.getIfAvailable();
		if (available == null) {
			throw ApiException.conflict("capuchin.acme.directory: not set (expected: the ACME CA's directory URL)");
		}
		return available;
	}

	@FunctionalInterface
	private interface Action {

		String run();

	}

	/**
	 * A certificate as the page lists it.
	 *
	 * @param view the certificate as the API shows it
	 * @param expired whether it has expired
	 * @param expiringSoon whether it expires within {@link CertificateHealth#WARN_BEFORE}
	 */
	record Row(Map<String, Object> view, boolean expired, boolean expiringSoon) {

		static Row of(Map<String, Object> view, Instant now) {
			Object notAfter = view.get("not-after");
			Instant end = (notAfter != null) ? Instant.parse(notAfter.toString()) : null;
			boolean expired = end != null && end.isBefore(now);
			return new Row(view, expired,
					end != null && !expired && end.isBefore(now.plus(CertificateHealth.WARN_BEFORE)));
		}

		public Object get(String key) {
			return this.view.get(key);
		}

		public boolean acme() {
			return StoredCertificate.ACME.equals(this.view.get("source"));
		}

		public boolean issued() {
			return this.view.get("serial") != null;
		}

		/**
		 * Whether the row is the store's (an ACME site's), which the actions apply to.
		 */
		public boolean stored() {
			return !this.view.containsKey("certificate");
		}

	}

}
