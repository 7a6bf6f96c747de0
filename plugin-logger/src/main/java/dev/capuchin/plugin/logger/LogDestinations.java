package dev.capuchin.plugin.logger;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import dev.capuchin.core.spi.Location;
import dev.capuchin.core.spi.Site;
import dev.capuchin.plugin.logger.internal.SiteLogs;

/**
 * Where a site's logs go, found as the plugin finds them: the site's {@code logger:}
 * block, else the global {@code capuchin.plugins.logger.access-log} / {@code error-log};
 * a relative path against a base directory. For programs that show logs (the control
 * plane's logs page and API) without knowing the plugin's keys. Paths come only from
 * configuration, never from a request. Locations with a {@code logger:} block of their
 * own log where their block says; {@link #destination(Site, LogKind)} is the site's log.
 */
public final class LogDestinations {

	/** The prefix of the plugin's properties. */
	static final String PREFIX = "capuchin.plugins.logger.";

	private static final String STDOUT = "stdout";

	private final boolean enabled;

	private final String accessLog;

	private final String errorLog;

	private final Path base;

	/**
	 * Create the finder.
	 * @param enabled whether the logger plugin runs
	 * @param accessLog the global access log, or {@code null}
	 * @param errorLog the global error log, or {@code null}
	 * @param base the directory relative paths resolve against (the working directory)
	 */
	public LogDestinations(boolean enabled, String accessLog, String errorLog, Path base) {
		this.enabled = enabled;
		this.accessLog = accessLog;
		this.errorLog = errorLog;
		this.base = Objects.requireNonNull(base, "base");
	}

	/**
	 * Create the finder from the application's properties.
	 * @param properties the value of a property by its full name, or {@code null} when it
	 * is not set (for example {@code Environment::getProperty})
	 * @param base the directory relative paths resolve against (the working directory)
	 * @return the finder
	 */
	public static LogDestinations fromProperties(Function<String, String> properties, Path base) {
		String enabled = properties.apply(PREFIX + "enabled");
		return new LogDestinations(enabled != null && Boolean.parseBoolean(enabled.trim()),
				properties.apply(PREFIX + LogKind.ACCESS.key()), properties.apply(PREFIX + LogKind.ERROR.key()), base);
	}

	/**
	 * Whether a location logs where a block of its own says rather than where its site
	 * logs.
	 * @param location the location
	 * @return {@code true} when it has a {@code logger:} block
	 */
	public static boolean hasOwnLogs(Location location) {
		return location.setting(LoggerPlugin.NAME) != null;
	}

	/**
	 * Whether the logger plugin runs.
	 * @return {@code true} when it writes logs
	 */
	public boolean enabled() {
		return this.enabled;
	}

	/**
	 * Where a site's log goes.
	 * @param site the site
	 * @param log the access or error log
	 * @return the destination
	 */
	public LogDestination destination(Site site, LogKind log) {
		String origin = PREFIX + log.key();
		Object value = (log == LogKind.ACCESS) ? this.accessLog : this.errorLog;
		Object block = site.setting(LoggerPlugin.NAME);
		if (block != null && !Boolean.TRUE.equals(block)) {
			if (SiteLogs.isOff(block)) {
				origin = "site " + site.name() + ": " + LoggerPlugin.NAME;
				value = null;
			}
			else if (block instanceof Map<?, ?> map && map.containsKey(log.key())) {
				origin = "site " + site.name() + ": " + LoggerPlugin.NAME + "." + log.key();
				value = map.get(log.key());
			}
		}
		if (!this.enabled) {
			return new LogDestination(log, LogDestination.Where.DISABLED, null, origin);
		}
		if (SiteLogs.isOff(value) || !(value instanceof String text)) {
			return new LogDestination(log, LogDestination.Where.OFF, null, origin);
		}
		if (STDOUT.equals(text.trim())) {
			return new LogDestination(log, LogDestination.Where.STDOUT, null, origin);
		}
		try {
			return new LogDestination(log, LogDestination.Where.FILE, this.base.resolve(text.trim()).normalize(),
					origin);
		}
		catch (InvalidPathException ex) {
			return new LogDestination(log, LogDestination.Where.OFF, null, origin);
		}
	}

}
