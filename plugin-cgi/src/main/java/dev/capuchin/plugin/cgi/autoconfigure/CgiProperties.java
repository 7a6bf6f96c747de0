package dev.capuchin.plugin.cgi.autoconfigure;

import java.time.Duration;
import java.util.List;

import dev.capuchin.plugin.cgi.CgiSettings;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The {@code capuchin.plugins.cgi.*} configuration: the global limits of CGI scripts and
 * the defaults of every location's {@code cgi:} block.
 *
 * @param enabled whether the plugin runs
 * @param timeout how long a script may run before its process group is killed (504)
 * @param maxConcurrent scripts one site runs at once (a site's {@code cgi:} block may set
 * its own)
 * @param queueTimeout how long a request waits for a place before its 503
 * @param maxProcesses scripts that run at once in all; beyond it requests get 503 at once
 * @param passEnv names of Capuchin's environment variables scripts inherit
 * @param maxHeaderSize the largest header block a script may write
 */
@ConfigurationProperties("capuchin.plugins.cgi")
public record CgiProperties(@DefaultValue("false") boolean enabled,
		@DefaultValue(CgiSettings.DEFAULT_TIMEOUT_SECONDS + "s") Duration timeout,
		@DefaultValue(CgiSettings.DEFAULT_MAX_CONCURRENT + "") int maxConcurrent,
		@DefaultValue(CgiSettings.DEFAULT_QUEUE_TIMEOUT_MILLIS + "ms") Duration queueTimeout,
		@DefaultValue(CgiSettings.DEFAULT_MAX_PROCESSES + "") int maxProcesses, @DefaultValue( {
				"PATH", "LANG" }) List<String> passEnv,
		@DefaultValue("16KB") DataSize maxHeaderSize){

	private static final String PREFIX = "capuchin.plugins.cgi.";

	public CgiProperties {
		passEnv = (passEnv != null) ? List.copyOf(passEnv) : CgiSettings.DEFAULT_PASS_ENV;
		toSettings(timeout, maxConcurrent, queueTimeout, maxProcesses, passEnv, maxHeaderSize);
	}

	/**
	 * The plugin's settings.
	 * @return the settings
	 * @throws IllegalArgumentException naming the key of an invalid value
	 */
	public CgiSettings toSettings() {
		return toSettings(this.timeout, this.maxConcurrent, this.queueTimeout, this.maxProcesses, this.passEnv,
				this.maxHeaderSize);
	}

	private static CgiSettings toSettings(Duration timeout, int maxConcurrent, Duration queueTimeout, int maxProcesses,
			List<String> passEnv, DataSize maxHeaderSize) {
		long header = maxHeaderSize.toBytes();
		try {
			return new CgiSettings(timeout, maxConcurrent, queueTimeout, maxProcesses, passEnv,
					(header > Integer.MAX_VALUE) ? Integer.MAX_VALUE : (int) header);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(PREFIX + ex.getMessage(), ex);
		}
	}

}
