package dev.capuchin.plugin.logger;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.spi.Exchange;
import dev.capuchin.core.spi.LogEvent;
import dev.capuchin.core.spi.Plugin;
import dev.capuchin.core.spi.RequestResult;
import dev.capuchin.core.spi.Stage;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import dev.capuchin.core.internal.worker.Worker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

@EveryTransport
class AccessLogFormatSocketTests {

	private static final Pattern COMBINED = Pattern
		.compile("(\\S+) - - \\[([^\\]]+)\\] \"(\\S+) (\\S+) (\\S+)\" (\\d{3}) (\\d+|-) \"([^\"]*)\" \"([^\"]*)\"");

	private static final Pattern COMMON = Pattern
		.compile("(\\S+) - - \\[([^\\]]+)\\] \"(\\S+) (\\S+) (\\S+)\" (\\d{3}) (\\d+|-)");

	private static final DateTimeFormatter CLF_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z",
			Locale.ENGLISH);

	@TempDir
	Path temp;

	@Parameter
	Transport transport;

	@Test
	void combinedLineCarriesTheRequestLineStatusBytesRefererAndUserAgent() throws Exception {
		Path log = this.temp.resolve("logs/access.log");
		Instant before = Instant.now().minusSeconds(1);
		try (KernelFixture kernel = LogLines
			.kernel(this.temp, this.transport, new LoggerPlugin(LogLines.fast()), Map.of("access-log", log.toString()))
			.start(); RawHttp client = kernel.connect()) {
			client.exchange("GET /a.txt?x=1 HTTP/1.1\r\nHost: localhost\r\nReferer: http://example.com/from\r\n"
					+ "User-Agent: probe/1.0 (test)\r\n\r\n");
		}
		Instant after = Instant.now().plusSeconds(1);
		List<String> lines = LogLines.of(log);
		assertThat(lines).hasSize(1);
		Matcher line = COMBINED.matcher(lines.get(0));
		assertThat(line.matches()).as(lines.get(0)).isTrue();
		assertThat(line.group(1)).isEqualTo("127.0.0.1");
		assertThat(ZonedDateTime.parse(line.group(2), CLF_TIME).toInstant()).isBetween(before, after);
		assertThat(line.group(3)).isEqualTo("GET");
		assertThat(line.group(4)).isEqualTo("/a.txt?x=1");
		assertThat(line.group(5)).isEqualTo("HTTP/1.1");
		assertThat(line.group(6)).isEqualTo("200");
		assertThat(line.group(7)).isEqualTo("6");
		assertThat(line.group(8)).isEqualTo("http://example.com/from");
		assertThat(line.group(9)).isEqualTo("probe/1.0 (test)");
	}

	@Test
	void aDirectAnswerIsLoggedAsFullyAsAnAnswerThroughTheStages() throws Exception {
		Path log = this.temp.resolve("access.log");
		List<Boolean> direct = new CopyOnWriteArrayList<>();
		Plugin paths = new Plugin() {
			@Override
			public String name() {
				return "paths";
			}

			@Override
			public Set<Stage> stages() {
				return Set.of(Stage.LOG);
			}

			@Override
			public void onLog(LogEvent event) {
				direct.add(event.isDirect());
			}
		};
		String request = "GET /a.txt?x=1 HTTP/1.1\r\nHost: localhost\r\nReferer: http://example.com/from\r\n"
				+ "User-Agent: probe/1.0 (test)\r\n\r\n";
		try (KernelFixture kernel = LogLines
			.kernel(this.temp, this.transport, new LoggerPlugin(LogLines.fast()), Map.of("access-log", log.toString()))
			.plugin(paths)
			.start(); RawHttp client = kernel.connect()) {
			// the first request resolves the file through the stages, the second is
			// direct
			client.exchange(request);
			client.exchange(request);
		}
		assertThat(direct).containsExactly(false, true);
		List<String> lines = LogLines.of(log);
		assertThat(lines).hasSize(2);
		String expected = "127.0.0.1 - - [] \"GET /a.txt?x=1 HTTP/1.1\" 200 6 \"http://example.com/from\" "
				+ "\"probe/1.0 (test)\"";
		assertThat(lines)
			.allSatisfy((line) -> assertThat(line.replaceFirst("\\[[^\\]]+\\]", "[]")).isEqualTo(expected));
	}

	@Test
	void combinedIsTheDefaultFormatAndWritesDashesForAbsentValues() throws Exception {
		Path log = this.temp.resolve("access.log");
		try (KernelFixture kernel = LogLines
			.kernel(this.temp, this.transport, new LoggerPlugin(LogLines.fast()), Map.of("access-log", log.toString()))
			.start(); RawHttp client = kernel.connect()) {
			client.send("HEAD /a.txt HTTP/1.1\r\nHost: localhost\r\n\r\n").readHead();
		}
		assertThat(LogLines.of(log)).singleElement()
			.asString()
			.endsWith("] \"HEAD /a.txt HTTP/1.1\" 200 - \"-\" \"-\"");
	}

	@Test
	void commonLineStopsAfterTheBytes() throws Exception {
		Path log = this.temp.resolve("access.log");
		try (KernelFixture kernel = LogLines
			.kernel(this.temp, this.transport, new LoggerPlugin(LogLines.fast()),
					Map.of("access-log", log.toString(), "format", "common"))
			.start(); RawHttp client = kernel.connect()) {
			client.exchange("GET /a.txt HTTP/1.1\r\nHost: localhost\r\nUser-Agent: probe\r\n\r\n");
		}
		List<String> lines = LogLines.of(log);
		assertThat(lines).hasSize(1);
		Matcher line = COMMON.matcher(lines.get(0));
		assertThat(line.matches()).as(lines.get(0)).isTrue();
		assertThat(line.group(1)).isEqualTo("127.0.0.1");
		assertThat(line.group(4)).isEqualTo("/a.txt");
		assertThat(line.group(6)).isEqualTo("200");
		assertThat(line.group(7)).isEqualTo("6");
	}

	@Test
	void notFoundLineCountsTheErrorPageBytes() throws Exception {
		Path log = this.temp.resolve("access.log");
		RawHttp.Response response;
		try (KernelFixture kernel = LogLines
			.kernel(this.temp, this.transport, new LoggerPlugin(LogLines.fast()),
					Map.of("access-log", log.toString(), "format", "common"))
			.start()) {
			response = kernel.get("/missing");
		}
		assertThat(response.status()).isEqualTo(404);
		assertThat(LogLines.of(log)).singleElement()
			.asString()
			.endsWith("\"GET /missing HTTP/1.1\" 404 " + response.body().length);
	}

	@Test
	void jsonLineIsOneObjectWithEveryField() throws Exception {
		Path log = this.temp.resolve("access.json");
		Instant before = Instant.now().minusSeconds(1);
		try (KernelFixture kernel = LogLines
			.kernel(this.temp, this.transport, new LoggerPlugin(LogLines.fast()),
					Map.of("access-log", log.toString(), "format", "json"))
			.start(); RawHttp client = kernel.connect()) {
			client.exchange("GET /a.txt?q=\"x\" HTTP/1.1\r\nHost: localhost\r\nUser-Agent: probe \"quoted\"\r\n\r\n");
		}
		Instant after = Instant.now().plusSeconds(1);
		List<String> lines = LogLines.of(log);
		assertThat(lines).hasSize(1);
		JsonNode json = JsonMapper.builder().build().readTree(lines.get(0));
		assertThat(json.propertyNames()).containsExactly("time", "client", "method", "target", "protocol", "status",
				"bytes", "referer", "user-agent", "duration", "site", "worker", "upstream");
		assertThat(OffsetDateTime.parse(json.get("time").asString()).toInstant()).isBetween(before, after);
		assertThat(json.get("time").asString())
			.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d\\d:\\d\\d");
		assertThat(json.get("client").asString()).isEqualTo("127.0.0.1");
		assertThat(json.get("method").asString()).isEqualTo("GET");
		assertThat(json.get("target").asString()).isEqualTo("/a.txt?q=\"x\"");
		assertThat(json.get("protocol").asString()).isEqualTo("HTTP/1.1");
		assertThat(json.get("status").asInt()).isEqualTo(200);
		assertThat(json.get("bytes").asLong()).isEqualTo(6);
		assertThat(json.get("referer").isNull()).isTrue();
		assertThat(json.get("user-agent").asString()).isEqualTo("probe \"quoted\"");
		assertThat(json.get("duration").isNumber()).isTrue();
		assertThat(json.get("duration").asDouble()).isBetween(0.0, 5.0);
		assertThat(json.get("site").asString()).isEqualTo("default");
		assertThat(json.get("worker").asString()).isNotBlank();
		assertThat(json.get("upstream").isNull()).isTrue();
	}

	@Test
	void patternLineWritesTheNamedFieldsInOrder() throws Exception {
		Path log = this.temp.resolve("access.log");
		try (KernelFixture kernel = LogLines
			.kernel(this.temp, this.transport, new LoggerPlugin(LogLines.fast()), Map.of("access-log", log.toString(),
					"format", "pattern:%{client} %{method} %{target} %{status} %{duration}"))
			.start()) {
			kernel.get("/a.txt");
		}
		List<String> lines = LogLines.of(log);
		assertThat(lines).hasSize(1);
		String[] fields = lines.get(0).split(" ");
		assertThat(fields).hasSize(5);
		assertThat(fields[0]).isEqualTo("127.0.0.1");
		assertThat(fields[1]).isEqualTo("GET");
		assertThat(fields[2]).isEqualTo("/a.txt");
		assertThat(fields[3]).isEqualTo("200");
		assertThat(fields[4]).matches("\\d+\\.\\d{6}");
		assertThat(Double.parseDouble(fields[4])).isBetween(0.0, 5.0);
	}

	@Test
	void patternFieldsCoverProtocolBytesSiteWorkerAndLiteralPercent() throws Exception {
		Path log = this.temp.resolve("access.log");
		List<String> workers;
		try (KernelFixture kernel = LogLines
			.kernel(this.temp, this.transport, new LoggerPlugin(LogLines.fast()),
					Map.of("access-log", log.toString(), "format",
							"pattern:%{protocol}\t%{bytes}\t%{site}\t%{worker}\t%{referer}\t%{user-agent}\t100%%"))
			.start()) {
			kernel.get("/a.txt");
			workers = kernel.server().workers().stream().map(Worker::name).toList();
		}
		List<String> lines = LogLines.of(log);
		assertThat(lines).hasSize(1);
		String[] fields = lines.get(0).split("\t");
		assertThat(fields).hasSize(7);
		assertThat(fields[0]).isEqualTo("HTTP/1.1");
		assertThat(fields[1]).isEqualTo("6");
		assertThat(fields[2]).isEqualTo("default");
		assertThat(workers).contains(fields[3]);
		assertThat(fields[4]).isEqualTo("-");
		assertThat(fields[5]).isEqualTo("-");
		assertThat(fields[6]).isEqualTo("100%");
	}

	@Test
	void upstreamIsTheExchangeAttributeAndDashWithoutIt() throws Exception {
		Path log = this.temp.resolve("access.log");
		LogLines.RequestPlugin proxy = new LogLines.RequestPlugin("proxy") {
			@Override
			public Mono<RequestResult> onRequest(Exchange exchange) {
				if (exchange.path().equals("/a.txt")) {
					exchange.attribute(Exchange.UPSTREAM, "10.0.0.7:8080");
				}
				return CONTINUE;
			}
		};
		try (KernelFixture kernel = LogLines
			.kernel(this.temp, this.transport, new LoggerPlugin(LogLines.fast()),
					Map.of("access-log", log.toString(), "format", "pattern:%{target} %{upstream}"))
			.plugin(proxy)
			.start()) {
			kernel.get("/a.txt");
			kernel.get("/missing");
		}
		assertThat(LogLines.of(log)).containsExactly("/a.txt 10.0.0.7:8080", "/missing -");
	}

	@Test
	void clientIsTheAddressAProxyAwarePluginSet() throws Exception {
		Path log = this.temp.resolve("access.log");
		LogLines.RequestPlugin forwarded = new LogLines.RequestPlugin("forwarded") {
			@Override
			public Mono<RequestResult> onRequest(Exchange exchange) {
				exchange.clientAddress(new InetSocketAddress("203.0.113.9", 4711));
				return CONTINUE;
			}
		};
		try (KernelFixture kernel = LogLines
			.kernel(this.temp, this.transport, new LoggerPlugin(LogLines.fast()),
					Map.of("access-log", log.toString(), "format", "pattern:%{client}"))
			.plugin(forwarded)
			.start()) {
			kernel.get("/a.txt");
		}
		assertThat(LogLines.of(log)).containsExactly("203.0.113.9");
	}

}
