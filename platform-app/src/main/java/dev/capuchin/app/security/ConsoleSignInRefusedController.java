package dev.capuchin.app.security;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The page a person sees when a sign-in through an OpenID login did not give them the
 * console: why (no console role, a domain the login does not allow, a provider that
 * refused), and the way back to the sign-in page. It names no secret and no claim value
 * but the person's own name.
 */
@Controller
class ConsoleSignInRefusedController {

	private final ConsoleOpenIdSignIn openId;

	ConsoleSignInRefusedController(ConsoleOpenIdSignIn openId) {
		this.openId = openId;
	}

	@GetMapping(ConsoleOpenIdSignIn.REFUSED)
	String refused(HttpServletRequest request, Model model) {
		model.addAttribute("reason", this.openId.refusal(request));
		return "console/login-refused";
	}

}
