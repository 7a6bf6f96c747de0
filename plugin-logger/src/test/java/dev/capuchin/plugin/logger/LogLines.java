package dev.capuchin.plugin.logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.spi.Plugin;
import dev.capuchin.core.spi.Stage;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;

import static org.awaitility.Awaitility.await;

/**
 * Helpers for tests that read real log files back.
 */
final class LogLines {

	private LogLines() {
	}

	/** Every line of a file, or none when it does not exist. */
	static List<String> of(Path file) throws IOException {
		return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.ISO_8859_1) : List.of();
	}

	/** Settings that write lines within 50 ms. */
	static LoggerSettings fast() {
		return LoggerSettings.defaults().withBuffer(LoggerSettings.DEFAULT_BUFFER_SIZE, Duration.ofMillis(50));
	}

	/**
	 * A kernel on a transport with one file and the logger, the default site carrying a
	 * logger block.
	 */
	static KernelFixture.Builder kernel(Path temp, Transport transport, LoggerPlugin logger, Map<String, Object> block)
			throws IOException {
		return KernelFixture.builder(temp)
			.transport(transport)
			.workers(1)
			.file("a.txt", "static")
			.plugin(logger)
			.defaultSite(Map.of("logger", block));
	}

	/**
	 * Wait until a number of lines went through the logger (buffered or written): a
	 * client sees its response a moment before the LOG stage runs.
	 */
	static void awaitLogged(LoggerPlugin logger, long lines) {
		await().atMost(Duration.ofSeconds(5))
			.until(() -> logger.files().stream().mapToLong((file) -> file.lines() + file.pending()).sum() >= lines);
	}

	/** Send requests one after the other on one keep-alive connection. */
	static void get(KernelFixture kernel, String path, int times) throws IOException {
		try (RawHttp client = kernel.connect()) {
			for (int i = 0; i < times; i++) {
				RawHttp.Response response = client.exchange(RawHttp.get(path, "localhost"));
				if (response.status() >= 500) {
					throw new IllegalStateException("unexpected " + response.statusLine());
				}
			}
		}
	}

	/** A plugin for the REQUEST stage. */
	abstract static class RequestPlugin implements Plugin {

		private final String name;

		RequestPlugin(String name) {
			this.name = name;
		}

		@Override
		public String name() {
			return this.name;
		}

		@Override
		public Set<Stage> stages() {
			return Set.of(Stage.REQUEST);
		}

	}

}
