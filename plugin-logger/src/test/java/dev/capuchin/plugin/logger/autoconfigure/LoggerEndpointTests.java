package dev.capuchin.plugin.logger.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.plugin.logger.LogFileStatus;
import dev.capuchin.plugin.logger.LoggerPlugin;
import dev.capuchin.plugin.logger.LoggerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LoggerEndpointTests {

	@TempDir
	Path temp;

	@Test
	void readShowsEveryFileWithItsCounters() throws Exception {
		Path log = this.temp.resolve("access.log");
		LoggerPlugin logger = new LoggerPlugin(LoggerSettings.defaults().withBuffer(16, Duration.ofMillis(20)));
		try (KernelFixture kernel = kernel(logger, log)) {
			kernel.get("/a.txt");
			await().atMost(Duration.ofSeconds(5)).until(() -> logger.files().get(0).lines() == 1);
			LoggerEndpoint.Report report = new LoggerEndpoint(logger).report();
			assertThat(report.dropped()).isZero();
			assertThat(report.files()).containsExactly(new LogFileStatus(log.toString(), 1, Files.size(log), 0, 0, 0));
		}
	}

	@Test
	void writeReopensTheFilesAfterAnExternalMove() throws Exception {
		Path log = this.temp.resolve("access.log");
		LoggerPlugin logger = new LoggerPlugin(LoggerSettings.defaults().withBuffer(16, Duration.ofMinutes(1)));
		try (KernelFixture kernel = kernel(logger, log)) {
			kernel.get("/a.txt");
			await().atMost(Duration.ofSeconds(5)).until(() -> logger.files().get(0).pending() == 1);
			Files.move(log, this.temp.resolve("access.log.1"));
			assertThat(new LoggerEndpoint(logger).reopen().reopened()).isTrue();
			kernel.get("/b.txt");
		}
		assertThat(Files.readAllLines(this.temp.resolve("access.log.1"))).containsExactly("/a.txt");
		assertThat(Files.readAllLines(log)).containsExactly("/b.txt");
	}

	private KernelFixture kernel(LoggerPlugin logger, Path log) throws Exception {
		return KernelFixture.builder(this.temp)
			.file("a.txt", "a")
			.plugin(logger)
			.defaultSite(Map.of("logger", Map.of("access-log", log.toString(), "format", "pattern:%{target}")))
			.start();
	}

}
