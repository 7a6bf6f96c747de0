package dev.capuchin.plugin.logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@EveryTransport
class RotationSocketTests {

	private static final Duration FLUSH = Duration.ofMillis(20);

	/** Lines each file buffers: small, so that rotations meet many separate writes. */
	private static final int BUFFER = 64;

	@TempDir
	Path temp;

	@Parameter
	Transport transport;

	@Test
	void rotationBySizeKeepsEveryLineAcrossNumberedFiles() throws Exception {
		Path log = this.temp.resolve("logs/access.log");
		LoggerSettings settings = LoggerSettings.defaults().withBuffer(BUFFER, FLUSH).withRotation(1000, false, 100);
		LoggerPlugin logger = new LoggerPlugin(settings);
		try (KernelFixture kernel = LogLines
			.kernel(this.temp, this.transport, logger,
					Map.of("access-log", log.toString(), "format", "pattern:line %{target}"))
			.start()) {
			requestsWritten(kernel, logger, 300);
		}
		List<Path> rotated = numbered(log);
		assertThat(rotated).hasSizeGreaterThanOrEqualTo(4);
		assertThat(logger.files()).singleElement()
			.extracting(LogFileStatus::rotations)
			.isEqualTo((long) rotated.size());
		List<String> all = new ArrayList<>();
		for (int i = rotated.size(); i >= 1; i--) {
			Path file = log.resolveSibling("access.log." + i);
			assertThat(Files.size(file)).isLessThanOrEqualTo(1000);
			all.addAll(LogLines.of(file));
		}
		assertThat(Files.size(log)).isLessThanOrEqualTo(1000);
		all.addAll(LogLines.of(log));
		assertThat(all).containsExactlyElementsOf(expected(0, 300));
	}

	@Test
	void retentionDeletesRotatedFilesBeyondMaxFiles() throws Exception {
		Path log = this.temp.resolve("access.log");
		LoggerSettings settings = LoggerSettings.defaults().withBuffer(BUFFER, FLUSH).withRotation(1000, false, 2);
		LoggerPlugin logger = new LoggerPlugin(settings);
		try (KernelFixture kernel = LogLines
			.kernel(this.temp, this.transport, logger,
					Map.of("access-log", log.toString(), "format", "pattern:line %{target}"))
			.start()) {
			requestsWritten(kernel, logger, 300);
		}
		assertThat(numbered(log)).containsExactly(log.resolveSibling("access.log.1"),
				log.resolveSibling("access.log.2"));
		assertThat(logger.files().get(0).rotations()).isGreaterThan(2);
		List<String> kept = new ArrayList<>(LogLines.of(log.resolveSibling("access.log.2")));
		kept.addAll(LogLines.of(log.resolveSibling("access.log.1")));
		kept.addAll(LogLines.of(log));
		assertThat(kept).hasSizeLessThan(300).containsExactlyElementsOf(expected(300 - kept.size(), 300));
	}

	@Test
	void reopenAfterAnExternalMoveContinuesInANewFile() throws Exception {
		Path log = this.temp.resolve("access.log");
		Path moved = this.temp.resolve("access.log.old");
		LoggerPlugin logger = new LoggerPlugin(LoggerSettings.defaults().withBuffer(BUFFER, FLUSH));
		try (KernelFixture kernel = LogLines
			.kernel(this.temp, this.transport, logger,
					Map.of("access-log", log.toString(), "format", "pattern:line %{target}"))
			.start()) {
			requests(kernel, 0, 3);
			LogLines.awaitLogged(logger, 3);
			Files.move(log, moved);
			assertThat(logger.reopen()).isTrue();
			assertThat(log).exists();
			requests(kernel, 3, 5);
		}
		assertThat(LogLines.of(moved)).containsExactlyElementsOf(expected(0, 3));
		assertThat(LogLines.of(log)).containsExactlyElementsOf(expected(3, 5));
	}

