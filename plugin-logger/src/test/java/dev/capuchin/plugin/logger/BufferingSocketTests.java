package dev.capuchin.plugin.logger;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import dev.capuchin.plugin.logger.internal.LogWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@EveryTransport
class BufferingSocketTests {

	@TempDir
	Path temp;

	@Parameter
	Transport transport;

	@Test
	void aCleanStopRightAfterTheRequestsLosesNoLine() throws Exception {
		Path log = this.temp.resolve("access.log");
		int clients = 4;
		int perClient = 250;
		LoggerSettings settings = LoggerSettings.defaults().withBuffer(8192, Duration.ofMinutes(1));
		KernelFixture kernel = LogLines
			.kernel(this.temp, this.transport, new LoggerPlugin(settings),
					Map.of("access-log", log.toString(), "format", "pattern:%{target}"))
			.workers(2)
			.start();
		try {
			ExecutorService pool = Executors.newFixedThreadPool(clients);
			List<Future<?>> runs = new ArrayList<>();
			for (int c = 0; c < clients; c++) {
				int client = c;
				runs.add(pool.submit(() -> {
					try (RawHttp http = kernel.connect()) {
						for (int i = 0; i < perClient; i++) {
							assertThat(http.exchange(RawHttp.get("/a.txt?" + client + "-" + i, "localhost")).status())
								.isEqualTo(200);
						}
					}
					return null;
				}));
			}
			for (Future<?> run : runs) {
				run.get(60, TimeUnit.SECONDS);
			}
			pool.shutdown();
			assertThat(LogLines.of(log)).as("still buffered: the interval is a minute").isEmpty();
		}
		finally {
			kernel.close();
		}
		Set<String> expected = new HashSet<>();
		for (int c = 0; c < clients; c++) {
			for (int i = 0; i < perClient; i++) {
				expected.add("/a.txt?" + c + "-" + i);
			}
		}
		List<String> lines = LogLines.of(log);
		assertThat(lines).hasSize(clients * perClient);
		assertThat(new HashSet<>(lines)).isEqualTo(expected);
	}

	@Test
	void linesReachTheFileWithinTheFlushInterval() throws Exception {
		Path log = this.temp.resolve("access.log");
		LoggerSettings settings = LoggerSettings.defaults().withBuffer(8192, Duration.ofMillis(200));
		try (KernelFixture kernel = LogLines
			.kernel(this.temp, this.transport, new LoggerPlugin(settings),
					Map.of("access-log", log.toString(), "format", "pattern:%{target}"))
			.start()) {
			kernel.get("/a.txt");
			await().atMost(Duration.ofSeconds(3)).until(() -> LogLines.of(log).size() == 1);
			assertThat(LogLines.of(log)).containsExactly("/a.txt");
		}
	}

	@Test
	void aHalfFullBufferWakesTheWriterBeforeTheInterval() throws Exception {
		Path log = this.temp.resolve("access.log");
		LoggerSettings settings = LoggerSettings.defaults().withBuffer(8, Duration.ofMinutes(1));
		try (KernelFixture kernel = LogLines
			.kernel(this.temp, this.transport, new LoggerPlugin(settings),
					Map.of("access-log", log.toString(), "format", "pattern:%{target}"))
			.start()) {
			// the writer's first pass may take a line or three before it parks for the
			// interval; from then on four buffered lines (half of eight) wake it, so
			// eight
			// requests bring at least four lines to the file long before the minute is up
			LogLines.get(kernel, "/a.txt", 8);
			await().atMost(Duration.ofSeconds(5)).until(() -> LogLines.of(log).size() >= 4);
		}
	}

	@Test
	void aFullBufferDropsAndCountsLinesInsteadOfWaiting() throws Exception {
		Path fifo = this.temp.resolve("access.fifo");
		assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
		ListAppender<ILoggingEvent> warnings = new ListAppender<>();
		Logger writerLogger = (Logger) LoggerFactory.getLogger(LogWriter.class);
		warnings.start();
		writerLogger.addAppender(warnings);
		// read-write, so opening it for writing does not wait and reading never sees the
		// end
		try (RandomAccessFile pipe = new RandomAccessFile(fifo.toFile(), "rw")) {
			int requests = 200;
			String agent = "a".repeat(4000);
			LoggerPlugin logger = new LoggerPlugin(LoggerSettings.defaults().withBuffer(4, Duration.ofMillis(20)));
			CountDownLatch sent = new CountDownLatch(1);
			AtomicInteger received = new AtomicInteger();
			Thread reader = new Thread(() -> readLines(pipe, sent, received));
			reader.setDaemon(true);
			reader.start();
			KernelFixture kernel = LogLines
				.kernel(this.temp, this.transport, logger,
						Map.of("access-log", fifo.toString(), "format", "pattern:%{target} %{user-agent}"))
				.start();
			try (RawHttp client = kernel.connect()) {
				for (int i = 0; i < requests; i++) {
					client.exchange(
							"GET /a.txt?" + i + " HTTP/1.1\r\nHost: localhost\r\nUser-Agent: " + agent + "\r\n\r\n");
				}
			}
			finally {
				sent.countDown();
				kernel.close();
			}
			long dropped = logger.dropped();
			assertThat(dropped).as("the pipe holds 64 KiB, the buffer 4 lines").isGreaterThan(100);
			await().atMost(Duration.ofSeconds(10)).until(() -> received.get() + dropped >= requests);
			assertThat(received.get() + dropped).isEqualTo(requests);
			assertThat(logger.files()).singleElement().satisfies((file) -> {
				assertThat(file.dropped()).isEqualTo(dropped);
				assertThat(file.lines()).isEqualTo(received.get());
			});
			assertThat(warnings.list).filteredOn((event) -> event.getLevel() == Level.WARN)
				.extracting(ILoggingEvent::getFormattedMessage)
				.anySatisfy((message) -> assertThat(message).startsWith("dropped ")
					.contains("(" + dropped + " since start)"));
		}
		finally {
			writerLogger.detachAppender(warnings);
		}
	}

	private static void readLines(RandomAccessFile pipe, CountDownLatch start, AtomicInteger lines) {
		byte[] buffer = new byte[65536];
		try {
			start.await();
			int n;
			while ((n = pipe.read(buffer)) > 0) {
				for (int i = 0; i < n; i++) {
					if (buffer[i] == '\n') {
						lines.incrementAndGet();
					}
				}
			}
		}
		catch (IOException | InterruptedException ex) {
			// the test closed the pipe
		}
	}

}
