package dev.capuchin.plugin.proxy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.capuchin.core.internal.site.SiteLoader;
import dev.capuchin.core.spi.SiteTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * What {@link ProxyPlugin#prepare(SiteTable)} accepts and refuses, and the state it
 * reports.
 */
class ProxyPluginTests {

	@TempDir
	Path temp;

	private SiteTable table(Map<String, Object> proxy) {
		Map<String, Object> keys = new LinkedHashMap<>();
		keys.put("name", "shop");
		keys.put("server-names", List.of("localhost"));
		keys.put("default", true);
		keys.put("document-root", this.temp.toString());
		keys.put("locations",
				List.of(Map.of("path", "/", "dirlisting", true), Map.of("path", "/app/", "proxy", proxy)));
		return SiteTable.of(List.of(new SiteLoader(this.temp).parse(keys, "shop")));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			balancer | fastest | site shop: locations[1].proxy.balancer: 'fastest' (expected: one of naive, first-alive
			colour   | red     | site shop: locations[1].proxy.colour: unknown key
			upstream | api     | site shop: locations[1].proxy.upstream: no upstream 'api' is defined
			""")
	void badBlockIsRefusedNamingSiteAndField(String key, String value, String message) {
		Map<String, Object> proxy = new LinkedHashMap<>();
		if (!key.equals("upstream")) {
			proxy.put("servers", List.of("http://127.0.0.1:9001"));
		}
		proxy.put(key, value);
		ProxyPlugin plugin = new ProxyPlugin(ProxySettings.DEFAULTS);
		assertThatIllegalArgumentException().isThrownBy(() -> plugin.prepare(table(proxy)))
			.withMessageStartingWith(message);
	}

	@Test
	void cacheBlockNamingAnUnknownZoneIsRefused() {
		ProxyPlugin plugin = new ProxyPlugin(
				ProxySettings.DEFAULTS.withCacheZones(CacheZoneSettings.inMemory("main", 1024 * 1024)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> plugin
				.prepare(table(Map.of("servers", List.of("http://127.0.0.1:9001"), "cache", Map.of("zone", "other")))))
			.withMessage("site shop: locations[1].proxy.cache.zone: 'other' (expected: one of main)");
	}

	@Test
	void cacheBlockWithAnUnknownKeyIsRefused() {
		ProxyPlugin plugin = new ProxyPlugin(
				ProxySettings.DEFAULTS.withCacheZones(CacheZoneSettings.inMemory("main", 1024 * 1024)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> plugin.prepare(table(
					Map.of("servers", List.of("http://127.0.0.1:9001"), "cache", Map.of("zone", "main", "ttl", "1h")))))
			.withMessageStartingWith("site shop: locations[1].proxy.cache.ttl: unknown key");
	}

	@Test
	void upstreamKeysBesideANamedUpstreamAreRefused() {
		ProxyPlugin plugin = new ProxyPlugin(ProxySettings.DEFAULTS);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> plugin.prepare(table(Map.of("upstream", "api", "balancer", "naive"))))
			.withMessageStartingWith("site shop: locations[1].proxy.balancer: not allowed beside upstream");
	}

	@Test
	void resolvedNamedUpstreamIsReportedUnderItsName() {
		Upstream api = Upstream.of("api", BalancerKind.LEAST_CONNECTIONS,
				List.of(UpstreamServer.of("http://127.0.0.1:9001"),
						new UpstreamServer(java.net.URI.create("http://127.0.0.1:9002"), 1, false, true)));
		Map<String, Object> block = new LinkedHashMap<>(Map.of("upstream", "api"));
		block.put(Upstreams.DEFINITION, Upstreams.write(api));
		ProxyPlugin plugin = new ProxyPlugin(ProxySettings.DEFAULTS);
		plugin.prepare(table(block));
		assertThat(plugin.status()).isEqualTo(plugin.upstreams());
		UpstreamState state = plugin.upstreams().get(0);
		assertThat(state.name()).isEqualTo("api");
		assertThat(state.balancer()).isEqualTo("least-connections");
		assertThat(state.servers()).extracting(UpstreamState.ServerState::state)
			.containsExactly(ServerCondition.UP, ServerCondition.DRAINING);
	}

	@Test
	void inlineServersAreReportedUnderTheLocationsName() {
		ProxyPlugin plugin = new ProxyPlugin(ProxySettings.DEFAULTS);
		plugin.prepare(table(Map.of("servers", List.of("http://127.0.0.1:9001"))));
		assertThat(plugin.upstreams()).extracting(UpstreamState::name).containsExactly("shop path /app/");
	}

	@Test
	void proxyRunsBeforeDirectoryListings() {
		assertThat(new ProxyPlugin(ProxySettings.DEFAULTS).order()).isLessThan(1000);
	}

}
