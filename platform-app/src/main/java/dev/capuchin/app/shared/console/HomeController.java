package dev.capuchin.app.shared.console;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import dev.capuchin.app.security.ConsoleSignInHandlers;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

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

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'", Locale.ROOT);

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
		if (throttled != null && throttled.matches("\\d{1,12}")) {
			// only a time is shown, whatever the link said
			Instant until = Instant.ofEpochSecond(Long.parseLong(throttled));
			model.addAttribute("throttledUntil", until.atOffset(ZoneOffset.UTC));
			model.addAttribute("throttledTime", TIME.format(until.atOffset(ZoneOffset.UTC)));
		}
		HttpSession session = request.getSession(false);
		Object username = (session != null) ? session.getAttribute(ConsoleSignInHandlers.LAST_USERNAME) : null;
		model.addAttribute("username", (username instanceof String name) ? name : "");
		return "console/login";
	}

	@RequestMapping("/console/denied")
	String denied(HttpServletRequest request, Model model) {
		Object refusal = request.getAttribute(WebAttributes.ACCESS_DENIED_403);
		model.addAttribute("csrf", refusal instanceof CsrfException);
		return "console/denied";
	}

}
