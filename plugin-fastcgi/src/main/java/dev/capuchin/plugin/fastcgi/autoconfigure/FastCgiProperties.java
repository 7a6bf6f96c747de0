package dev.capuchin.plugin.fastcgi.autoconfigure;

import java.time.Duration;

import dev.capuchin.plugin.fastcgi.FastCgiSettings;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The {@code capuchin.plugins.fastcgi.*} configuration: the global defaults of the
 * FastCGI plugin. Locations pass requests to application servers with a {@code fastcgi:}
 * block in their site files, which may override the timeouts and the connection maximum.
 *
 * @param enabled whether the plugin runs
 * @param connectTimeout how long opening a connection may take before the next address is
 * tried (or 502)
 * @param readTimeout how long an application server may stay silent while a response is
 * awaited (504)
 * @param maxConnections the most connections open to one application server (keep it at
 * or below php-fpm's {@code pm.max_children}: each kept-alive connection holds a child)
 * @param acquireTimeout how long a request waits for a busy server's connection before a
 * 503
 * @param idleTimeout how long an idle kept-alive connection stays open
 * @param maxHeaderSize the most bytes of CGI headers a response may start with (502
 * beyond): bounds what one response holds before its body streams
 */
@ConfigurationProperties("capuchin.plugins.fastcgi")
public record FastCgiProperties(@DefaultValue("false") boolean enabled, @DefaultValue("5s") Duration connectTimeout,
		@DefaultValue("60s") Duration readTimeout, @DefaultValue("5") int maxConnections,
		@DefaultValue("5s") Duration acquireTimeout, @DefaultValue("60s") Duration idleTimeout,
		@DefaultValue("64KB") DataSize maxHeaderSize) {

	private static final String PREFIX = "capuchin.plugins.fastcgi.";

	public FastCgiProperties {
		toSettings(connectTimeout, readTimeout, maxConnections, acquireTimeout, idleTimeout, maxHeaderSize);
	}

	/**
	 * The plugin's settings.
	 * @return the settings
	 * @throws IllegalArgumentException naming the key of an invalid value
	 */
	public FastCgiSettings toSettings() {
		return toSettings(this.connectTimeout, this.readTimeout, this.maxConnections, this.acquireTimeout,
				this.idleTimeout, this.maxHeaderSize);
	}

	private static FastCgiSettings toSettings(Duration connectTimeout, Duration readTimeout, int maxConnections,
			Duration acquireTimeout, Duration idleTimeout, DataSize maxHeaderSize) {
		try {
			return new FastCgiSettings(connectTimeout, readTimeout, maxConnections, acquireTimeout, idleTimeout,
					(int) Math.min(Integer.MAX_VALUE, maxHeaderSize.toBytes()));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(PREFIX + ex.getMessage(), ex);
		}
	}

}
