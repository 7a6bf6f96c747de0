package dev.capuchin.app.identity;

import java.net.URI;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.capuchin.app.shared.api.ApiException;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;

/**
 * {@code /api/oauth-clients}: the OAuth clients as JSON, the same changes the console
 * makes. A client's secret is in the answer that makes it (201) or rotates it, and
 * nowhere else; lifetimes are durations as in properties ({@code 5m}, {@code 1h}). Errors
 * are {@code {"error": "..."}} naming the field: 400 for a refused value, 404 for an
 * unknown client, 409 for a taken client id.
 */
@RestController
@RequestMapping("/api/oauth-clients")
class OAuthClientsApiController {

	private final OAuthClients clients;

	OAuthClientsApiController(OAuthClients clients) {
		this.clients = clients;
	}

	@GetMapping
	List<ClientView> list() {
		return this.clients.list().stream().map((client) -> ClientView.of(client, null)).toList();
	}

	@GetMapping("/{clientId}")
	ClientView get(@PathVariable String clientId) {
		return ClientView.of(find(clientId), null);
	}

	@PostMapping
	ResponseEntity<ClientView> create(@RequestBody ClientBody body, Principal principal) {
		OAuthClients.Created created;
		try {
			created = this.clients.create(body.spec(), principal.getName());
		}
		catch (IllegalArgumentException ex) {
			throw ApiException.badRequest(ex.getMessage());
		}
		catch (IllegalStateException ex) {
			throw ApiException.conflict(ex.getMessage());
		}
		return ResponseEntity.created(URI.create(path(created.client().clientId())))
			.cacheControl(CacheControl.noStore())
			.body(ClientView.of(created.client(), created.secret()));
	}

	@PutMapping("/{clientId}")
	ClientView update(@PathVariable String clientId, @RequestBody ClientBody body, Principal principal) {
		try {
			return ClientView.of(this.clients.update(clientId, body.spec(), principal.getName())
				.orElseThrow(() -> ApiException.notFound("oauth client '" + clientId + "'")), null);
		}
		catch (IllegalArgumentException ex) {
			throw ApiException.badRequest(ex.getMessage());
		}
	}

	@DeleteMapping("/{clientId}")
	ResponseEntity<Void> delete(@PathVariable String clientId, Principal principal) {
		if (!this.clients.delete(clientId, principal.getName())) {
			throw ApiException.notFound("oauth client '" + clientId + "'");
		}
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/{clientId}/secret")
	ResponseEntity<ClientView> rotateSecret(@PathVariable String clientId,
			@RequestBody(required = false) RotateBody body, Principal principal) {
		Duration grace = (body != null && body.grace() != null) ? duration(body.grace(), "grace") : Duration.ZERO;
		OAuthClients.Created rotated;
		try {
			rotated = this.clients.rotateSecret(clientId, grace, principal.getName())
				.orElseThrow(() -> ApiException.notFound("oauth client '" + clientId + "'"));
		}
		catch (IllegalArgumentException ex) {
			throw ApiException.badRequest(ex.getMessage());
		}
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noStore())
			.body(ClientView.of(rotated.client(), rotated.secret()));
	}

	@GetMapping("/{clientId}/grants")
	List<OAuthClients.Grant> grants(@PathVariable String clientId) {
		find(clientId);
		return this.clients.grants(clientId);
	}

	@DeleteMapping("/{clientId}/grants/{grantId}")
	ResponseEntity<Void> revoke(@PathVariable String clientId, @PathVariable String grantId, Principal principal) {
		if (!this.clients.revoke(clientId, grantId, principal.getName())) {
			throw ApiException.notFound("oauth client '" + clientId + "': grant '" + grantId + "'");
		}
		return ResponseEntity.status(HttpStatus.NO_CONTENT).build();
	}

	private OAuthClient find(String clientId) {
		return this.clients.find(clientId).orElseThrow(() -> ApiException.notFound("oauth client '" + clientId + "'"));
	}

	private static String path(String clientId) {
		return "/api/oauth-clients/" + UriUtils.encodePathSegment(clientId, "UTF-8");
	}

