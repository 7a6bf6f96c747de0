package dev.capuchin.app.logs;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

import dev.capuchin.core.spi.Site;

/**
 * Finds a site's log files as the logger plugin does: the site's {@code logger:} block,
 * else the global {@code capuchin.plugins.logger.access-log} / {@code error-log}; a
 * relative path against the working directory. Paths come only from configuration, never
 * from a request. Locations with a {@code logger:} block of their own log where their
 * block says; the site's log is the one shown.
 */
public class LogFiles {

	/** The prefix of the logger plugin's properties. */
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
	 * @param base the working directory
	 */
	public LogFiles(boolean enabled, String accessLog, String errorLog, Path base) {
		this.enabled = enabled;
		this.accessLog = accessLog;
		this.errorLog = errorLog;
		this.base = base;
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
		Object block = site.setting("logger");
		if (block != null && !Boolean.TRUE.equals(block)) {
			if (isOff(block)) {
				origin = "site " + site.name() + ": logger";
				value = null;
			}
			else if (block instanceof Map<?, ?> map && map.containsKey(log.key())) {
				origin = "site " + site.name() + ": logger." + log.key();
				value = map.get(log.key());
			}
		}
		if (!this.enabled) {
			return new LogDestination(log, LogDestination.Where.DISABLED, null, origin);
		}
		if (isOff(value) || !(value instanceof String text)) {
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

	private static boolean isOff(Object value) {
		if (value == null || Boolean.FALSE.equals(value)) {
			return true;
		}
		if (value instanceof String text) {
			String trimmed = text.trim();
			return trimmed.isEmpty() || trimmed.equalsIgnoreCase("off") || trimmed.equalsIgnoreCase("false")
					|| trimmed.equalsIgnoreCase("none");
		}
		return false;
	}

}
