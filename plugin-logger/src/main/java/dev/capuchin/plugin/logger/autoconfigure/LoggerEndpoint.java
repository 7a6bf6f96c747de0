package dev.capuchin.plugin.logger.autoconfigure;

import java.util.List;

import dev.capuchin.plugin.logger.LogFileStatus;
import dev.capuchin.plugin.logger.LoggerPlugin;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code /actuator/logger}: {@code GET} shows every log file with its counters;
 * {@code POST} reopens the files, for an external rotation (logrotate's
 * {@code postrotate}).
 */
@Endpoint(id = "logger")
public class LoggerEndpoint {

	private final LoggerPlugin plugin;

	public LoggerEndpoint(LoggerPlugin plugin) {
		this.plugin = plugin;
	}

	@ReadOperation
	public Report report() {
		return new Report(this.plugin.dropped(), this.plugin.files());
	}

	@WriteOperation
	public Reopened reopen() {
		boolean reopened = this.plugin.reopen();
		return new Reopened(reopened, this.plugin.dropped(), this.plugin.files());
	}

	/**
	 * The logger's files and counters.
	 *
	 * @param dropped lines dropped since start
	 * @param files every file
	 */
	public record Report(long dropped, List<LogFileStatus> files) {
	}

	/**
	 * The outcome of a reopen.
	 *
	 * @param reopened whether the writer reopened the files within 10 s
	 * @param dropped lines dropped since start
	 * @param files every file
	 */
	public record Reopened(boolean reopened, long dropped, List<LogFileStatus> files) {
	}

}
