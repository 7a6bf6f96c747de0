package dev.capuchin.plugin.logger;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

@EveryTransport
class InjectionSocketTests {

	@TempDir
	Path temp;

	@Parameter
	Transport transport;

	@Test
	void quotesBackslashesAndControlBytesInRequestFieldsAreEscapedAsHex() throws Exception {
		Path log = this.temp.resolve("access.log");
		try (KernelFixture kernel = LogLines
			.kernel(this.temp, this.transport, new LoggerPlugin(LogLines.fast()), Map.of("access-log", log.toString()))
			.start()) {
			send(kernel, "GET /a\"b\u001b[2J\u00e9 HTTP/1.1\r\nHost: localhost\r\n\r\n");
			send(kernel, "GET /a.txt HTTP/1.1\r\nHost: localhost\r\nUser-Agent: x\" \"forged\tagent\u00ff\r\n"
					+ "Referer: http://r/\" 200 1 \"\r\n\r\n");
		}
		List<String> lines = LogLines.of(log);
		assertThat(lines).hasSize(2);
		assertThat(lines.get(0)).contains("\"GET /a\\x22b\\x1b[2J\\xe9 HTTP/1.1\" ").endsWith(" \"-\" \"-\"");
		assertThat(lines.get(1)).endsWith(
				"\"GET /a.txt HTTP/1.1\" 200 6 \"http://r/\\x22 200 1 \\x22\" \"x\\x22 \\x22forged\\x09agent\\xff\"");
		assertThat(lines).allSatisfy((line) -> assertThat(line).matches("[\\x20-\\x7e]+"));
	}

	@Test
	void aNewlineInAnErrorReasonStaysOnOneEscapedLine() throws Exception {
		Path errors = this.temp.resolve("error.log");
		Plugin echo = new Plugin() {
			@Override
			public String name() {
				return "echo";
			}

			@Override
			public Set<Stage> stages() {
				return Set.of(Stage.HANDLE);
			}

			@Override
			public Mono<HandleResult> handle(Exchange exchange) {
				String name = URLDecoder.decode(exchange.query(), StandardCharsets.UTF_8);
				return Mono.error(new IllegalArgumentException("no such name: " + name));
			}
		};
		try (KernelFixture kernel = LogLines
			.kernel(this.temp, this.transport, new LoggerPlugin(LogLines.fast()),
					Map.of("error-log", errors.toString()))
			.plugin(echo)
			.start()) {
			send(kernel, "GET /q?a%0d%0a[01/Jan/2000:00:00:00%20%2b0000]%20[error]%20forged HTTP/1.1\r\n"
					+ "Host: localhost\r\n\r\n");
		}
		List<String> lines = LogLines.of(errors);
		assertThat(lines).hasSize(1);
		assertThat(lines.get(0)).endsWith(": plugin echo failed at HANDLE: java.lang.IllegalArgumentException: "
				+ "no such name: a\\x0d\\x0a[01/Jan/2000:00:00:00 +0000] [error] forged");
	}

	@Test
	void jsonEscapesControlBytesAndQuotesAndStaysValid() throws Exception {
		Path log = this.temp.resolve("access.json");
		try (KernelFixture kernel = LogLines
			.kernel(this.temp, this.transport, new LoggerPlugin(LogLines.fast()),
					Map.of("access-log", log.toString(), "format", "json"))
			.start()) {
			send(kernel, "GET /a\"b\u001b\\\u00e9 HTTP/1.1\r\nHost: localhost\r\nUser-Agent: x\"}\t{\r\n\r\n");
		}
		List<String> lines = LogLines.of(log);
		assertThat(lines).hasSize(1);
		assertThat(lines.get(0)).contains("\"target\":\"/a\\\"b\\u001b\\\\\\u00e9\"")
			.contains("\"user-agent\":\"x\\\"}\\u0009{\"")
			.matches("[\\x20-\\x7e]+");
		JsonNode json = JsonMapper.builder().build().readTree(lines.get(0));
		assertThat(json.get("target").asString()).isEqualTo("/a\"b\u001b\\\u00e9");
		assertThat(json.get("user-agent").asString()).isEqualTo("x\"}\t{");
	}

	private static void send(KernelFixture kernel, String request) throws Exception {
		try (RawHttp client = kernel.connect()) {
			client.exchange(request);
		}
	}

}
