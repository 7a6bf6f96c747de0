package dev.capuchin.plugin.logger;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

@EveryTransport
class SiteSettingsSocketTests {

	@TempDir
	Path temp;

	@Parameter
	Transport transport;

	@Test
	void siteFileBlockWritesBothLogsAndALocationTurnsItsAccessLogOff() throws Exception {
		Path access = this.temp.resolve("log/a.access.log");
		Path errors = this.temp.resolve("log/a.error.log");
		Map<String, Object> site = new Yaml().load("""
				logger: { access-log: %s, error-log: %s, format: combined }
				locations:
				  - path: /health
				    logger: { access-log: off }
				""".formatted(access, errors));
		try (KernelFixture kernel = KernelFixture.builder(this.temp)
			.transport(this.transport)
			.file("a.txt", "static")
			.file("health/ok", "ok")
			.plugin(new LoggerPlugin(LogLines.fast()))
			.defaultSite(site)
			.start()) {
			assertThat(kernel.get("/a.txt").status()).isEqualTo(200);
			assertThat(kernel.get("/health/ok").status()).isEqualTo(200);
			assertThat(kernel.get("/health/missing").status()).isEqualTo(404);
		}
		assertThat(LogLines.of(access)).singleElement().asString().contains("\"GET /a.txt HTTP/1.1\" 200 6 ");
		assertThat(LogLines.of(errors)).singleElement()
			.asString()
			.endsWith("site=default 404 GET /health/missing: not found");
	}

	@Test
	void sitesWithoutABlockUseTheGlobalDefaults() throws Exception {
		Path access = this.temp.resolve("global.log");
		LoggerSettings settings = LogLines.fast()
			.withAccessLog(access.toString())
			.withFormat("pattern:%{site} %{target}");
		try (KernelFixture kernel = KernelFixture.builder(this.temp)
			.transport(this.transport)
			.file("a.txt", "static")
			.plugin(new LoggerPlugin(settings))
			.start()) {
			kernel.get("/a.txt");
		}
		assertThat(LogLines.of(access)).containsExactly("default /a.txt");
	}

	@Test
	void aSiteBlockOverridesOnlyTheKeysItNames() throws Exception {
		Path access = this.temp.resolve("global.log");
		LoggerSettings settings = LogLines.fast().withAccessLog(access.toString()).withFormat("json");
		try (KernelFixture kernel = LogLines
			.kernel(this.temp, this.transport, new LoggerPlugin(settings),
					Map.of("format", "pattern:%{status} %{target}"))
			.start()) {
			kernel.get("/a.txt");
		}
		assertThat(LogLines.of(access)).containsExactly("200 /a.txt");
	}

	@Test
	void loggerOffOnASiteWritesNothingForIt() throws Exception {
		Path access = this.temp.resolve("global.log");
		Path errors = this.temp.resolve("global-error.log");
		LoggerSettings settings = LogLines.fast().withAccessLog(access.toString()).withErrorLog(errors.toString());
		Map<String, Object> site = new Yaml().load("logger: off\n");
		try (KernelFixture kernel = KernelFixture.builder(this.temp)
			.transport(this.transport)
			.file("a.txt", "static")
			.plugin(new LoggerPlugin(settings))
			.defaultSite(site)
			.start()) {
			kernel.get("/a.txt");
			kernel.get("/missing");
		}
		assertThat(LogLines.of(access)).isEmpty();
		assertThat(LogLines.of(errors)).isEmpty();
	}

	@Test
	void sitesSharingAFileWriteThroughOneWriterAndOneBuffer() throws Exception {
		Path shared = this.temp.resolve("shared.log");
		LoggerPlugin logger = new LoggerPlugin(LogLines.fast());
		Map<String, Object> block = Map.of("access-log", shared.toString(), "format", "pattern:%{site}");
		Map<String, Object> other = Map.of("name", "other", "server-names", List.of("other.test"), "document-root",
				this.temp.resolve("htdocs").toString(), "logger", Map.of("access-log",
						this.temp.resolve(".").resolve("shared.log").toString(), "format", "pattern:%{site}"));
		try (KernelFixture kernel = LogLines.kernel(this.temp, this.transport, logger, block).site(other).start();
				RawHttp client = kernel.connect()) {
			client.exchange(RawHttp.get("/a.txt", "localhost"));
			client.exchange(RawHttp.get("/a.txt", "other.test"));
			client.exchange(RawHttp.get("/a.txt", "localhost"));
			assertThat(logger.files()).extracting(LogFileStatus::path).containsExactly(shared.toString());
		}
		assertThat(LogLines.of(shared)).containsExactly("default", "other", "default");
	}

	@Test
	void stdoutIsALogTarget() throws Exception {
		LoggerPlugin logger = new LoggerPlugin(LogLines.fast());
		PrintStream original = System.out;
		ByteArrayOutputStream captured = new ByteArrayOutputStream();
		System.setOut(new PrintStream(captured, true, StandardCharsets.ISO_8859_1));
		try (KernelFixture kernel = LogLines
			.kernel(this.temp, this.transport, logger,
					Map.of("access-log", "stdout", "format", "pattern:stdout %{target}"))
			.start()) {
			LogLines.get(kernel, "/a.txt", 2);
		}
		finally {
			System.setOut(original);
		}
		assertThat(captured.toString(StandardCharsets.ISO_8859_1).lines().filter((line) -> line.startsWith("stdout ")))
			.containsExactly("stdout /a.txt", "stdout /a.txt");
		assertThat(logger.files()).singleElement().satisfies((file) -> {
			assertThat(file.path()).isEqualTo("stdout");
			assertThat(file.lines()).isEqualTo(2);
		});
	}

}
