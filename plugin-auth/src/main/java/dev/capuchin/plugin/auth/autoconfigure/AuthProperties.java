package dev.capuchin.plugin.auth.autoconfigure;

import java.time.Duration;

import dev.capuchin.plugin.auth.AuthSettings;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code capuchin.plugins.auth.*} configuration: what every protected location
 * shares. Locations choose their realm, users file and required users in their
 * {@code auth:} blocks.
 *
 * @param enabled whether the plugin runs
 * @param cacheTtl how long verified credentials are accepted without hashing again; 0 to
 * hash on every request
 * @param cacheSize the most verified credentials remembered; 0 to remember none
 * @param maxFailures failed attempts one client address may make within
 * {@code failure-window} before it gets 429 for the rest of the window; 0 for no limit
 * @param failureWindow the window in which failed attempts are counted
 * @param hashThreads the most threads checking passwords at once; default twice the
 * number of cores
 */
@ConfigurationProperties("capuchin.plugins.auth")
public record AuthProperties(@DefaultValue("false") boolean enabled, @DefaultValue("60s") Duration cacheTtl,
		@DefaultValue("10000") int cacheSize, @DefaultValue("10") int maxFailures,
		@DefaultValue("60s") Duration failureWindow, Integer hashThreads) {

	private static final String PREFIX = "capuchin.plugins.auth.";

	/**
	 * The plugin's settings.
	 * @return the settings
	 * @throws IllegalArgumentException naming the key of an invalid value
	 */
	public AuthSettings toSettings() {
		int threads = (this.hashThreads != null) ? this.hashThreads : AuthSettings.defaultHashThreads();
		try {
			return new AuthSettings(this.cacheTtl, this.cacheSize, this.maxFailures, this.failureWindow, threads);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(PREFIX + ex.getMessage());
		}
	}

}
