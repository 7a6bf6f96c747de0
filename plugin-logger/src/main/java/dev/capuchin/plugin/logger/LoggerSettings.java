package dev.capuchin.plugin.logger;

import java.time.Duration;
import java.util.Objects;

import dev.capuchin.plugin.logger.internal.AccessFormat;
import dev.capuchin.plugin.logger.internal.SiteLogs;

/**
 * The logger's global settings: the defaults of sites without their own {@code logger}
 * block, and the buffering and rotation of every file.
 *
 * @param accessLog the default access log: a path, {@code stdout}, or {@code null} for
 * none
 * @param errorLog the default error log: a path, {@code stdout}, or {@code null} for none
 * @param format the default access-log format: {@code combined}, {@code common},
 * {@code json} or {@code pattern:...}
 * @param bufferSize the most lines each file buffers; beyond, lines are dropped and
 * counted
 * @param flushInterval the longest a line waits in the buffer before it is written
 * @param maxSize rotate a file before it grows past this many bytes; 0 for never
 * @param daily whether files rotate at midnight
 * @param maxFiles rotated files kept per log; 0 keeps all
 */
public record LoggerSettings(String accessLog, String errorLog, String format, int bufferSize, Duration flushInterval,
		long maxSize, boolean daily, int maxFiles) {

	/** The default format. */
	public static final String DEFAULT_FORMAT = AccessFormat.COMBINED;

	/** The default buffer size, in lines per file. */
	public static final int DEFAULT_BUFFER_SIZE = 8192;

	/** The default flush interval (Monkey's {@code FlushTimeout}). */
	public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);

	/** The default number of rotated files kept. */
	public static final int DEFAULT_MAX_FILES = 7;

	private static final String PREFIX = "capuchin.plugins.logger.";

	public LoggerSettings {
		accessLog = SiteLogs.isOff(accessLog) ? null : accessLog.trim();
		errorLog = SiteLogs.isOff(errorLog) ? null : errorLog.trim();
		format = (format != null && !format.isBlank()) ? format : DEFAULT_FORMAT;
		try {
			AccessFormat.parse(format);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(PREFIX + "format: " + ex.getMessage(), ex);
		}
		if (bufferSize < 1) {
			throw new IllegalArgumentException(PREFIX + "buffer-size: " + bufferSize + " (expected: > 0)");
		}
		Objects.requireNonNull(flushInterval, "flushInterval");
		if (flushInterval.isNegative() || flushInterval.isZero()) {
			throw new IllegalArgumentException(PREFIX + "flush-interval: " + flushInterval + " (expected: > 0)");
		}
		if (maxSize < 0) {
			throw new IllegalArgumentException(PREFIX + "max-size: " + maxSize + " (expected: >= 0)");
		}
		if (maxFiles < 0) {
			throw new IllegalArgumentException(PREFIX + "max-files: " + maxFiles + " (expected: >= 0)");
		}
	}

	/**
	 * The defaults: no logs unless a site asks, combined format, 8192 lines, 1 s, no
	 * rotation, 7 files kept.
	 * @return the settings
	 */
	public static LoggerSettings defaults() {
		return new LoggerSettings(null, null, DEFAULT_FORMAT, DEFAULT_BUFFER_SIZE, DEFAULT_FLUSH_INTERVAL, 0, false,
				DEFAULT_MAX_FILES);
	}

	/**
	 * A copy with another default access log.
	 * @param path a path, {@code stdout}, or {@code null}/{@code off} for none
	 * @return the copy
	 */
	public LoggerSettings withAccessLog(String path) {
		return new LoggerSettings(path, this.errorLog, this.format, this.bufferSize, this.flushInterval, this.maxSize,
				this.daily, this.maxFiles);
	}

	/**
	 * A copy with another default error log.
	 * @param path a path, {@code stdout}, or {@code null}/{@code off} for none
	 * @return the copy
	 */
	public LoggerSettings withErrorLog(String path) {
		return new LoggerSettings(this.accessLog, path, this.format, this.bufferSize, this.flushInterval, this.maxSize,
				this.daily, this.maxFiles);
	}

	/**
	 * A copy with another default format.
	 * @param format {@code combined}, {@code common}, {@code json} or {@code pattern:...}
	 * @return the copy
	 */
	public LoggerSettings withFormat(String format) {
		return new LoggerSettings(this.accessLog, this.errorLog, format, this.bufferSize, this.flushInterval,
				this.maxSize, this.daily, this.maxFiles);
	}

	/**
	 * A copy with other buffering.
	 * @param bufferSize the most lines each file buffers
	 * @param flushInterval the longest a line waits
	 * @return the copy
	 */
	public LoggerSettings withBuffer(int bufferSize, Duration flushInterval) {
		return new LoggerSettings(this.accessLog, this.errorLog, this.format, bufferSize, flushInterval, this.maxSize,
				this.daily, this.maxFiles);
	}

	/**
	 * A copy with other rotation.
	 * @param maxSize the size in bytes that rotates a file; 0 for never
	 * @param daily whether files rotate at midnight
	 * @param maxFiles rotated files kept; 0 keeps all
	 * @return the copy
	 */
	public LoggerSettings withRotation(long maxSize, boolean daily, int maxFiles) {
		return new LoggerSettings(this.accessLog, this.errorLog, this.format, this.bufferSize, this.flushInterval,
				maxSize, daily, maxFiles);
	}

}
