package dev.capuchin.plugin.logger;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.spi.Exchange;
import dev.capuchin.core.spi.Plugin;
import dev.capuchin.core.spi.HandleResult;
import dev.capuchin.core.spi.Stage;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

@EveryTransport
class ErrorLogSocketTests {

	private static final Pattern ERROR_LINE = Pattern.compile(
			"\\[(\\d\\d/\\w{3}/\\d{4}:\\d\\d:\\d\\d:\\d\\d [+-]\\d{4})\\] \\[error\\] \\[client ([^\\]]+)\\] (.*)");

	@TempDir
	Path temp;

	@Parameter
	Transport transport;

	@Test
	void notFoundWritesAnErrorLineWithTheReasonPhrase() throws Exception {
		Path errors = this.temp.resolve("error.log");
		try (KernelFixture kernel = LogLines
			.kernel(this.temp, this.transport, new LoggerPlugin(LogLines.fast()),
					Map.of("error-log", errors.toString()))
			.start()) {
			assertThat(kernel.get("/x").status()).isEqualTo(404);
		}
		List<String> lines = LogLines.of(errors);
		assertThat(lines).hasSize(1);
		Matcher line = ERROR_LINE.matcher(lines.get(0));
		assertThat(line.matches()).as(lines.get(0)).isTrue();
		assertThat(line.group(2)).isEqualTo("127.0.0.1");
		assertThat(line.group(3)).isEqualTo("site=default 404 GET /x: not found");
	}

	@Test
	void aPluginsLineAboutARequestGoesToTheSitesErrorLogEscaped() throws Exception {
		Path errors = this.temp.resolve("error.log");
		Plugin script = new Plugin() {
			@Override
			public String name() {
				return "script";
			}

			@Override
			public Set<Stage> stages() {
				return Set.of(Stage.HANDLE);
			}

			@Override
			public Mono<HandleResult> handle(Exchange exchange) {
				exchange.logError("cgi /a.txt stderr: disk on fire\n[forged] line");
				return DECLINE;
			}
		};
		try (KernelFixture kernel = LogLines
			.kernel(this.temp, this.transport, new LoggerPlugin(LogLines.fast()),
					Map.of("error-log", errors.toString()))
			.plugin(script)
			.start()) {
			assertThat(kernel.get("/a.txt?x=1").status()).isEqualTo(200);
		}
		List<String> lines = LogLines.of(errors);
		assertThat(lines).hasSize(1);
		Matcher line = ERROR_LINE.matcher(lines.get(0));
		assertThat(line.matches()).as(lines.get(0)).isTrue();
		assertThat(line.group(3))
			.isEqualTo("site=default GET /a.txt?x=1: cgi /a.txt stderr: disk on fire\\x0a[forged] line");
	}

	@Test
	void successfulResponsesWriteNoErrorLine() throws Exception {
		Path errors = this.temp.resolve("error.log");
		try (KernelFixture kernel = LogLines
			.kernel(this.temp, this.transport, new LoggerPlugin(LogLines.fast()),
					Map.of("error-log", errors.toString()))
			.start()) {
			LogLines.get(kernel, "/a.txt", 3);
		}
		assertThat(LogLines.of(errors)).isEmpty();
	}

	@Test
	void aRefusedRequestLogsTheKernelsReason() throws Exception {
		Path errors = this.temp.resolve("error.log");
		try (KernelFixture kernel = LogLines
			.kernel(this.temp, this.transport, new LoggerPlugin(LogLines.fast()),
					Map.of("error-log", errors.toString()))
			.start(); RawHttp client = kernel.connect()) {
			assertThat(client.exchange("BREW /pot HTTP/1.1\r\nHost: localhost\r\n\r\n").status()).isEqualTo(501);
		}
		assertThat(LogLines.of(errors)).singleElement()
			.asString()
			.endsWith("] site=default 501 BREW /pot: method not implemented");
	}

	@Test
	void aPluginFailingAtHandleIsNamedInTheErrorLine() throws Exception {
		Path errors = this.temp.resolve("error.log");
		Path access = this.temp.resolve("access.log");
		Plugin broken = new Plugin() {
			@Override
			public String name() {
				return "broken";
			}

			@Override
			public Set<Stage> stages() {
				return Set.of(Stage.HANDLE);
			}

			@Override
			public Mono<HandleResult> handle(Exchange exchange) {
				if (exchange.path().equals("/boom")) {
					throw new IllegalStateException("backend exploded");
				}
				return DECLINE;
			}
		};
		try (KernelFixture kernel = LogLines
			.kernel(this.temp, this.transport, new LoggerPlugin(LogLines.fast()), Map.of("error-log", errors.toString(),
					"access-log", access.toString(), "format", "pattern:%{status} %{target}"))
			.plugin(broken)
			.start()) {
			assertThat(kernel.get("/boom").status()).isEqualTo(500);
			assertThat(kernel.get("/a.txt").status()).isEqualTo(200);
		}
		List<String> lines = LogLines.of(errors);
		assertThat(lines).hasSize(1);
		Matcher line = ERROR_LINE.matcher(lines.get(0));
		assertThat(line.matches()).as(lines.get(0)).isTrue();
		assertThat(line.group(3)).isEqualTo("site=default plugin=broken 500 GET /boom: plugin broken failed at "
				+ "HANDLE: java.lang.IllegalStateException: backend exploded");
		assertThat(LogLines.of(access)).containsExactly("500 /boom", "200 /a.txt");
	}

	@Test
	void errorAndAccessLogsMayShareOneFile() throws Exception {
		Path log = this.temp.resolve("all.log");
		LoggerPlugin logger = new LoggerPlugin(LogLines.fast());
		try (KernelFixture kernel = LogLines
			.kernel(this.temp, this.transport, logger,
					Map.of("error-log", log.toString(), "access-log", log.toString(), "format", "pattern:%{status}"))
			.start()) {
			kernel.get("/x");
			assertThat(logger.files()).hasSize(1);
		}
		List<String> lines = LogLines.of(log);
		assertThat(lines).hasSize(2);
		assertThat(lines.get(0)).isEqualTo("404");
		assertThat(lines.get(1)).endsWith("404 GET /x: not found");
	}

}
