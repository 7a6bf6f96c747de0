package dev.capuchin.plugin.logger.autoconfigure;

import java.time.Duration;

import dev.capuchin.plugin.logger.LoggerSettings;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The {@code capuchin.plugins.logger.*} configuration: whether the logger runs, the
 * defaults of sites without a {@code logger} block, and the buffering and rotation of
 * every log file.
 *
 * @param enabled whether the logger plugin runs
 * @param accessLog the access log of sites without their own: a path, {@code stdout}, or
 * none (the default)
 * @param errorLog the error log of sites without their own: a path, {@code stdout}, or
 * none (the default)
 * @param format the access-log format of sites without their own: {@code combined},
 * {@code common}, {@code json} or {@code pattern:...}
 * @param bufferSize the most lines each file buffers before lines are dropped
 * @param flushInterval the longest a line waits in the buffer before it is written
 * @param maxSize rotate a file before it grows past this size; none by default
 * @param daily whether files rotate at midnight
 * @param maxFiles rotated files kept per log; 0 keeps all
 */
@ConfigurationProperties("capuchin.plugins.logger")
public record LoggerProperties(@DefaultValue("false") boolean enabled, String accessLog, String errorLog,
		@DefaultValue(LoggerSettings.DEFAULT_FORMAT) String format, @DefaultValue("8192") int bufferSize,
		@DefaultValue("1s") Duration flushInterval, DataSize maxSize, @DefaultValue("false") boolean daily,
		@DefaultValue("7") int maxFiles) {

	public LoggerProperties {
		toSettings(accessLog, errorLog, format, bufferSize, flushInterval, maxSize, daily, maxFiles);
	}

	/**
	 * The plugin settings these properties describe.
	 * @return the settings
	 */
	public LoggerSettings toSettings() {
		return toSettings(this.accessLog, this.errorLog, this.format, this.bufferSize, this.flushInterval, this.maxSize,
				this.daily, this.maxFiles);
	}

	private static LoggerSettings toSettings(String accessLog, String errorLog, String format, int bufferSize,
			Duration flushInterval, DataSize maxSize, boolean daily, int maxFiles) {
		return new LoggerSettings(accessLog, errorLog, format, bufferSize, flushInterval,
				(maxSize != null) ? maxSize.toBytes() : 0, daily, maxFiles);
	}

}
