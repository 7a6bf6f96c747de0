package dev.capuchin.app.shared.console;

import dev.capuchin.app.security.SignInHandlers;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.WebAttributes;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The control listener's root, the sign-in page and the page for a refused action.
 */
@Controller
class HomeController {

	@GetMapping({ "/", "/console" })
	String root() {
		return "redirect:/console/";
	}

	@GetMapping("/console/login")
	String login(Authentication authentication, @RequestParam(name = "throttled", required = false) String throttled,
			HttpServletRequest request, Model model) {
		if (authentication != null && authentication.isAuthenticated()
				&& !(authentication instanceof AnonymousAuthenticationToken)) {
			return "redirect:/console/";
		}
		model.addAllAttributes(SignInHandlers.pageModel(request, "/console/login", throttled));
		return "console/login";
	}

	@RequestMapping("/console/denied")
	String denied(HttpServletRequest request, Model model) {
		Object refusal = request.getAttribute(WebAttributes.ACCESS_DENIED_403);
		model.addAttribute("csrf", refusal instanceof CsrfException);
		return "console/denied";
	}

}
