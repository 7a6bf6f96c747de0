package dev.capuchin.plugin.auth;

import java.util.Objects;

/**
 * What an {@link AuthMode} concluded about a request's credentials. The plugin turns it
 * into the response: the request goes on (or gets 403 when the location's {@link Require}
 * excludes the user), or gets 401 with the mode's challenge, or 503.
 *
 * @param outcome the outcome
 * @param user the authenticated user name, for {@link Outcome#AUTHENTICATED}
 * @param challenge the {@code WWW-Authenticate} value, for {@link Outcome#MISSING} and
 * {@link Outcome#FAILED}
 * @param reason why the credentials failed or could not be checked, for the debug log
 * (never a password)
 */
public record AuthResult(Outcome outcome, String user, String challenge, String reason) {

	public AuthResult {
		Objects.requireNonNull(outcome, "outcome");
		if (outcome == Outcome.AUTHENTICATED) {
			Objects.requireNonNull(user, "user");
		}
		if (outcome == Outcome.MISSING || outcome == Outcome.FAILED) {
			Objects.requireNonNull(challenge, "challenge");
		}
	}

	/**
	 * The credentials are valid.
	 * @param user the user name
	 * @return the result
	 */
	public static AuthResult authenticated(String user) {
		return new AuthResult(Outcome.AUTHENTICATED, user, null, null);
	}

	/**
	 * The request carries no credentials for this mode.
	 * @param challenge the {@code WWW-Authenticate} value
	 * @return the result
	 */
	public static AuthResult missing(String challenge) {
		return new AuthResult(Outcome.MISSING, null, challenge, "no credentials");
	}

	/**
	 * The request carries credentials that are malformed or wrong.
	 * @param challenge the {@code WWW-Authenticate} value
	 * @param reason why, for the debug log
	 * @return the result
	 */
	public static AuthResult failed(String challenge, String reason) {
		return new AuthResult(Outcome.FAILED, null, challenge, reason);
	}

	/**
	 * The credentials could not be checked now (every hashing thread busy and the queue
	 * full).
	 * @param reason why, for the log
	 * @return the result
	 */
	public static AuthResult unavailable(String reason) {
		return new AuthResult(Outcome.UNAVAILABLE, null, null, reason);
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

		/** The check could not run now: 503 with {@code Retry-After}. */
		UNAVAILABLE

	}

}
