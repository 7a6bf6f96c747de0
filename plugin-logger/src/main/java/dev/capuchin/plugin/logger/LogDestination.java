package dev.capuchin.plugin.logger;

import java.nio.file.Path;

/**
 * Where a site's access or error log goes, as the configuration says, and the key that
 * says so.
 *
 * @param log the log
 * @param where file, standard output, or nowhere
 * @param path the file, absolute; {@code null} unless {@code where} is a file
 * @param origin the key that chose it, such as {@code site shop: logger.access-log} or
 * {@code capuchin.plugins.logger.access-log}
 */
public record LogDestination(LogKind log, Where where, Path path, String origin) {

	/**
	 * In plain words, where the lines go when they are not in a file.
	 * @return the explanation, or {@code null} for a file
	 */
	public String explanation() {
		return switch (this.where) {
			case FILE -> null;
			case STDOUT -> "The " + this.log.id() + " log of this site goes to the standard output of the Capuchin "
					+ "process (" + this.origin + " is stdout): read it where that output is kept, such as "
					+ "journalctl or docker logs.";
			case OFF -> "This site writes no " + this.log.id() + " log (" + this.origin + " is off). Set "
					+ LoggerPlugin.NAME + "." + this.log.key() + " in its site block, or " + LogDestinations.PREFIX
					+ this.log.key() + " for every site.";
			case DISABLED -> "The logger plugin is off, so no site writes a log. Switch it on with the logger "
					+ "profile (--spring.profiles.active=logger) or " + LogDestinations.PREFIX + "enabled=true.";
		};
	}

	/** Where lines go. */
	public enum Where {

		/** A file that the console can read. */
		FILE,

		/** The standard output of the process. */
		STDOUT,

		/** Nowhere: the log is off or not set. */
		OFF,

		/** Nowhere: the logger plugin is not running. */
		DISABLED

	}

}
