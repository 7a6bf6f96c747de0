package dev.capuchin.app.monkey;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.capuchin.app.shared.config.InvalidConfigurationException;
import dev.capuchin.app.sites.SiteEntry;
import dev.capuchin.core.spi.Location;
import dev.capuchin.plugin.proxy.BalancerKind;
import dev.capuchin.plugin.proxy.Upstream;
import dev.capuchin.plugin.proxy.UpstreamServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Monkey's {@code plugins/proxy_reverse/proxy_reverse.conf} imported as upstreams and
 * regex locations, in Monkey's own format ({@code [PROXY_DEFAULTS]} and
 * {@code [PROXY_ENTRY]} as its {@code config.c} reads them).
 */
class MonkeyProxyImportTests {

	private static final String CONF = """
			# Proxy-Reverse configuration
			[PROXY_DEFAULTS]
			    ServerList     127.0.0.1:8080 backend.test:80
			    LoadBalancer   First-Alive
			    AttemptsCount  3
			    OfflineTimeOut 30
			    StatisticsURL  /proxy-status

			[PROXY_ENTRY]
			    ServerList   127.0.0.1:9001 127.0.0.1:9002
			    LoadBalancer RoundRobin
			    Match /*.jpg /*.png
			    Match \\.css$

			[PROXY_ENTRY]
			    LoadBalancer LeastConnections
			    Match ^/api/
			    Colour blue
			""";

	@TempDir
	Path temp;

	private MonkeyFixture monkey;

	@BeforeEach
	void installMonkey() throws Exception {
		this.monkey = MonkeyFixture.install(this.temp, "2001");
		write(CONF);
	}

	@Test
	void everyEntryBecomesAnUpstreamWithTheDefaultsItDoesNotSet() {
		MonkeyImport imported = MonkeyImport.read(this.monkey.directory());
		assertThat(imported.upstreams()).extracting(Upstream::name)
			.containsExactly("proxy-reverse-1", "proxy-reverse-2");
		Upstream images = imported.upstreams().get(0);
		assertThat(images.balancer()).isEqualTo(BalancerKind.ROUND_ROBIN);
		assertThat(images.servers()).extracting((server) -> server.url().toString())
			.containsExactly("http://127.0.0.1:9001", "http://127.0.0.1:9002");
		assertThat(images.maxFails()).isEqualTo(3);
		assertThat(images.failTimeout()).hasSeconds(30);
		Upstream api = imported.upstreams().get(1);
		assertThat(api.balancer()).isEqualTo(BalancerKind.LEAST_CONNECTIONS);
		assertThat(api.servers()).extracting((server) -> server.url().toString())
			.containsExactly("http://127.0.0.1:8080", "http://backend.test:80");
	}

	@Test
	void everyImportedSiteGetsARegexLocationPerEntryAfterItsOwn() {
		MonkeyImport imported = MonkeyImport.read(this.monkey.directory());
		for (SiteEntry entry : imported.sites()) {
			List<Location> locations = entry.site().locations();
			List<Location> proxied = locations.subList(locations.size() - 2, locations.size());
			assertThat(proxied).extracting((location) -> location.setting("proxy"))
				.containsExactly(Map.of("upstream", "proxy-reverse-1"), Map.of("upstream", "proxy-reverse-2"));
		}
		Location images = imported.sites().get(0).site().locations().get(0);
		assertThat(images.matches("/photos/CAT.JPG")).isTrue();
		assertThat(images.matches("/logo.png")).isTrue();
		assertThat(images.matches("/site.css")).isTrue();
		assertThat(images.matches("/index.html")).isFalse();
		Location staff = imported.sites().get(2).site().locations().get(0);
		assertThat(staff.setting("auth")).isNotNull();
		assertThat(imported.protectsLocations()).isTrue();
	}

	@Test
	void everyKeyIsReportedMappedOrNot() {
		List<String> report = MonkeyImport.read(this.monkey.directory())
			.report()
			.stream()
			.map(ReportLine::text)
			.filter((line) -> line.startsWith(MonkeyProxyMapper.FILE))
			.toList();
		String file = MonkeyProxyMapper.FILE;
		assertThat(report).contains(
				file + ":3 [PROXY_DEFAULTS] ServerList: mapped to servers of every entry: http://127.0.0.1:8080, "
						+ "http://backend.test:80",
				file + ":4 [PROXY_DEFAULTS] LoadBalancer: mapped to balancer of every entry: first-alive",
				file + ":5 [PROXY_DEFAULTS] AttemptsCount: mapped to max-fails of every entry: 3 failures within "
						+ "fail-timeout",
				file + ":6 [PROXY_DEFAULTS] OfflineTimeOut: mapped to fail-timeout of every entry: 30s",
				file + ":7 [PROXY_DEFAULTS] StatisticsURL: not mapped (the console's Proxy page, GET /api/upstreams "
						+ "and /actuator/capuchin show each server's state)",
				file + ":11 [PROXY_ENTRY] LoadBalancer: mapped to balancer of this entry's upstream: round-robin",
				file + ":18 [PROXY_ENTRY] Colour: not mapped (not a proxy_reverse key)");
		assertThat(report).hasSize(12);
	}

