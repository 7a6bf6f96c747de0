package dev.capuchin.plugin.proxy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.capuchin.core.spi.Location;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class UpstreamsTests {

	private static final Map<String, Object> CONTRACT = Map.of("name", "api", "balancer", "least-connections",
			"servers",
			List.of(Map.of("url", "http://127.0.0.1:9001", "weight", 1),
					Map.of("url", "http://127.0.0.1:9003", "backup", true)),
			"max-fails", 2, "fail-timeout", "10s", "health", Map.of("path", "/health", "interval", "5s"));

	@Test
	void contractExampleParses() {
		Upstream upstream = Upstreams.parse("upstreams[api]", CONTRACT);
		assertThat(upstream.name()).isEqualTo("api");
		assertThat(upstream.balancer()).isEqualTo(BalancerKind.LEAST_CONNECTIONS);
		assertThat(upstream.servers()).extracting((server) -> server.url().toString())
			.containsExactly("http://127.0.0.1:9001", "http://127.0.0.1:9003");
		assertThat(upstream.servers().get(1).backup()).isTrue();
		assertThat(upstream.maxFails()).isEqualTo(2);
		assertThat(upstream.failTimeout()).isEqualTo(Duration.ofSeconds(10));
		assertThat(upstream.health()).isEqualTo(HealthCheck.of("/health"));
	}

	@Test
	void writeOmitsDefaultsAndReadsBackEqual() {
		Upstream upstream = Upstreams.parse("upstreams[api]", CONTRACT);
		Map<String, Object> written = Upstreams.write(upstream);
		assertThat(written).containsExactly(Map.entry("name", "api"), Map.entry("balancer", "least-connections"),
				Map.entry("servers",
						List.of("http://127.0.0.1:9001", Map.of("url", "http://127.0.0.1:9003", "backup", true))),
				Map.entry("max-fails", 2), Map.entry("health", Map.of("path", "/health")));
		assertThat(Upstreams.parse("upstreams[api]", written)).isEqualTo(upstream);
	}

	@Test
	void everyKeyRoundTrips() {
		Map<String, Object> block = new LinkedHashMap<>();
		block.put("name", "shop");
		block.put("balancer", "consistent-hash");
		block.put("servers",
				List.of(Map.of("url", "https://a.example:8443", "weight", 3, "drain", true), "http://[::1]:9000"));
		block.put("max-fails", 0);
		block.put("fail-timeout", "1m");
		block.put("health", Map.of("path", "/ping", "interval", "500ms", "timeout", "200ms", "expect", "204", "rise", 1,
				"fall", 5));
		block.put("hash", "cookie:session");
		block.put("retries", 0);
		block.put("retry-timeout", "3s");
		block.put("timeouts",
				Map.of("connect", "1s", "first-byte", "2s", "idle", "3s", "total", "4m", "upgrade-idle", "1h"));
		block.put("tls", Map.of("verify", false, "ca-file", "/etc/ca.pem", "server-name", "a.internal"));
		Upstream upstream = Upstreams.parse("upstreams[shop]", block);
		assertThat(Upstreams.write(upstream)).isEqualTo(block);
		assertThat(Upstreams.parse("upstreams[shop]", Upstreams.write(upstream))).isEqualTo(upstream);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			balancer | fastest  | upstreams[api].balancer: 'fastest' (expected: one of naive, first-alive
			max-fails | -1      | upstreams[api].max-fails: -1 (expected: 0..1000)
			fail-timeout | soon | upstreams[api].fail-timeout: 'soon' (expected: a duration
			retries | many      | upstreams[api].retries: 'many' (expected: a whole number)
			hash | header:X-User | upstreams[api].hash: set, but balancer is round-robin
			colour | red        | upstreams[api].colour: unknown key
			""")
	void badValueNamesItsField(String key, String value, String message) {
		Map<String, Object> block = new LinkedHashMap<>(Map.of("name", "api", "servers", List.of("http://a:1")));
		block.put(key, value.equals("-1") ? -1 : value);
		assertThatIllegalArgumentException().isThrownBy(() -> Upstreams.parse("upstreams[api]", block))
			.withMessageStartingWith(message);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			ftp://a:1          | upstreams[api].servers[1].url: 'ftp://a:1' (expected: an http:// or https:// URL)
			http://a:1/path    | upstreams[api].servers[1].url: 'http://a:1/path' (expected: scheme, host and port only
			http://a:1         | upstreams[api].servers[1].url: 'http://a:1' is listed twice
			http://a b         | upstreams[api].servers[1].url: 'http://a b' is not a URL
			""")
	void badServerUrlNamesItsPosition(String url, String message) {
		Map<String, Object> block = Map.of("name", "api", "servers", List.of("http://a:1", url));
		assertThatIllegalArgumentException().isThrownBy(() -> Upstreams.parse("upstreams[api]", block))
			.withMessageStartingWith(message);
	}

	@Test
	void weightOutOfRangeNamesTheServer() {
		Map<String, Object> block = Map.of("name", "api", "servers", List.of(Map.of("url", "http://a:1", "weight", 0)));
		assertThatIllegalArgumentException().isThrownBy(() -> Upstreams.parse("upstreams[api]", block))
			.withMessageStartingWith("upstreams[api].servers[0].weight: 0 (expected: 1..1000)");
	}

	@Test
	void missingServersIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> Upstreams.parse("upstreams[api]", Map.of("name", "api")))
			.withMessageStartingWith("upstreams[api].servers: missing");
	}

	@Test
	void missingNameIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Upstreams.parse("upstreams[0]", Map.of("servers", List.of("http://a:1"))))
			.withMessageStartingWith("upstreams[0].name: missing");
	}

	@Test
	void upstreamOfReadsTheReference() {
		Location named = new Location("/app/", null, Map.of("proxy", Map.of("upstream", "api")));
		Location inline = new Location("/app/", null, Map.of("proxy", Map.of("servers", List.of("http://a:1"))));
		Location none = new Location("/", null, Map.of());
		assertThat(Upstreams.upstreamOf(named)).isEqualTo("api");
		assertThat(Upstreams.upstreamOf(inline)).isNull();
		assertThat(Upstreams.upstreamOf(none)).isNull();
	}

	@Test
	@SuppressWarnings("unchecked")
	void resolveWritesTheDefinitionIntoTheBlock() {
		Location named = new Location("/app/", null,
				Map.of("proxy", Map.of("upstream", "api", "strip-prefix", true), "auth", Map.of("realm", "x")));
		Upstream api = Upstreams.parse("upstreams[api]", CONTRACT);
		Location resolved = Upstreams.resolve(named, Map.of("api", api));
		assertThat(resolved.path()).isEqualTo("/app/");
		assertThat(resolved.setting("auth")).isEqualTo(Map.of("realm", "x"));
		assertThat((Map<Object, Object>) resolved.setting("proxy")).containsEntry("upstream", "api")
			.containsEntry("strip-prefix", true)
			.containsEntry(Upstreams.DEFINITION, Upstreams.write(api));
	}

	@Test
	void resolveLeavesOtherLocationsAlone() {
		Location inline = new Location("/app/", null, Map.of("proxy", Map.of("servers", List.of("http://a:1"))));
		Location unknown = new Location("/app/", null, Map.of("proxy", Map.of("upstream", "gone")));
		assertThat(Upstreams.resolve(inline, Map.of())).isSameAs(inline);
		assertThat(Upstreams.resolve(unknown, Map.of())).isSameAs(unknown);
	}

	@Test
	void drainIsAStoredSettingOfTheServer() {
		Upstream api = Upstreams.parse("upstreams[api]", CONTRACT).withDrain("http://127.0.0.1:9001", true);
		assertThat(api.servers().get(0).drain()).isTrue();
		assertThat(Upstreams.write(api).get("servers"))
			.isEqualTo(List.of(Map.of("url", "http://127.0.0.1:9001", "drain", true),
					Map.of("url", "http://127.0.0.1:9003", "backup", true)));
	}

	@Test
	void balancerKindsHaveTheContractNames() {
		assertThat(BalancerKind.keys()).isEqualTo("naive, first-alive, round-robin, locking-round-robin, "
				+ "least-connections, source-hash, weighted-round-robin, random-two-choices, consistent-hash");
		for (BalancerKind kind : BalancerKind.values()) {
			assertThat(BalancerKind.fromKey(kind.key())).isSameAs(kind);
		}
	}

	@Test
	void durationsReadAndWriteInTheirLargestUnit() {
		assertThat(Upstreams.duration("f", "1500ms", Duration.ZERO)).isEqualTo(Duration.ofMillis(1500));
		assertThat(Upstreams.duration("f", 7, Duration.ZERO)).isEqualTo(Duration.ofSeconds(7));
		assertThat(Upstreams.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
		assertThat(Upstreams.format(Duration.ofMinutes(120))).isEqualTo("2h");
	}

	@Test
	void serverConditionsSerialiseInLowerCase() {
		assertThat(ServerCondition.UP.key()).isEqualTo("up");
		assertThat(ServerCondition.DOWN.key()).isEqualTo("down");
		assertThat(ServerCondition.DRAINING.key()).isEqualTo("draining");
	}

}
