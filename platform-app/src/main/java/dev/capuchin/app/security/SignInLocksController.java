package dev.capuchin.app.security;

import java.security.Principal;
import java.util.Locale;

import dev.capuchin.app.audit.AuditLog;
import dev.capuchin.app.shared.console.Flash;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The locks of the {@link PasswordThrottle}, for admins: the console page
 * {@code /console/sign-in-locks} and {@code GET /api/sign-in-locks}, {@code DELETE
 * /api/sign-in-locks/{kind}/{key}} ({@code kind} is {@code account} or {@code address}).
 * Clearing a lock forgets that name's or address's failures and is recorded in the audit
 * log.
 */
@Controller
class SignInLocksController {

	private final PasswordThrottle throttle;

	private final AuditLog audit;

	SignInLocksController(PasswordThrottle throttle, AuditLog audit) {
		this.throttle = throttle;
		this.audit = audit;
	}

	@GetMapping("/console/sign-in-locks")
	String page(Model model) {
		model.addAttribute("locks", this.throttle.locks());
		return "console/users/locks";
	}

	@PostMapping("/console/sign-in-locks/clear")
	String cleared(@RequestParam String kind, @RequestParam String key, Principal principal,
			RedirectAttributes redirect) {
		PasswordThrottle.Lock.Kind parsed = kindOf(kind);
		if (parsed == null) {
			Flash.error(redirect, "Choose an account or an address lock.");
		}
		else if (clear(parsed, key, principal)) {
			Flash.success(redirect, "Sign-in lock on " + describe(parsed, key) + " cleared.");
		}
		else {
			Flash.error(redirect, "No sign-in lock on " + describe(parsed, key) + " any more.");
		}
		return "redirect:/console/sign-in-locks";
	}

	boolean clear(PasswordThrottle.Lock.Kind kind, String key, Principal principal) {
		if (key == null || key.isBlank() || key.length() > 128) {
			return false;
		}
		boolean cleared = this.throttle.clear(kind, key);
		if (cleared) {
			this.audit.record(principal.getName(), "removed", "sign-in lock on " + describe(kind, key), null, null);
		}
		return cleared;
	}

	private static String describe(PasswordThrottle.Lock.Kind kind, String key) {
		return kind.name().toLowerCase(Locale.ROOT) + " " + key;
	}

	static PasswordThrottle.Lock.Kind kindOf(String kind) {
		return switch (String.valueOf(kind).toLowerCase(Locale.ROOT)) {
			case "account" -> PasswordThrottle.Lock.Kind.ACCOUNT;
			case "address" -> PasswordThrottle.Lock.Kind.ADDRESS;
			default -> null;
		};
	}

}
