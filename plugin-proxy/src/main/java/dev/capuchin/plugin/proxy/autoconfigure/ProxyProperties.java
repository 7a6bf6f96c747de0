package dev.capuchin.plugin.proxy.autoconfigure;

import java.time.Duration;

import dev.capuchin.plugin.proxy.ProxySettings;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code capuchin.plugins.proxy.*} configuration: the node-wide settings of the
 * reverse proxy. Upstreams and their servers are set in site files and the configuration
 * document ({@code upstreams:}), not here.
 *
 * @param enabled whether the plugin runs
 * @param maxConnections the most connections one worker keeps open to one server
 * @param pendingAcquireTimeout how long a request waits for a free connection before it
 * counts as a connect failure
 * @param maxIdleTime how long an unused keep-alive connection stays in the pool
 */
@ConfigurationProperties("capuchin.plugins.proxy")
public record ProxyProperties(@DefaultValue("false") boolean enabled,
		@DefaultValue("" + ProxySettings.DEFAULT_MAX_CONNECTIONS) int maxConnections,
		@DefaultValue("5s") Duration pendingAcquireTimeout, @DefaultValue("30s") Duration maxIdleTime) {

	private static final String PREFIX = "capuchin.plugins.proxy.";

	public ProxyProperties {
		toSettings(maxConnections, pendingAcquireTimeout, maxIdleTime);
	}

	/**
	 * The plugin's settings.
	 * @return the settings
	 */
	public ProxySettings toSettings() {
		return toSettings(this.maxConnections, this.pendingAcquireTimeout, this.maxIdleTime);
	}

	private static ProxySettings toSettings(int maxConnections, Duration pendingAcquireTimeout, Duration maxIdleTime) {
		try {
			return new ProxySettings(maxConnections, pendingAcquireTimeout, maxIdleTime);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(PREFIX + ex.getMessage(), ex);
		}
	}

}
