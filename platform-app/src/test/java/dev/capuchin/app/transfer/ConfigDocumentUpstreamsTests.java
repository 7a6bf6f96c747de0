package dev.capuchin.app.transfer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.capuchin.app.shared.config.InvalidConfigurationException;
import dev.capuchin.app.sites.SiteEntry;
import dev.capuchin.app.upstreams.UpstreamDocument;
import dev.capuchin.plugin.proxy.Upstream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The {@code upstreams:} list of configuration documents and of their differences.
 */
class ConfigDocumentUpstreamsTests {

	private static final String CONTRACT = """
			sites:
			  - name: shop
			    document-root: %s
			    locations:
			      - path: /app/
			        proxy: {upstream: api}
			upstreams:
			  - name: api
			    balancer: least-connections
			    servers: [{url: http://127.0.0.1:9001, weight: 1}, {url: http://127.0.0.1:9003, backup: true}]
			    max-fails: 2
			    fail-timeout: 10s
			    health: {path: /health, interval: 5s}
			""";

	@TempDir
	Path temp;

	private Path root;

	@BeforeEach
	void root() throws Exception {
		this.root = Files.createDirectories(this.temp.resolve("root"));
	}

	@Test
	void theContractsUpstreamsSectionIsReadAndRoundTrips() {
		ConfigDocument.Document read = ConfigDocument.readDocument(CONTRACT.formatted(this.root), this.temp);
		assertThat(read.upstreams()).hasSize(1);
		Upstream api = read.upstreams().get(0);
		assertThat(api.name()).isEqualTo("api");
		assertThat(api.balancer().key()).isEqualTo("least-connections");
		assertThat(api.servers()).extracting((server) -> server.url().toString())
			.containsExactly("http://127.0.0.1:9001", "http://127.0.0.1:9003");
		assertThat(api.servers().get(1).backup()).isTrue();
		assertThat(api.maxFails()).isEqualTo(2);
		assertThat(api.health().path()).isEqualTo("/health");

		String text = ConfigDocument.write(read.sites(), List.of(), read.upstreams(), 3);
		assertThat(text).contains("upstreams:", "name: api", "balancer: least-connections");
		ConfigDocument.Document again = ConfigDocument.readDocument(text, this.temp);
		assertThat(again.upstreams()).isEqualTo(read.upstreams());
		assertThat(ConfigDiff
			.between(read.sites(), List.of(), read.upstreams(), again.sites(), List.of(), again.upstreams())
			.isEmpty()).isTrue();
	}

	@Test
	void aDocumentWithoutUpstreamsLeavesThemAndAnEmptyListRemovesThem() {
		String sitesOnly = "sites:\n  - name: shop\n    document-root: " + this.root + "\n";
		assertThat(ConfigDocument.readDocument(sitesOnly, this.temp).upstreams()).isNull();
		assertThat(ConfigDocument.readDocument(sitesOnly + "upstreams: []\n", this.temp).upstreams()).isEmpty();
	}

	@Test
	void aBadEntryIsRefusedNamingTheEntryAndField() {
		String bad = "sites: []\nupstreams:\n  - name: api\n    servers: [{url: ftp://x:1}]\n";
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> ConfigDocument.readDocument(bad, this.temp))
			.withMessageStartingWith("upstreams[0].servers[0].url: ");
		String twice = "sites: []\nupstreams:\n  - {name: api, servers: [{url: http://127.0.0.1:1}]}\n"
				+ "  - {name: api, servers: [{url: http://127.0.0.1:2}]}\n";
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> ConfigDocument.readDocument(twice, this.temp))
			.withMessage("upstreams[1].name: 'api' is listed twice");
		String spaced = "sites: []\nupstreams:\n  - {name: a b, servers: [{url: http://127.0.0.1:1}]}\n";
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> ConfigDocument.readDocument(spaced, this.temp))
			.withMessageStartingWith("upstreams[0].name: 'a b' (expected: 1 to 64 letters");
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> ConfigDocument.readDocument("sites: []\nupstreams: {api: 1}\n", this.temp))
			.withMessage("upstreams: expected a list of upstreams");
	}

	@Test
	void theDifferenceNamesAddedChangedAndRemovedUpstreams() {
		Upstream gone = upstream("gone", "http://127.0.0.1:9001");
		Upstream kept = upstream("kept", "http://127.0.0.1:9002");
		Upstream changed = upstream("changed", "http://127.0.0.1:9003");
		Upstream added = upstream("added", "http://127.0.0.1:9004");
		List<SiteEntry> sites = List.of();
		ConfigDiff diff = ConfigDiff.between(sites, List.of(), List.of(gone, kept, changed), sites, List.of(),
				List.of(kept, changed.withDrain("http://127.0.0.1:9003", true), added));
		assertThat(diff.upstreams()).extracting(ConfigDiff.UpstreamChange::upstream)
			.containsExactly("changed", "added", "gone");
		assertThat(diff.upstreams()).extracting(ConfigDiff.UpstreamChange::kind)
			.containsExactly(ConfigDiff.Kind.CHANGED, ConfigDiff.Kind.ADDED, ConfigDiff.Kind.REMOVED);
		assertThat(diff.upstreams().get(0).after()).contains("drain: true");
		assertThat(diff.upstreams().get(0).before()).doesNotContain("drain");
		assertThat(diff.toYaml(4, false)).contains("upstream: changed", "upstream: added", "upstream: gone");
		assertThat(diff.isEmpty()).isFalse();
	}

	@Test
	void aLocationKeepsOnlyTheReferenceToItsUpstream() {
		ConfigDocument.Document read = ConfigDocument.readDocument(CONTRACT.formatted(this.root), this.temp);
		SiteEntry shop = read.sites().get(0);
		assertThat(shop.site().locations().get(0).setting("proxy")).isEqualTo(Map.of("upstream", "api"));
	}

	private static Upstream upstream(String name, String url) {
		return UpstreamDocument.parse("upstreams[" + name + "]",
				Map.of("name", name, "servers", List.of(Map.of("url", url))));
	}

}
