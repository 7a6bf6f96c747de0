package dev.capuchin.core.spi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Unit tests for {@link SiteTable}: name-based and IP-based site resolution, and the
 * configurations it refuses.
 */
class SiteTableTests {

	private static final InetSocketAddress LISTENER = new InetSocketAddress("0.0.0.0", 8080);

	private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 8080);

	private static final InetSocketAddress SECOND_LOOPBACK = new InetSocketAddress("127.0.0.2", 8080);

	@TempDir
	Path root;

	@Test
	void exactNameChoosesItsSite() {
		SiteTable table = SiteTable.of(List.of(site("a", "a.test"), site("b", "b.test")));
		assertThat(resolve(table, "b.test").name()).isEqualTo("b");
	}

	@Test
	void hostMatchingIsCaseInsensitive() {
		SiteTable table = SiteTable.of(List.of(site("a", "a.test"), site("b", "b.test")));
		assertThat(resolve(table, "B.Test").name()).isEqualTo("b");
	}

	@Test
	void hostWithPortMatchesTheName() {
		SiteTable table = SiteTable.of(List.of(site("a", "a.test"), site("b", "b.test")));
		assertThat(resolve(table, "b.test:8080").name()).isEqualTo("b");
	}

	@Test
	void hostWithTrailingDotMatchesTheName() {
		SiteTable table = SiteTable.of(List.of(site("a", "a.test"), site("b", "b.test")));
		assertThat(resolve(table, "b.test.").name()).isEqualTo("b");
	}

	@Test
	void hostWithTrailingDotAndPortMatchesTheName() {
		SiteTable table = SiteTable.of(List.of(site("a", "a.test"), site("b", "b.test")));
		assertThat(resolve(table, "b.test.:8080").name()).isEqualTo("b");
	}

	@Test
	void ipv6LiteralHostWithPortMatchesTheBracketedName() {
		SiteTable table = SiteTable.of(List.of(site("a", "a.test"), site("v6", "[::1]")));
		assertThat(resolve(table, "[::1]:2001").name()).isEqualTo("v6");
	}

	@Test
	void ipv6LiteralHostWithoutPortMatchesTheBracketedName() {
		SiteTable table = SiteTable.of(List.of(site("a", "a.test"), site("v6", "[::1]")));
		assertThat(resolve(table, "[::1]").name()).isEqualTo("v6");
	}

	@Test
	void wildcardMatchesASubdomain() {
		SiteTable table = SiteTable.of(List.of(site("a", "a.test"), site("wild", "*.example.com")));
		assertThat(resolve(table, "a.example.com").name()).isEqualTo("wild");
	}

	@Test
	void wildcardMatchesANestedSubdomain() {
		SiteTable table = SiteTable.of(List.of(site("a", "a.test"), site("wild", "*.example.com")));
		assertThat(resolve(table, "b.a.example.com").name()).isEqualTo("wild");
	}

	@Test
	void wildcardDoesNotMatchTheBareDomain() {
		SiteTable table = SiteTable.of(List.of(site("a", "a.test"), site("wild", "*.example.com")));
		assertThat(resolve(table, "example.com").name()).isEqualTo("a");
	}

	@Test
	void wildcardDoesNotMatchADomainThatOnlyEndsTheSame() {
		SiteTable table = SiteTable.of(List.of(site("a", "a.test"), site("wild", "*.example.com")));
		assertThat(resolve(table, "badexample.com").name()).isEqualTo("a");
	}

	@Test
	void longestWildcardWins() {
		SiteTable table = SiteTable
			.of(List.of(site("a", "a.test"), site("short", "*.example.com"), site("long", "*.a.example.com")));
		assertThat(resolve(table, "x.a.example.com").name()).isEqualTo("long");
		assertThat(resolve(table, "x.b.example.com").name()).isEqualTo("short");
	}

	@Test
	void exactNameWinsOverWildcard() {
		SiteTable table = SiteTable.of(List.of(site("wild", "*.example.com"), site("exact", "www.example.com")));
		assertThat(resolve(table, "www.example.com").name()).isEqualTo("exact");
	}

	@Test
	void unknownHostGoesToTheDefaultSite() {
		SiteTable table = SiteTable.of(List.of(site("a", "a.test"), defaultSite("fallback", "f.test")));
		assertThat(resolve(table, "unknown.test").name()).isEqualTo("fallback");
	}

	@Test
	void missingHostGoesToTheDefaultSite() {
		SiteTable table = SiteTable.of(List.of(site("a", "a.test"), defaultSite("fallback", "f.test")));
		assertThat(resolve(table, null).name()).isEqualTo("fallback");
	}

	@Test
	void withoutADefaultSiteUnknownHostGoesToTheFirstSite() {
		SiteTable table = SiteTable.of(List.of(site("first", "a.test"), site("second", "b.test")));
		assertThat(resolve(table, "unknown.test").name()).isEqualTo("first");
	}

	@Test
	void ipBasedSiteAnswersOnItsAddress() {
		SiteTable table = SiteTable.of(List.of(defaultSite("main", "main.test"), boundSite("ip", SECOND_LOOPBACK)));
		assertThat(table.resolve("anything.test", SECOND_LOOPBACK, LISTENER).name()).isEqualTo("ip");
	}

	@Test
	void ipBasedSiteIsNotChosenOnAnotherAddressEvenByName() {
		SiteTable table = SiteTable
			.of(List.of(defaultSite("main", "main.test"), boundSite("ip", SECOND_LOOPBACK, "ip.test")));
		assertThat(table.resolve("ip.test", LOOPBACK, LISTENER).name()).isEqualTo("main");
	}

	@Test
	void ipBasedSiteOnTheListenerAddressAnswersEveryLocalAddress() {
		SiteTable table = SiteTable.of(List.of(defaultSite("main", "main.test"), boundSite("ip", LISTENER)));
		assertThat(table.resolve("main.test", LOOPBACK, LISTENER).name()).isEqualTo("ip");
	}

	@Test
	void sitesBoundToOneAddressAreChosenByName() {
		SiteTable table = SiteTable.of(List.of(defaultSite("main", "main.test"),
				boundSite("ip-a", SECOND_LOOPBACK, "a.test"), boundSite("ip-b", SECOND_LOOPBACK, "b.test")));
		assertThat(table.resolve("b.test", SECOND_LOOPBACK, LISTENER).name()).isEqualTo("ip-b");
		assertThat(table.resolve("unknown.test", SECOND_LOOPBACK, LISTENER).name()).isEqualTo("ip-a");
	}

	@Test
	void duplicateSiteNamesAreRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SiteTable.of(List.of(site("twin", "a.test"), site("twin", "b.test"))))
			.withMessageContaining("site twin")
			.withMessageContaining("name");
	}

	@Test
	void duplicateServerNamesAreRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SiteTable.of(List.of(site("a", "a.test", "shared.test"), site("b", "shared.test"))))
			.withMessageContaining("site b")
			.withMessageContaining("server-names")
			.withMessageContaining("'shared.test'")
			.withMessageContaining("site a");
	}

	@Test
	void sameServerNameOnDifferentAddressesIsAllowed() {
		SiteTable table = SiteTable
			.of(List.of(site("a", "shared.test"), boundSite("ip", SECOND_LOOPBACK, "shared.test")));
		assertThat(table.resolve("shared.test", SECOND_LOOPBACK, LISTENER).name()).isEqualTo("ip");
		assertThat(table.resolve("shared.test", LOOPBACK, LISTENER).name()).isEqualTo("a");
	}

	@Test
	void twoDefaultSitesAreRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SiteTable.of(List.of(defaultSite("one", "a.test"), defaultSite("two", "b.test"))))
			.withMessageContaining("site two")
			.withMessageContaining("default")
			.withMessageContaining("site one");
	}

	@Test
	void twoDefaultSitesOnOneAddressAreRefused() {
		Site one = new Site("one", List.of("a.test"), true, SECOND_LOOPBACK, this.root, Site.DEFAULT_INDEX_FILES,
				Map.of(), true, false, false, true, null, List.of(), Map.of());
		Site two = new Site("two", List.of("b.test"), true, SECOND_LOOPBACK, this.root, Site.DEFAULT_INDEX_FILES,
				Map.of(), true, false, false, true, null, List.of(), Map.of());
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SiteTable.of(List.of(site("main", "main.test"), one, two)))
			.withMessageContaining("site two")
			.withMessageContaining("default")
			.withMessageContaining("site one");
	}

	@Test
	void defaultSitesOnDifferentAddressesAreAllowed() {
		Site bound = new Site("bound", List.of("a.test"), true, SECOND_LOOPBACK, this.root, Site.DEFAULT_INDEX_FILES,
				Map.of(), true, false, false, true, null, List.of(), Map.of());
		SiteTable table = SiteTable.of(List.of(site("first", "x.test"), defaultSite("main", "main.test"), bound));
		assertThat(table.resolve("unknown.test", LOOPBACK, LISTENER).name()).isEqualTo("main");
		assertThat(table.resolve("unknown.test", SECOND_LOOPBACK, LISTENER).name()).isEqualTo("bound");
	}

	@Test
	void emptySiteListIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> SiteTable.of(List.of())).withMessageContaining("sites");
	}

	@Test
	void everySiteIsAvailableWhenItsRootExists() {
		SiteTable table = SiteTable.of(List.of(site("a", "a.test"), site("b", "b.test")));
		assertThat(table.unavailable()).isEmpty();
		assertThat(table.unavailableReason(table.site("a"))).isNull();
	}

	@Test
	void aSiteWhoseRootIsMissingIsUnavailableWithTheReason() {
		Path missing = this.root.resolve("missing");
		SiteTable table = SiteTable.of(List.of(site("a", "a.test"), withRoot(site("gone", "gone.test"), missing)));
		assertThat(table.unavailable())
			.containsExactly(Map.entry("gone", "document-root: " + missing + " (expected: an existing directory)"));
		assertThat(table.unavailableReason(table.site("gone"))).startsWith("document-root: ");
		assertThat(table.unavailableReason(table.site("a"))).isNull();
	}

	@Test
	void anUnavailableSiteStillOwnsItsNames() {
		SiteTable table = SiteTable
			.of(List.of(defaultSite("a", "a.test"), withRoot(site("gone", "gone.test"), this.root.resolve("missing"))));
		assertThat(resolve(table, "gone.test").name()).isEqualTo("gone");
	}

	@Test
	void aSiteWhoseCertificateCannotBeReadIsUnavailable() {
		TlsCertificate tls = new TlsCertificate(this.root.resolve("missing.pem"), this.root.resolve("missing.key"));
		Site site = site("secure", "secure.test");
		SiteTable table = SiteTable.of(new Site(site.name(), site.serverNames(), false, null, this.root,
				site.indexFiles(), Map.of(), true, false, false, true, tls, List.of(), Map.of()));
		assertThat(table.unavailable()).containsExactly(Map.entry("secure",
				"tls.certificate: " + this.root.resolve("missing.pem") + " (expected: a readable PEM file)"));
	}

	@Test
	void aSiteWhoseCertificateIsNotPemIsUnavailable() throws IOException {
		Path certificate = Files.writeString(this.root.resolve("site.pem"), "not a certificate");
		Path key = Files.writeString(this.root.resolve("site.key"), "not a key");
		Site site = site("secure", "secure.test");
		SiteTable table = SiteTable
			.of(new Site(site.name(), site.serverNames(), false, null, this.root, site.indexFiles(), Map.of(), true,
					false, false, true, new TlsCertificate(certificate, key), List.of(), Map.of()));
		assertThat(table.unavailable()).containsExactly(
				Map.entry("secure", "tls.certificate: " + certificate + " (expected: a PEM certificate chain)"));
	}

	@Test
	void pluginStatesKeepTheUnavailableSites() {
		SiteTable table = SiteTable.of(withRoot(site("gone", "gone.test"), this.root.resolve("missing")));
		SiteTable prepared = table.withPluginStates(Map.of("plugin", "state"));
		assertThat(prepared.unavailable()).isEqualTo(table.unavailable());
		assertThat(prepared.unavailableReason(prepared.site("gone"))).isNotNull();
	}

	private static Site withRoot(Site site, Path root) {
		return new Site(site.name(), site.serverNames(), site.isDefault(), site.listen(), root, site.indexFiles(),
				site.errorPages(), site.fdt(), site.followSymlinks(), site.hiddenFiles(), site.precompressed(),
				site.tls(), site.locations(), site.settings());
	}

	private Site resolve(SiteTable table, String host) {
		return table.resolve(host, LOOPBACK, LISTENER);
	}

	private Site site(String name, String... serverNames) {
		return new Site(name, List.of(serverNames), false, null, this.root, Site.DEFAULT_INDEX_FILES, Map.of(), true,
				false, false, true, null, List.of(), Map.of());
	}

	private Site defaultSite(String name, String... serverNames) {
		return new Site(name, List.of(serverNames), true, null, this.root, Site.DEFAULT_INDEX_FILES, Map.of(), true,
				false, false, true, null, List.of(), Map.of());
	}

	private Site boundSite(String name, InetSocketAddress listen, String... serverNames) {
		return new Site(name, List.of(serverNames), false, listen, this.root, Site.DEFAULT_INDEX_FILES, Map.of(), true,
				false, false, true, null, List.of(), Map.of());
	}

}
