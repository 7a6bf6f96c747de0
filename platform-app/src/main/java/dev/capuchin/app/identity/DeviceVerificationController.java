package dev.capuchin.app.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The device flow's verification page (RFC 8628 §3.3): the user types the code their
 * device shows into a plain form (CSRF-protected, no JavaScript, phone width). A known
 * code sends the browser on to Spring's verification endpoint with it, where the realm
 * user of the code's client signs in and consents; an unknown, used or expired code is
 * answered 400 on the same page.
 */
@Controller
class DeviceVerificationController {

	private static final Logger logger = LoggerFactory.getLogger(DeviceVerificationController.class);

	private final IdentitySignIn signIn;

	DeviceVerificationController(IdentitySignIn signIn) {
		this.signIn = signIn;
	}

	@GetMapping(IdentityConfiguration.DEVICE_VERIFICATION)
	String page(Model model, @RequestParam(name = "approved", required = false) String approved,
			@RequestParam(name = "failed", required = false) String failed) {
		model.addAttribute("approved", approved != null);
		model.addAttribute("failed", failed != null);
		model.addAttribute("unknownCode", false);
		return "identity/device";
	}

	@PostMapping(IdentityConfiguration.DEVICE)
	String enter(HttpServletRequest request, HttpServletResponse response, Model model,
			@RequestParam(name = OAuth2ParameterNames.USER_CODE, required = false) String userCode) {
		String code = IdentitySignIn.normalizeUserCode(userCode);
		RegisteredClient client = (code != null) ? this.signIn.deviceClient(code) : null;
		if (client == null) {
			// a guess, a typo or a code past its lifetime: the page again, with the
			// reason
			logger.info("Device verification from {}: unknown, used or expired user code", request.getRemoteAddr());
			response.setStatus(HttpStatus.BAD_REQUEST.value());
			model.addAttribute("approved", false);
			model.addAttribute("failed", false);
			model.addAttribute("unknownCode", true);
			return "identity/device";
		}
		return "redirect:" + UriComponentsBuilder.fromPath(IdentityConfiguration.DEVICE_VERIFICATION)
			.queryParam(OAuth2ParameterNames.USER_CODE, code)
			.build()
			.toUriString();
	}

}
