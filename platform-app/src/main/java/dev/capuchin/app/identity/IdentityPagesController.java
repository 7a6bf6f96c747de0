package dev.capuchin.app.identity;

import java.security.Principal;
import java.util.Arrays;
import java.util.List;

import dev.capuchin.app.security.SignInHandlers;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The identity pages a realm user sees: sign-in (naming the application that asked) and
 * consent (the scopes asked for, each a checkbox). Plain forms that work without
 * JavaScript, in the console's look.
 */
@Controller
class IdentityPagesController {

	private final RegisteredClientRepository clients;

	private final IdentitySignIn signIn;

	private final BrokeredSignIn brokered;

	IdentityPagesController(RegisteredClientRepository clients, IdentitySignIn signIn, BrokeredSignIn brokered) {
		this.clients = clients;
		this.signIn = signIn;
		this.brokered = brokered;
	}

	@GetMapping(IdentityConfiguration.SIGN_IN)
	String signIn(HttpServletRequest request, Model model,
			@RequestParam(name = "throttled", required = false) String throttled) {
		RegisteredClient client = this.signIn.waitingClient(request);
		model.addAttribute("client", (client != null) ? client.getClientName() : null);
		String realm = this.signIn.realm(request);
		model.addAttribute("realm", realm);
		model.addAttribute("openidLogins", (client != null) ? this.brokered.offered(realm) : List.of());
		model.addAttribute("openidRefusal",
				(request.getParameter("openid-refused") != null) ? BrokeredSignIn.refusal(request) : null);
		model.addAllAttributes(SignInHandlers.pageModel(request, IdentityConfiguration.SIGN_IN, throttled));
		return "identity/sign-in";
	}

	@GetMapping(IdentityConfiguration.CONSENT)
	String consent(Principal principal, Model model, @RequestParam("client_id") String clientId,
			@RequestParam("scope") String scope, @RequestParam("state") String state,
			@RequestParam(name = "user_code", required = false) String userCode) {
		RegisteredClient client = this.clients.findByClientId(clientId);
		if (client == null) {
			throw new org.springframework.web.server.ResponseStatusException(
					org.springframework.http.HttpStatus.BAD_REQUEST, "unknown client");
		}
		List<String> scopes = Arrays.stream(scope.split(" "))
			.filter((name) -> !name.isBlank() && !OidcScopes.OPENID.equals(name))
			.toList();
		model.addAttribute("clientId", clientId);
		model.addAttribute("client", client.getClientName());
		model.addAttribute("user", principal.getName());
		model.addAttribute("scopes", scopes);
		model.addAttribute("state", state);
		model.addAttribute("userCode", userCode);
		model.addAttribute("action", (userCode != null) ? "/oauth2/device_verification" : "/oauth2/authorize");
		return "identity/consent";
	}

}
