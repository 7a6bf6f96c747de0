package dev.capuchin.app.identity;

import java.security.Principal;
import java.util.Optional;

import dev.capuchin.app.shared.console.Flash;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriUtils;

/**
 * Revokes a realm user's grant from the realm's page, where the fragment
 * {@code console/realms/grants} lists each user's active grants. Only a grant of a client
 * of that realm is revoked here; the revocation is audited by {@link OAuthClients}.
 */
@Controller
class RealmGrantsController {

	private final OAuthClients clients;

	RealmGrantsController(OAuthClients clients) {
		this.clients = clients;
	}

	@PostMapping("/console/realms/{realm}/grants/{grantId}/revoke")
	String revoke(@PathVariable String realm, @PathVariable String grantId, Principal principal,
			RedirectAttributes redirect) {
		Optional<OAuthClients.Grant> grant = this.clients.userGrants(realm)
			.stream()
			.filter((candidate) -> candidate.id().equals(grantId))
			.findFirst();
		if (grant.isPresent() && this.clients.revoke(grant.get().clientId(), grantId, principal.getName())) {
			Flash.success(redirect, "Grant of " + grant.get().principal() + " to " + grant.get().clientId()
					+ " revoked: its access and refresh tokens stop working.");
		}
		else {
			Flash.error(redirect, "No such grant: it was revoked or has expired already.");
		}
		return "redirect:/console/realms/" + UriUtils.encodePathSegment(realm, "UTF-8") + "#grants";
	}

}
