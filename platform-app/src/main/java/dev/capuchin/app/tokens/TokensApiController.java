package dev.capuchin.app.tokens;

import dev.capuchin.app.shared.api.ApiException;
import java.net.URI;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/tokens} (admin accounts only, never a token): the API tokens, without their
 * secrets; creating one returns its secret once; deleting one revokes it, and it stays
 * listed as revoked.
 */
@RestController
@RequestMapping("/api/tokens")
class TokensApiController {

	/** The longest validity a token may be created with, in days. */
	static final int MAX_DAYS = 3650;

	private final ApiTokenService tokens;

	TokensApiController(ApiTokenService tokens) {
		this.tokens = tokens;
	}

	@GetMapping
	List<TokenView> list() {
		Instant now = this.tokens.now();
		return this.tokens.list().stream().map((token) -> TokenView.of(token, now, null)).toList();
	}

	@GetMapping("/{id}")
	TokenView token(@PathVariable long id) {
		return TokenView.of(find(id), this.tokens.now(), null);
	}

	@PostMapping
	ResponseEntity<TokenView> create(@RequestBody NewToken body, Principal principal) {
		String problem = ApiTokenService.checkName(body.name());
		if (problem != null) {
			throw ApiException.badRequest(problem);
		}
		if (body.scope() == null) {
			throw ApiException.badRequest("scope: missing (expected: read or write)");
		}
		ApiToken.Scope scope;
		try {
			scope = ApiToken.Scope.of(body.scope());
		}
		catch (IllegalArgumentException ex) {
			throw ApiException.badRequest(ex.getMessage());
		}
		Integer days = body.expiresInDays();
		if (days != null && (days < 1 || days > MAX_DAYS)) {
			throw ApiException.badRequest("expires-in-days: " + days + " (expected: 1.." + MAX_DAYS
					+ ", or leave it out for a token that does not expire)");
		}
		if (this.tokens.nameInUse(body.name())) {
			throw ApiException.conflict("name: a token named '" + body.name().trim() + "' exists already");
		}
		ApiTokenService.Created created = this.tokens.create(body.name(), scope,
				(days != null) ? Duration.ofDays(days) : null, principal.getName());
		return ResponseEntity.created(URI.create("/api/tokens/" + created.token().id()))
			.cacheControl(CacheControl.noStore())
			.body(TokenView.of(created.token(), this.tokens.now(), created.secret()));
	}

	@DeleteMapping("/{id}")
	ResponseEntity<TokenView> revoke(@PathVariable long id, Principal principal) {
		ApiToken token = this.tokens.revoke(id, principal.getName())
			.orElseThrow(() -> ApiException.notFound("token " + id));
		return ResponseEntity.status(HttpStatus.OK).body(TokenView.of(token, this.tokens.now(), null));
	}

	private ApiToken find(long id) {
		return this.tokens.find(id).orElseThrow(() -> ApiException.notFound("token " + id));
	}

	/**
	 * A token in answers: never its hash; its secret only in the answer that creates it.
	 *
	 * @param id its number
	 * @param name what it is for
	 * @param scope {@code read} or {@code write}
	 * @param status {@code active}, {@code expired} or {@code revoked}
	 * @param createdBy who created it
	 * @param createdAt when
	 * @param expiresAt when it stops working, or {@code null} for never
	 * @param lastUsedAt when it was last used, to the minute, or {@code null}
	 * @param revokedAt when it was revoked, or {@code null}
	 * @param token the token itself, only when created
	 */
	record TokenView(long id, String name, String scope, String status, String createdBy, Instant createdAt,
			Instant expiresAt, Instant lastUsedAt, Instant revokedAt,
			@JsonInclude(JsonInclude.Include.NON_NULL) String token) {

		static TokenView of(ApiToken token, Instant now, String secret) {
			return new TokenView(token.id(), token.name(), token.scope().key(), token.status(now).key(),
					token.createdBy(), token.createdAt(), token.expiresAt(), token.lastUsedAt(), token.revokedAt(),
					secret);
		}

	}

	/**
	 * The body that creates a token.
	 *
	 * @param name what it is for
	 * @param scope {@code read} or {@code write}
	 * @param expiresInDays days until it stops working, or {@code null} for never
	 */
	record NewToken(String name, String scope, Integer expiresInDays) {
	}

}
