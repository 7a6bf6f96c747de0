package dev.capuchin.app.security;

import java.time.Duration;
import java.time.Instant;

import org.springframework.security.core.AuthenticationException;

/**
 * A password check refused, before the password was looked at, because its account name
 * or client address is locked by the {@link PasswordThrottle}.
 */
public final class PasswordThrottledException extends AuthenticationException {

	private final String username;

	private final Duration retryAfter;

	private final Instant until;

	PasswordThrottledException(String username, Duration retryAfter, Instant until) {
		super("too many failed sign-ins; try again after " + until);
		this.username = username;
		this.retryAfter = retryAfter;
		this.until = until;
	}

	/**
	 * The name that was refused.
	 * @return the name as submitted, or {@code null}
	 */
	public String username() {
		return this.username;
	}

	/**
	 * Whole seconds to wait, at least one: the value of {@code Retry-After}.
	 * @return the seconds
	 */
	public long retryAfterSeconds() {
		return Math.max(1, (this.retryAfter.toMillis() + 999) / 1000);
	}

	/**
	 * When a password may be tried again.
	 * @return the instant
	 */
	public Instant until() {
		return this.until;
	}

}
