package dev.capuchin.plugin.logger;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.capuchin.core.spi.Exchange;
import dev.capuchin.core.spi.SiteTable;
import dev.capuchin.core.spi.LogEvent;
import dev.capuchin.core.spi.Plugin;
import dev.capuchin.core.spi.SiteErrorLog;
import dev.capuchin.core.spi.Stage;
import dev.capuchin.plugin.logger.internal.AccessFormat;
import dev.capuchin.plugin.logger.internal.ErrorFormat;
import dev.capuchin.plugin.logger.internal.FormatContext;
import dev.capuchin.plugin.logger.internal.LineBuilder;
import dev.capuchin.plugin.logger.internal.LogFile;
import dev.capuchin.plugin.logger.internal.LogWriter;
import dev.capuchin.plugin.logger.internal.SiteLogs;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * Stage {@link Stage#LOG}: the access log and the error log of each site. A line is
 * formatted on the event loop into a per-thread buffer and copied into its file's bounded
 * buffer; one writer thread writes the buffers every flush interval (sooner when one is
 * half full) and at {@link #stop()}, rotates by size or by day, and reopens files on
 * {@link #reopen()}. When a buffer is full the line is dropped and counted
 * ({@link #dropped()}), never waited for.
 * <p>
 * The {@code upstream} field reads the exchange attribute {@value Exchange#UPSTREAM},
 * which a proxying handler sets to the upstream it used.
 */
public final class LoggerPlugin implements Plugin, SiteErrorLog {

	/** The plugin's name. */
	public static final String NAME = "logger";

	/** How long {@link #stop()} and {@link #reopen()} wait for the writer. */
	static final Duration WRITER_TIMEOUT = Duration.ofSeconds(10);

	private static final Set<Stage> STAGES = Set.of(Stage.LOG);

	private final LoggerSettings settings;

	private final Clock clock;

	private final LogWriter writer;

	private final LogFile.Rotation rotation;

	private final SiteLogs.Defaults defaults;

	private final FastThreadLocal<FormatContext> contexts;

	/**
	 * Create the plugin on the system clock and time zone.
	 * @param settings the global settings
	 */
	public LoggerPlugin(LoggerSettings settings) {
		this(settings, Clock.systemDefaultZone());
	}

	/**
	 * Create the plugin.
	 * @param settings the global settings
	 * @param clock the clock of the log lines and of daily rotation (its zone is the
	 * lines' zone)
	 */
	public LoggerPlugin(LoggerSettings settings, Clock clock) {
		this.settings = Objects.requireNonNull(settings, "settings");
		this.clock = Objects.requireNonNull(clock, "clock");
		this.writer = new LogWriter(settings.flushInterval());
		this.rotation = new LogFile.Rotation(settings.maxSize(), settings.daily(), settings.maxFiles());
		String prefix = "capuchin.plugins.logger.";
		this.defaults = new SiteLogs.Defaults(new SiteLogs.Value(settings.accessLog(), prefix + "access-log"),
				new SiteLogs.Value(settings.errorLog(), prefix + "error-log"),
				new SiteLogs.Value(settings.format(), prefix + "format"));
		this.contexts = new FastThreadLocal<>() {
			@Override
			protected FormatContext initialValue() {
				return new FormatContext(clock.getZone());
			}
		};
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public Set<Stage> stages() {
		return STAGES;
	}

	/**
	 * The global settings.
	 * @return the settings
	 */
	public LoggerSettings settings() {
		return this.settings;
	}

	@Override
	public Object prepare(SiteTable sites) {
		return SiteLogs.compile(sites, this.defaults, this::open);
	}

	private LogFile open(SiteLogs.Value value) {
		String name;
		if (LogFile.STDOUT.equals(value.value())) {
			name = LogFile.STDOUT;
		}
		else {
			Path path;
			try {
				path = Path.of(value.value()).toAbsolutePath().normalize();
			}
			catch (InvalidPathException ex) {
				throw new IllegalArgumentException(value.origin() + ": '" + value.value() + "' is not a valid path",
						ex);
			}
			name = path.toString();
			if (!this.writer.has(name)) {
				try {
					LogFile.checkWritable(path);
				}
				catch (IOException ex) {
					throw new IllegalArgumentException(value.origin() + ": cannot open " + path + " for writing: " + ex,
							ex);
				}
			}
		}
		return this.writer.file(name, (key) -> new LogFile(key, this.rotation, this.settings.bufferSize(), this.clock));
	}

	@Override
	public void start() {
		this.writer.start();
	}

	/**
	 * Write every buffered line, close the files and end the writer thread.
	 */
	@Override
	public void stop() {
		this.writer.stop(WRITER_TIMEOUT);
	}

	@Override
	public void onLog(LogEvent event) {
		SiteLogs logs = event.state(this);
		if (logs == null) {
			return;
		}
		int status = event.status();
		SiteLogs.Target target = logs.target(event);
		LogFile access = target.access();
		LogFile error = (status >= 400) ? target.error() : null;
		if (access == null && error == null) {
			return;
		}
		FormatContext context = this.contexts.get();
		LineBuilder line = context.line();
		long now = this.clock.millis();
		if (access != null) {
			line.reset();
			target.format().format(event, now, context, line);
			offer(access, line);
		}
		if (error != null) {
			line.reset();
			ErrorFormat.format(event, now, context, line);
			offer(error, line);
		}
	}

	/**
	 * Write a plugin's line about a request to the error log of its site or location, as
	 * a response's error line is (see {@link ErrorFormat#formatMessage}); dropped and
	 * counted when the file's buffer is full.
	 */
	@Override
	public boolean logError(Exchange exchange, String message) {
		SiteLogs logs = exchange.state(this);
		if (logs == null) {
			return false;
		}
		LogFile error = logs.target(exchange.site(), exchange.location()).error();
		if (error == null) {
			return false;
		}
		FormatContext context = this.contexts.get();
		LineBuilder line = context.line();
		line.reset();
		ErrorFormat.formatMessage(exchange, message, this.clock.millis(), context, line);
		offer(error, line);
		return true;
	}

	private void offer(LogFile file, LineBuilder line) {
		if (file.offer(line.bytes(), line.length())) {
			this.writer.wake();
		}
	}

	/**
	 * Write what is buffered, then close and reopen every file: after an external
	 * rotation (logrotate) moved them, lines go to new files at the configured paths.
	 * @return {@code true} once reopened, {@code false} when the writer did not answer in
	 * time
	 */
	public boolean reopen() {
		try {
			this.writer.reopen().get(WRITER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		catch (ExecutionException | TimeoutException ex) {
			return false;
		}
	}

	/**
	 * Lines dropped since start because a buffer was full (the disk did not keep up) or a
	 * file could not be written.
	 * @return the count
	 */
	public long dropped() {
		return this.writer.dropped();
	}

	/**
	 * Every file the logger writes, with its counters, by name.
	 * @return the files
	 */
	public List<LogFileStatus> files() {
		return this.writer.files()
			.stream()
			.map(LogFile::status)
			.map((status) -> new LogFileStatus(status.name(), status.lines(), status.bytes(), status.dropped(),
					status.pending(), status.rotations()))
			.sorted(Comparator.comparing(LogFileStatus::path))
			.toList();
	}

	/**
	 * The lines dropped and every file with its counters, for monitoring.
	 * @return the status
	 */
	@Override
	public Status status() {
		return new Status(dropped(), files());
	}

	/**
	 * What the logger reports of itself.
	 *
	 * @param dropped lines dropped since start
	 * @param files every file written, with its counters
	 */
	public record Status(long dropped, List<LogFileStatus> files) {
	}

}
