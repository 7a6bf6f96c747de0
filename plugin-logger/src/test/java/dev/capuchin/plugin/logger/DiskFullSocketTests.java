package dev.capuchin.plugin.logger;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import dev.capuchin.plugin.logger.internal.LogFile;
import dev.capuchin.plugin.logger.internal.LogWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The access log on a file system that fills up: a 1 MiB {@code tmpfs} mounted by the
 * test (which needs root, as in CI; skipped where mounting is not permitted). While the
 * disk is full every request is still served, its line is dropped and counted, and the
 * error log says so once; once space is freed the lines reach the file again, each one
 * whole.
 */
@EnabledOnOs(OS.LINUX)
class DiskFullSocketTests {

	/**
	 * Pads each line past a page (4 KiB), so that no line fits into what is left of the
	 * log file's last page once the disk is full: every write fails until space returns.
	 */
	private static final String PADDING = "x".repeat(4200);

	@TempDir
	Path temp;

	private Path disk;

	private boolean mounted;

	private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();

	@BeforeEach
	void mountASmallDisk() throws Exception {
		this.disk = Files.createDirectories(this.temp.resolve("disk"));
		Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "capuchin-test",
				this.disk.toString())
			.redirectErrorStream(true)
			.start();
		boolean done = mount.waitFor(10, TimeUnit.SECONDS);
		String output = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		this.mounted = done && mount.exitValue() == 0;
		assumeThat(this.mounted).as("mounting a 1 MiB tmpfs is not permitted here (the test needs root): %s", output)
			.isTrue();
		this.warnings.start();
		logger(LogWriter.class).addAppender(this.warnings);
		logger(LogFile.class).addAppender(this.warnings);
	}

	@AfterEach
	void unmount() throws Exception {
		logger(LogWriter.class).detachAppender(this.warnings);
		logger(LogFile.class).detachAppender(this.warnings);
		if (this.mounted) {
			new ProcessBuilder("umount", "-l", this.disk.toString()).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void aFullDiskDropsAndCountsLinesWarnsOnceKeepsServingAndLoggingResumesWhenSpaceReturns() throws Exception {
		Path log = this.disk.resolve("access.log");
		LoggerPlugin logger = new LoggerPlugin(LogLines.fast());
		try (KernelFixture kernel = KernelFixture.builder(this.temp)
			.workers(1)
			.file("a.txt", "static")
			.plugin(logger)
			.defaultSite(Map.of("logger", Map.of("access-log", log.toString(), "format", "pattern:%{target}")))
			.start()) {
			serve(kernel, "before", 10);
			await().atMost(Duration.ofSeconds(5)).until(() -> LogLines.of(log).size() == 10);

			Path filler = fill(this.disk.resolve("filler"));
			// two bursts, each written (and failed) by its own flush: the second one
			// drops lines after the first warning, and is not warned about again
			serve(kernel, "full", 100);
			await().atMost(Duration.ofSeconds(5)).until(() -> logger.dropped() > 0);
			await().atMost(Duration.ofSeconds(5)).until(() -> messages(Level.WARN, "dropped ").size() == 1);
			long droppedAfterFirstBurst = logger.dropped();
			serve(kernel, "full", 100);
			await().atMost(Duration.ofSeconds(5)).until(() -> accounted(logger) == 210);
			assertThat(logger.dropped()).isGreaterThan(droppedAfterFirstBurst);
			// ten flush intervals without a second warning
			await().during(Duration.ofMillis(500))
				.atMost(Duration.ofSeconds(2))
				.until(() -> messages(Level.WARN, "dropped ").size() == 1);
			assertThat(messages(Level.WARN, "cannot write log " + log)).hasSize(1);

			Files.delete(filler);
			serve(kernel, "after", 10);
			await().atMost(Duration.ofSeconds(5))
				.until(() -> LogLines.of(log).stream().filter((line) -> line.contains("after")).count() == 10);
			assertThat(messages(Level.INFO, "log " + log + " is writable again")).hasSize(1);
			List<String> lines = LogLines.of(log);
			assertThat(lines).as("whole lines only: none torn by the full disk")
				.allMatch((line) -> line.matches("/a\\.txt\\?(before|full|after)-\\d+-x{4200}"));
			assertThat(logger.files()).singleElement().satisfies((file) -> {
				assertThat(file.lines()).isEqualTo(lines.size());
				assertThat(file.lines() + file.dropped()).isEqualTo(220);
			});
		}
	}

	/** Requests on one connection, each of which must be served. */
	private static void serve(KernelFixture kernel, String name, int count) throws IOException {
		try (RawHttp client = kernel.connect()) {
			for (int i = 0; i < count; i++) {
				RawHttp.Response response = client
					.exchange(RawHttp.get("/a.txt?" + name + "-" + i + "-" + PADDING, "localhost"));
				assertThat(response.status()).as(response.statusLine()).isEqualTo(200);
				assertThat(response.text()).isEqualTo("static");
			}
		}
	}

	/** Write a file until the disk has no room left. */
	private static Path fill(Path file) throws IOException {
		byte[] block = new byte[16 * 1024];
		try (OutputStream out = Files.newOutputStream(file)) {
			for (int i = 0; i < 1024; i++) {
				out.write(block);
				out.flush();
			}
		}
		catch (IOException ex) {
			assertThat(ex).hasMessageContaining("No space left on device");
			return file;
		}
		throw new IllegalStateException("the 1 MiB disk took 16 MiB");
	}

	private static long accounted(LoggerPlugin logger) {
		return logger.files().stream().mapToLong((file) -> file.lines() + file.dropped()).sum();
	}

	private List<String> messages(Level level, String prefix) {
		List<ILoggingEvent> events;
		// the appender appends under its own lock, on the writer's thread
		synchronized (this.warnings) {
			events = List.copyOf(this.warnings.list);
		}
		return events.stream()
			.filter((event) -> event.getLevel() == level)
			.map(ILoggingEvent::getFormattedMessage)
			.filter((message) -> message.startsWith(prefix))
			.toList();
	}

	private static Logger logger(Class<?> type) {
		return (Logger) LoggerFactory.getLogger(type);
	}

}