	@ParameterizedTest
	@CsvSource({ "Naive, naive", "first-alive, first-alive", "FirstAlive, first-alive", "RoundRobin, round-robin",
			"LockingRoundRobin, locking-round-robin", "LeastConnections, least-connections",
			"SourceHash, source-hash" })
	void monkeysBalancerNamesMapToOurs(String monkey, String ours) {
		assertThat(MonkeyProxyMapper.balancer(monkey).key()).isEqualTo(ours);
	}

	@Test
	void anUnknownBalancerIsRoundRobinAsInMonkeyAndSaysSo() throws Exception {
		write("[PROXY_ENTRY]\n    ServerList 127.0.0.1:9001\n    LoadBalancer Fastest\n    Match /\n");
		MonkeyImport imported = MonkeyImport.read(this.monkey.directory());
		assertThat(imported.upstreams().get(0).balancer()).isEqualTo(BalancerKind.ROUND_ROBIN);
		assertThat(imported.report()).extracting(ReportLine::text)
			.contains(MonkeyProxyMapper.FILE + ":3 [PROXY_ENTRY] LoadBalancer: mapped to balancer of this entry's "
					+ "upstream: round-robin ('Fastest' is no balancer Monkey knows; it used round robin too)");
	}

	@Test
	void malformedEntriesAreRefusedWithTheirLine() throws Exception {
		write("[PROXY_ENTRY]\n    ServerList 127.0.0.1\n    Match /\n");
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> MonkeyImport.read(this.monkey.directory()))
			.withMessage(MonkeyProxyMapper.FILE + ":2: ServerList: '127.0.0.1' (expected: host:port, separated by "
					+ "spaces)");
		write("[PROXY_ENTRY]\n    ServerList 127.0.0.1:9001\n");
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> MonkeyImport.read(this.monkey.directory()))
			.withMessage(MonkeyProxyMapper.FILE + ":1 [PROXY_ENTRY]: no Match (expected: at least one expression)");
		write("[PROXY_ENTRY]\n    Match /\n");
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> MonkeyImport.read(this.monkey.directory()))
			.withMessage(MonkeyProxyMapper.FILE + ":1 [PROXY_ENTRY]: no ServerList, here or in [PROXY_DEFAULTS]");
	}

	@Test
	void importedUpstreamsReplaceStoredOnesOfTheSameNameAndJoinTheOthers() {
		Upstream kept = Upstream.of("kept", BalancerKind.NAIVE, List.of(UpstreamServer.of("http://127.0.0.1:1")));
		Upstream replaced = Upstream.of("proxy-reverse-1", BalancerKind.NAIVE,
				List.of(UpstreamServer.of("http://127.0.0.1:2")));
		List<Upstream> merged = MonkeyImport.read(this.monkey.directory()).mergeUpstreams(List.of(replaced, kept));
		assertThat(merged).extracting(Upstream::name).containsExactly("proxy-reverse-1", "kept", "proxy-reverse-2");
		assertThat(merged.get(0).balancer()).isEqualTo(BalancerKind.ROUND_ROBIN);
	}

	@Test
	void withoutTheFileNothingIsProxiedAndSitesKeepTheirLocations() throws Exception {
		Files.delete(this.monkey.directory().resolve(MonkeyProxyMapper.FILE));
		MonkeyImport imported = MonkeyImport.read(this.monkey.directory());
		assertThat(imported.upstreams()).isEmpty();
		assertThat(imported.sites().get(0).site().locations()).isEmpty();
	}

	@Test
	void monkeysMatchesBecomeOneCaseInsensitiveExpression() {
		assertThat(MonkeyProxyMapper.expression(List.of("/*.jpg /*.png"))).isEqualTo("(?i)/*.jpg|/*.png");
		assertThat(MonkeyProxyMapper.expression(List.of("a b", "c"))).isEqualTo("(?i)(?:a|b)|(?:c)");
		assertThat(Pattern.compile(MonkeyProxyMapper.expression(List.of("^/API/"))).matcher("/api/x").find()).isTrue();
	}

	private void write(String conf) throws Exception {
		Path file = this.monkey.directory().resolve(MonkeyProxyMapper.FILE);
		Files.createDirectories(file.getParent());
		Files.writeString(file, conf);
	}

}
