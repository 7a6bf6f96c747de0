package dev.capuchin.plugin.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an {@link AuthMode} concluded about a request's credentials. The plugin turns it
 * into the response: the request goes on (or gets 403 when the location's {@link Require}
 * excludes the user, or the mode found the credentials valid but not sufficient), or gets
 * 401 with the mode's challenge, or 503.
 *
 * @param outcome the outcome
 * @param user the authenticated user name, for {@link Outcome#AUTHENTICATED}
 * @param challenge the {@code WWW-Authenticate} value, for {@link Outcome#MISSING},
 * {@link Outcome#FAILED} and {@link Outcome#FORBIDDEN}
 * @param reason why the credentials failed or could not be checked, for the debug log
 * (never a password or a token)
 * @param claims what the credentials say about the user beyond the name (a token's chosen
 * claims), for later stages; empty when none
 * @param cookies {@code Set-Cookie} values to send with the response, whatever the
 * outcome (a sign-in session started, refreshed or ended); empty when none
 * @param location where a {@link Outcome#REDIRECT} sends the client
 */
public record AuthResult(Outcome outcome, String user, String challenge, String reason, Map<String, String> claims,
		List<String> cookies, String location) {

	public AuthResult {
		Objects.requireNonNull(outcome, "outcome");
		if (outcome == Outcome.AUTHENTICATED) {
			Objects.requireNonNull(user, "user");
		}
		if (outcome == Outcome.MISSING || outcome == Outcome.FAILED) {
			Objects.requireNonNull(challenge, "challenge");
		}
		if (outcome == Outcome.REDIRECT) {
			Objects.requireNonNull(location, "location");
		}
		claims = (claims != null) ? Map.copyOf(claims) : Map.of();
		cookies = (cookies != null) ? List.copyOf(cookies) : List.of();
	}

	/**
	 * A result without cookies or redirect.
	 * @param outcome the outcome
	 * @param user the user, for {@link Outcome#AUTHENTICATED}
	 * @param challenge the challenge
	 * @param reason the reason, for the log
	 * @param claims the chosen claims
	 */
	public AuthResult(Outcome outcome, String user, String challenge, String reason, Map<String, String> claims) {
		this(outcome, user, challenge, reason, claims, List.of(), null);
	}

	/**
	 * Send the client elsewhere with a 302 (to a sign-in page, or back to what it asked
	 * for after signing in).
	 * @param location the {@code Location} value
	 * @param reason why, for the debug log
	 * @return the result
	 */
	public static AuthResult redirect(String location, String reason) {
		return new AuthResult(Outcome.REDIRECT, null, null, reason, Map.of(), List.of(), location);
	}

	/**
	 * A copy that also sets a cookie on the response.
	 * @param setCookie the {@code Set-Cookie} value
	 * @return the copy
	 */
	public AuthResult withCookie(String setCookie) {
		List<String> more = new ArrayList<>(this.cookies);
		more.add(setCookie);
		return new AuthResult(this.outcome, this.user, this.challenge, this.reason, this.claims, more, this.location);
	}

	/**
	 * The credentials are valid.
	 * @param user the user name
	 * @return the result
	 */
	public static AuthResult authenticated(String user) {
		return new AuthResult(Outcome.AUTHENTICATED, user, null, null, Map.of());
	}

	/**
	 * The credentials are valid and say more about the user.
	 * @param user the user name
	 * @param claims the chosen claims, by name
	 * @return the result
	 */
	public static AuthResult authenticated(String user, Map<String, String> claims) {
		return new AuthResult(Outcome.AUTHENTICATED, user, null, null, claims);
	}

	/**
	 * The request carries no credentials for this mode.
	 * @param challenge the {@code WWW-Authenticate} value
	 * @return the result
	 */
	public static AuthResult missing(String challenge) {
		return new AuthResult(Outcome.MISSING, null, challenge, "no credentials", Map.of());
	}

	/**
	 * The request carries credentials that are malformed or wrong.
	 * @param challenge the {@code WWW-Authenticate} value
	 * @param reason why, for the debug log
	 * @return the result
	 */
	public static AuthResult failed(String challenge, String reason) {
		return new AuthResult(Outcome.FAILED, null, challenge, reason, Map.of());
	}

	/**
	 * The credentials are valid but do not grant what the location requires (a token
	 * without a required scope, a session whose claims a location's rules refuse).
	 * @param challenge the {@code WWW-Authenticate} value, such as
	 * {@code Bearer realm="api", error="insufficient_scope", scope="read"}, or
	 * {@code null} for none
	 * @param reason why, for the debug log
	 * @return the result
	 */
	public static AuthResult forbidden(String challenge, String reason) {
		return new AuthResult(Outcome.FORBIDDEN, null, challenge, reason, Map.of());
	}

	/**
	 * The credentials could not be checked now (every hashing thread busy and the queue
	 * full, or a token's issuer not reachable).
	 * @param reason why, for the log
	 * @return the result
	 */
	public static AuthResult unavailable(String reason) {
		return new AuthResult(Outcome.UNAVAILABLE, null, null, reason, Map.of());
	}

	/**
	 * The kinds of {@link AuthResult}.
	 */
	public enum Outcome {

		/** Valid credentials: the request goes on if the location requires this user. */
		AUTHENTICATED,

		/** No credentials for this mode: 401 with the challenge; not a failed attempt. */
		MISSING,

		/**
		 * Malformed or wrong credentials: 401 with the challenge, counted against the
		 * client's failure limit.
		 */
		FAILED,

		/**
		 * Valid credentials that do not grant what the location requires: 403 with the
		 * challenge (RFC 6750 {@code insufficient_scope}) if any; not a failed attempt.
		 */
		FORBIDDEN,

		/**
		 * The client is sent elsewhere with a 302: to sign in, or back after signing in.
		 */
		REDIRECT,

		/** The check could not run now: 503 with {@code Retry-After}. */
		UNAVAILABLE

	}

}
