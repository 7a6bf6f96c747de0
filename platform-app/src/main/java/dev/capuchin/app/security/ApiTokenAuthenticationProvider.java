package dev.capuchin.app.security;

import dev.capuchin.app.tokens.ApiTokenService;
import java.time.Instant;

import dev.capuchin.app.tokens.ApiToken;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;

/**
 * Checks a presented API token against the store: an unknown, expired or revoked token is
 * refused with {@link InvalidApiTokenException}; a working one authenticates with its
 * scope's authorities.
 */
final class ApiTokenAuthenticationProvider implements AuthenticationProvider {

	private final ApiTokenService tokens;

	ApiTokenAuthenticationProvider(ApiTokenService tokens) {
		this.tokens = tokens;
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		String secret = (String) authentication.getCredentials();
		ApiToken token = this.tokens.authenticate(secret)
			.orElseThrow(() -> new InvalidApiTokenException("unknown token"));
		Instant now = this.tokens.now();
		switch (token.status(now)) {
			case REVOKED -> throw new InvalidApiTokenException("the token was revoked");
			case EXPIRED -> throw new InvalidApiTokenException("the token expired");
			case ACTIVE -> {
				return ApiTokenAuthentication.authenticated(token);
			}
		}
		throw new IllegalStateException("status: " + token.status(now));
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return ApiTokenAuthentication.class.isAssignableFrom(authentication);
	}

}