	@Test
	void dailyRotationMovesTheDaysLinesToADatedFileAtMidnight() throws Exception {
		Path log = this.temp.resolve("access.log");
		ZoneId zone = ZoneId.of("Europe/Paris");
		MutableClock clock = new MutableClock(ZonedDateTime.of(2026, 11, 27, 23, 59, 58, 0, zone).toInstant(), zone);
		LoggerSettings settings = LoggerSettings.defaults().withBuffer(BUFFER, FLUSH).withRotation(0, true, 7);
		try (KernelFixture kernel = LogLines
			.kernel(this.temp, this.transport, new LoggerPlugin(settings, clock),
					Map.of("access-log", log.toString(), "format", "pattern:[%{time}] %{target}"))
			.start()) {
			requests(kernel, 0, 2);
			await().atMost(Duration.ofSeconds(5)).until(() -> LogLines.of(log).size() == 2);
			clock.set(ZonedDateTime.of(2026, 11, 28, 0, 0, 1, 0, zone).toInstant());
			Path dated = this.temp.resolve("access.log.2026-11-27");
			await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(dated));
			requests(kernel, 2, 3);
		}
		assertThat(LogLines.of(this.temp.resolve("access.log.2026-11-27")))
			.containsExactly("[27/Nov/2026:23:59:58 +0100] /line-0", "[27/Nov/2026:23:59:58 +0100] /line-1");
		assertThat(LogLines.of(log)).containsExactly("[28/Nov/2026:00:00:01 +0100] /line-2");
	}

	@Test
	void dailyRetentionKeepsTheNewestDatedFiles() throws Exception {
		Path log = this.temp.resolve("access.log");
		for (String day : List.of("2026-11-20", "2026-11-21", "2026-11-22", "2026-11-22.1")) {
			Files.writeString(this.temp.resolve("access.log." + day), "old\n");
		}
		ZoneId zone = ZoneId.of("UTC");
		MutableClock clock = new MutableClock(ZonedDateTime.of(2026, 11, 27, 12, 0, 0, 0, zone).toInstant(), zone);
		LoggerSettings settings = LoggerSettings.defaults().withBuffer(BUFFER, FLUSH).withRotation(0, true, 2);
		try (KernelFixture kernel = LogLines
			.kernel(this.temp, this.transport, new LoggerPlugin(settings, clock),
					Map.of("access-log", log.toString(), "format", "pattern:%{target}"))
			.start()) {
			requests(kernel, 0, 1);
			await().atMost(Duration.ofSeconds(5)).until(() -> LogLines.of(log).size() == 1);
			clock.set(ZonedDateTime.of(2026, 11, 28, 0, 0, 1, 0, zone).toInstant());
			await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(this.temp.resolve("access.log.2026-11-27")));
		}
		try (var entries = Files.list(this.temp)) {
			assertThat(entries.map((path) -> path.getFileName().toString()).filter((name) -> name.startsWith("access")))
				.containsExactlyInAnyOrder("access.log", "access.log.2026-11-22.1", "access.log.2026-11-27");
		}
	}

	/**
	 * Send requests on one connection, letting the writer catch up every half buffer: a
	 * buffer that fills faster than the writer drains it (a loaded machine) drops lines
	 * by design, and these tests count every line.
	 */
	private static void requestsWritten(KernelFixture kernel, LoggerPlugin logger, int count) throws Exception {
		try (RawHttp client = kernel.connect()) {
			for (int i = 0; i < count; i++) {
				assertThat(client.exchange(RawHttp.get("/line-" + i, "localhost")).status()).isEqualTo(404);
				int sent = i + 1;
				if (sent % (BUFFER / 2) == 0 || sent == count) {
					await().atMost(Duration.ofSeconds(5))
						.until(() -> logger.files().stream().mapToLong(LogFileStatus::lines).sum() >= sent);
				}
			}
		}
	}

	private static void requests(KernelFixture kernel, int from, int to) throws Exception {
		try (RawHttp client = kernel.connect()) {
			for (int i = from; i < to; i++) {
				assertThat(client.exchange(RawHttp.get("/line-" + i, "localhost")).status()).isEqualTo(404);
			}
		}
	}

	private static List<String> expected(int from, int to) {
		return IntStream.range(from, to).mapToObj((i) -> "line /line-" + i).toList();
	}

	private static List<Path> numbered(Path log) throws Exception {
		List<Path> rotated = new ArrayList<>();
		for (int i = 1; Files.exists(log.resolveSibling(log.getFileName() + "." + i)); i++) {
			rotated.add(log.resolveSibling(log.getFileName() + "." + i));
		}
		return rotated;
	}

}