	static Duration duration(String value, String field) {
		try {
			return DurationStyle.detectAndParse(value);
		}
		catch (IllegalArgumentException ex) {
			throw ApiException.badRequest(field + ": '" + value + "' (expected: a duration such as 30m, 1h or 7d)");
		}
	}

	/**
	 * A client in answers.
	 *
	 * @param clientId the {@code client_id}
	 * @param name its name
	 * @param type {@code confidential} or {@code public}
	 * @param realm the realm whose users sign in
	 * @param grantTypes its grants
	 * @param scopes its scopes
	 * @param redirectUris its redirect URIs
	 * @param postLogoutRedirectUris its post-logout redirect URIs
	 * @param tokenFormat {@code jwt} or {@code opaque}
	 * @param accessTokenLifetime the access token lifetime, such as {@code 5m}
	 * @param refreshTokenLifetime the refresh token lifetime
	 * @param consent whether users consent
	 * @param enabled whether it works
	 * @param jwkSetUrl its JWK set for {@code private_key_jwt}, or {@code null}
	 * @param createdAt when it was made
	 * @param previousSecretExpiresAt until when its previous secret works, or
	 * {@code null}
	 * @param clientSecret its secret, only in the answer that makes or rotates it
	 */
	record ClientView(String clientId, String name, String type, String realm, List<String> grantTypes,
			List<String> scopes, List<String> redirectUris, List<String> postLogoutRedirectUris, String tokenFormat,
			String accessTokenLifetime, String refreshTokenLifetime, boolean consent, boolean enabled,
			@JsonInclude(JsonInclude.Include.NON_NULL) String jwkSetUrl, Instant createdAt,
			@JsonInclude(JsonInclude.Include.NON_NULL) Instant previousSecretExpiresAt,
			@JsonInclude(JsonInclude.Include.NON_NULL) String clientSecret) {

		static ClientView of(OAuthClient client, String secret) {
			return new ClientView(client.clientId(), client.name(), client.type().key(), client.realm(),
					client.grantTypes(), client.scopes(), client.redirectUris(), client.postLogoutRedirectUris(),
					client.tokenFormat().key(), OAuthClient.lifetime(client.accessTokenLifetime()),
					OAuthClient.lifetime(client.refreshTokenLifetime()), client.consent(), client.enabled(),
					client.jwkSetUrl(), client.createdAt(), client.previousSecretExpiresAt(), secret);
		}

	}

	/**
	 * The body that makes or changes a client; on a change, what is left out stays.
	 *
	 * @param clientId the {@code client_id}
	 * @param name its name
	 * @param type {@code confidential} or {@code public}
	 * @param realm the realm whose users sign in
	 * @param grantTypes its grants
	 * @param scopes its scopes
	 * @param redirectUris its redirect URIs, matched exactly
	 * @param postLogoutRedirectUris its post-logout redirect URIs
	 * @param tokenFormat {@code jwt} or {@code opaque}
	 * @param accessTokenLifetime such as {@code 5m}
	 * @param refreshTokenLifetime such as {@code 1h}
	 * @param consent whether users consent
	 * @param enabled whether it works
	 * @param jwkSetUrl its JWK set for {@code private_key_jwt}
	 */
	record ClientBody(String clientId, String name, String type, String realm, List<String> grantTypes,
			List<String> scopes, List<String> redirectUris, List<String> postLogoutRedirectUris, String tokenFormat,
			String accessTokenLifetime, String refreshTokenLifetime, Boolean consent, Boolean enabled,
			String jwkSetUrl) {

		OAuthClients.Spec spec() {
			return new OAuthClients.Spec(this.clientId, this.name, this.type, this.realm, this.grantTypes, this.scopes,
					this.redirectUris, this.postLogoutRedirectUris, this.tokenFormat,
					(this.accessTokenLifetime != null) ? duration(this.accessTokenLifetime, "access-token-lifetime")
							: null,
					(this.refreshTokenLifetime != null) ? duration(this.refreshTokenLifetime, "refresh-token-lifetime")
							: null,
					this.consent, this.enabled, this.jwkSetUrl);
		}

	}

	/**
	 * The body of a secret rotation.
	 *
	 * @param grace how long the previous secret still works, such as {@code 1h}; left
	 * out: not at all
	 */
	record RotateBody(String grace) {
	}

}
