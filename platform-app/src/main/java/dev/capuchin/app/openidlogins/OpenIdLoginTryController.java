package dev.capuchin.app.openidlogins;

import dev.capuchin.app.shared.console.Flash;
import dev.capuchin.app.shared.console.NotFoundException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.CacheControl;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.HttpSessionOAuth2AuthorizationRequestRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationResponse;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.util.UrlUtils;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.View;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.servlet.view.RedirectView;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * "Try it" on a login's page: sends the admin's browser to the provider (the console is
 * the client, {@link OpenIdTrial#CALLBACK} its redirect URI, to be registered at the
 * provider), and on the way back shows the claims that came and what the login's mappings
 * make of them. The authorization request (its {@code state}, {@code nonce} and PKCE
 * verifier) waits in the admin's console session; a callback whose {@code state} matches
 * none is refused.
 */
@Controller
class OpenIdLoginTryController {

	private final OpenIdLogins logins;

	private final OpenIdLoginKeys keys;

	private final OpenIdTrial trial;

	private final HttpSessionOAuth2AuthorizationRequestRepository requests = new HttpSessionOAuth2AuthorizationRequestRepository();

	OpenIdLoginTryController(OpenIdLogins logins, OpenIdLoginStore store, OpenIdTrial trial) {
		this.logins = logins;
		this.keys = store.keys();
		this.trial = trial;
	}

	@PostMapping("/console/openid-logins/{name}/try")
	View start(@PathVariable String name, HttpServletRequest request, HttpServletResponse response,
			RedirectAttributes redirect) {
		OpenIdLogin login = find(name);
		ClientRegistration registration;
		try {
			registration = registration(login);
		}
		catch (IllegalArgumentException ex) {
			Flash.error(redirect, "Try it: " + ex.getMessage());
			return new RedirectView("/console/openid-logins/" + OpenIdLoginsController.segment(name), true);
		}
		DefaultOAuth2AuthorizationRequestResolver resolver = new DefaultOAuth2AuthorizationRequestResolver(
				new InMemoryClientRegistrationRepository(registration));
		// PKCE for confidential clients too; the login's extra parameters (prompt, ...)
		resolver.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce()
			.andThen((builder) -> builder.additionalParameters((parameters) -> parameters.putAll(login.parameters()))));
		OAuth2AuthorizationRequest authorization = resolver.resolve(request, name);
		this.requests.saveAuthorizationRequest(authorization, request, response);
		RedirectView view = new RedirectView(authorization.getAuthorizationRequestUri());
		view.setExpandUriTemplateVariables(false);
		return view;
	}

	@GetMapping("/console/openid-logins/{name}/try/callback")
	String callback(@PathVariable String name, HttpServletRequest request, HttpServletResponse response, Model model) {
		OpenIdLogin login = find(name);
		response.setHeader("Cache-Control", CacheControl.noStore().getHeaderValue());
		model.addAttribute("login", login);
		OAuth2AuthorizationRequest authorization = this.requests.removeAuthorizationRequest(request, response);
		if (authorization == null || !name.equals(authorization.getAttribute(OAuth2ParameterNames.REGISTRATION_ID))) {
			model.addAttribute("failure", "state: no sign-in through " + name + " with this state is under way in "
					+ "this browser (expected: start it with Try it on the login's page)");
			return "console/openid-logins/try";
		}
		String here = UriComponentsBuilder.fromUriString(UrlUtils.buildFullRequestUrl(request))
			.replaceQuery(null)
			.build()
			.toUriString();
		String state = request.getParameter(OAuth2ParameterNames.STATE);
		String error = request.getParameter(OAuth2ParameterNames.ERROR);
		OAuth2AuthorizationResponse answer = (error != null)
				? OAuth2AuthorizationResponse.error(error)
					.errorDescription(request.getParameter(OAuth2ParameterNames.ERROR_DESCRIPTION))
					.redirectUri(here)
					.state(state)
					.build()
				: OAuth2AuthorizationResponse.success(String.valueOf(request.getParameter(OAuth2ParameterNames.CODE)))
					.redirectUri(here)
					.state(state)
					.build();
		try {
			OidcUser user = this.trial.complete(registration(login), authorization, answer);
			model.addAttribute("claims", OpenIdTrial.claims(user));
			model.addAttribute("mapped", OpenIdTrial.mapped(login, user.getClaims()));
		}
		catch (OAuth2AuthenticationException ex) {
			OAuth2Error refused = ex.getError();
			model.addAttribute("failure", refused.getErrorCode()
					+ ((refused.getDescription() != null) ? ": " + refused.getDescription() : ""));
		}
		catch (IllegalArgumentException ex) {
			model.addAttribute("failure", ex.getMessage());
		}
		return "console/openid-logins/try";
	}

	private ClientRegistration registration(OpenIdLogin login) {
		return OpenIdTrial.registration(login, this.logins.discover(login.issuer()),
				login.hasSecret() ? this.keys.decrypt(login.clientSecretEncrypted()) : null);
	}

	private OpenIdLogin find(String name) {
		return this.logins.find(name).orElseThrow(() -> new NotFoundException("OpenID login '" + name + "'"));
	}

}
