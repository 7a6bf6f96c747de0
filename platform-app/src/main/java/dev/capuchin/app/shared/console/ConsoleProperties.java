package dev.capuchin.app.shared.console;

import java.time.Duration;

import dev.capuchin.app.security.PasswordThrottle;

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
	 * {@code capuchin.console.sign-in.*}: the password throttle shared by every place a
	 * password is checked on the control plane (console and identity sign-in, HTTP Basic
	 * on the API and Actuator), per account name and per client address.
	 *
	 * @param maxFailures failed checks per account name that cost nothing; each further
	 * one locks the name for a growing delay
	 * @param firstDelay the first delay; each further failure doubles it
	 * @param maxDelay the longest delay of an account name
	 * @param addressMaxFailures failed checks from one client address within the window
	 * before the address is locked until the window ends (guessing many accounts)
	 * @param window how long failures are remembered
	 */
	public record SignIn(@DefaultValue("" + PasswordThrottle.DEFAULT_FREE_FAILURES) int maxFailures,
			@DefaultValue("1s") Duration firstDelay, @DefaultValue("15m") Duration maxDelay,
			@DefaultValue("" + PasswordThrottle.DEFAULT_ADDRESS_MAX_FAILURES) int addressMaxFailures,
			@DefaultValue("15m") Duration window) {

		public SignIn {
			try {
				settings(maxFailures, firstDelay, maxDelay, addressMaxFailures, window);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("capuchin.console.sign-in." + ex.getMessage(), ex);
			}
		}

		/**
		 * The throttle's settings.
		 * @return the settings
		 */
		public PasswordThrottle.Settings settings() {
			return settings(this.maxFailures, this.firstDelay, this.maxDelay, this.addressMaxFailures, this.window);
		}

		private static PasswordThrottle.Settings settings(int maxFailures, Duration firstDelay, Duration maxDelay,
				int addressMaxFailures, Duration window) {
			return new PasswordThrottle.Settings(maxFailures, firstDelay, maxDelay, addressMaxFailures, window,
					PasswordThrottle.DEFAULT_MAX_TRACKED);
		}

	}

}
