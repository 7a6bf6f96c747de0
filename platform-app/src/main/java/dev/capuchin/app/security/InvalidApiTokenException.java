package dev.capuchin.app.security;

import org.springframework.security.core.AuthenticationException;

/**
 * A presented API token that does not authenticate: unknown, expired or revoked. Answered
 * with 401 and {@code WWW-Authenticate: Bearer error="invalid_token"}.
 */
class InvalidApiTokenException extends AuthenticationException {

	InvalidApiTokenException(String message) {
		super(message);
	}

}
