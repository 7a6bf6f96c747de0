package dev.capuchin.app.identity;

import java.security.Principal;

import dev.capuchin.app.audit.AuditLog;
import dev.capuchin.app.shared.console.Flash;

import org.springframework.stereotype.Controller;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The Signing keys page: every key of the JWK set with its id, algorithm, age and state
 * (the one that signs, the ones only published until the tokens they signed expire), and
 * the rotation, audited as {@code POST /api/signing-keys/rotate} audits it. Never any key
 * material.
 */
@Controller
class SigningKeysController {

	private final SigningKeys keys;

	private final IdentityProperties properties;

	private final AuditLog audit;

	private final TransactionTemplate transactions;

	SigningKeysController(SigningKeys keys, IdentityProperties properties, AuditLog audit,
			TransactionTemplate transactions) {
		this.keys = keys;
		this.properties = properties;
		this.audit = audit;
		this.transactions = transactions;
	}

	@GetMapping("/console/signing-keys")
	String list(Model model) {
		// the first key is made when first needed: the page shows what tokens will carry
		this.keys.active();
		model.addAttribute("keys", this.keys.list());
		model.addAttribute("overlap", this.properties.keyOverlap());
		model.addAttribute("refresh", this.properties.keyRefresh());
		return "console/signing-keys/list";
	}

	@PostMapping("/console/signing-keys/rotate")
	String rotate(Principal principal, RedirectAttributes redirect) {
		SigningKey key = this.keys.rotate();
		this.transactions.executeWithoutResult((status) -> this.audit.record(principal.getName(), "rotate",
				"signing-key " + key.kid(), null, "algorithm: " + key.algorithm() + "\n"));
		Flash.success(redirect, "Key " + key.kid() + " signs from now on; the previous key stays in the JWK set "
				+ "until the tokens it signed have expired.");
		return "redirect:/console/signing-keys";
	}

}
