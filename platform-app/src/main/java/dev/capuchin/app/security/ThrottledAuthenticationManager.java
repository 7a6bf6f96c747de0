package dev.capuchin.app.security;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The one seam where the {@link PasswordThrottle} meets a password check: wraps the
 * authentication manager of each security chain that checks passwords (console form, HTTP
 * Basic, identity form). A user name and password from a locked name or address is
 * refused with {@link PasswordThrottledException} before the password is looked at; a
 * wrong password is counted (the one that starts a lock is answered as refused too); a
 * right one clears the name. Other kinds of authentication (API tokens) pass through
 * untouched.
 */
public final class ThrottledAuthenticationManager implements AuthenticationManager {

	private static final Logger logger = LoggerFactory.getLogger(ThrottledAuthenticationManager.class);

	private final AuthenticationManager delegate;

	private final PasswordThrottle throttle;

	private final Clock clock;

	/**
	 * Wrap an authentication manager.
	 * @param delegate the manager that checks passwords
	 * @param throttle the shared throttle
	 */
	public ThrottledAuthenticationManager(AuthenticationManager delegate, PasswordThrottle throttle) {
		this(delegate, throttle, Clock.systemUTC());
	}

	ThrottledAuthenticationManager(AuthenticationManager delegate, PasswordThrottle throttle, Clock clock) {
		this.delegate = Objects.requireNonNull(delegate, "delegate");
		this.throttle = Objects.requireNonNull(throttle, "throttle");
		this.clock = Objects.requireNonNull(clock, "clock");
	}

	@Override
	public Authentication authenticate(Authentication authentication) throws AuthenticationException {
		if (!(authentication instanceof UsernamePasswordAuthenticationToken)) {
			return this.delegate.authenticate(authentication);
		}
		String username = authentication.getName();
		String address = address(authentication);
		Duration left = this.throttle.refusedFor(address, username);
		if (!left.isZero()) {
			logger.info("Password check for '{}' from {} refused for {} s: too many failures", username, address,
					left.toSeconds());
			throw new PasswordThrottledException(username, left, this.clock.instant().plus(left));
		}
		try {
			Authentication result = this.delegate.authenticate(authentication);
			this.throttle.succeeded(username);
			return result;
		}
		catch (BadCredentialsException ex) {
			this.throttle.failed(address, username);
			// the failure that starts a lock says so at once
			Duration locked = this.throttle.refusedFor(address, username);
			if (!locked.isZero()) {
				PasswordThrottledException throttled = new PasswordThrottledException(username, locked,
						this.clock.instant().plus(locked));
				throttled.initCause(ex);
				throw throttled;
			}
			throw ex;
		}
	}

	/**
	 * The client address: from the web details the form and Basic filters attach, else
	 * from the request being served (the identity form's details carry its realm).
	 */
	private static String address(Authentication authentication) {
		if (authentication.getDetails() instanceof WebAuthenticationDetails details) {
			return details.getRemoteAddress();
		}
		if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
			HttpServletRequest request = attributes.getRequest();
			return request.getRemoteAddr();
		}
		return null;
	}

}
