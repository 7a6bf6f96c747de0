package dev.capuchin.app.shared.console;

import java.time.Duration;

import dev.capuchin.app.security.SignInThrottle;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code capuchin.console.*}: the web console on the control listener.
 *
 * @param signIn how failed sign-ins are throttled
 */
@ConfigurationProperties("capuchin.console")
public record ConsoleProperties(@DefaultValue SignIn signIn) {

	/**
	 * {@code capuchin.console.sign-in.*}: sign-in throttling, per client address and per
	 * user name.
	 *
	 * @param maxFailures failed sign-ins allowed within the window; further attempts are
	 * refused until it ends
	 * @param window the window, from the first failure
	 */
	public record SignIn(@DefaultValue("" + SignInThrottle.DEFAULT_MAX_FAILURES) int maxFailures,
			@DefaultValue("5m") Duration window) {

		public SignIn {
			if (maxFailures < 1) {
				throw new IllegalArgumentException(
						"capuchin.console.sign-in.max-failures: " + maxFailures + " (expected: > 0)");
			}
			if (window.isNegative() || window.isZero()) {
				throw new IllegalArgumentException("capuchin.console.sign-in.window: " + window + " (expected: > 0)");
			}
		}

	}

}
