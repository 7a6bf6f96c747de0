package dev.capuchin.app.sites;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The logs a new site gets without a {@code logger:} block written by hand: an access log
 * and an error log named after the site in one directory
 * ({@code capuchin.logs.default-dir}, {@code logs} under the working directory unless
 * set; empty switches it off). Only sites created from now on get them, only when the
 * logger plugin runs, and a site that brings its own {@code logger} block keeps it.
 */
public final class DefaultLogs {

	/** The logger plugin's key in site files. */
	static final String LOGGER = "logger";

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

	private final Path directory;

	/**
	 * Create the defaults.
	 * @param directory where the logs go, or {@code null} for no default logs
	 * @param loggerRuns whether the logger plugin runs (without it nothing would write
	 * them)
	 */
	public DefaultLogs(Path directory, boolean loggerRuns) {
		this.directory = loggerRuns ? directory : null;
	}

	/**
	 * Whether new sites get logs.
	 * @return {@code true} when they do
	 */
	public boolean enabled() {
		return this.directory != null;
	}

	/**
	 * The directory the logs go to.
	 * @return the directory, or {@code null} when new sites get no logs
	 */
	public Path directory() {
		return this.directory;
	}

	/**
	 * A new site's keys with its default logs.
	 * @param keys the site-file keys of the new site
	 * @return the keys with a {@code logger} block, or the same keys when the site has
	 * one, has no valid name yet (the loader will say so), or defaults are off
	 * @throws UncheckedIOException when the directory cannot be created
	 */
	public Map<String, Object> apply(Map<String, Object> keys) {
		Object name = keys.get("name");
		if (this.directory == null || keys.containsKey(LOGGER) || name == null
				|| !NAME.matcher(String.valueOf(name)).matches()) {
			return keys;
		}
		try {
			Files.createDirectories(this.directory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("capuchin.logs.default-dir: " + this.directory + " cannot be created", ex);
		}
		Map<String, Object> logger = new LinkedHashMap<>();
		logger.put("access-log", this.directory.resolve(name + ".access.log").toString());
		logger.put("error-log", this.directory.resolve(name + ".error.log").toString());
		Map<String, Object> withLogs = new LinkedHashMap<>(keys);
		withLogs.put(LOGGER, logger);
		return withLogs;
	}

}
