package dev.capuchin.plugin.dirlisting.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.capuchin.core.spi.Site;
import dev.capuchin.core.internal.site.SiteLoader;
import dev.capuchin.core.spi.SiteTable;
import dev.capuchin.plugin.dirlisting.DirListingSettings;
import dev.capuchin.plugin.dirlisting.SortKey;
import dev.capuchin.plugin.dirlisting.SortOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Unit tests for {@link ListingRules}: site and location blocks over the global defaults.
 */
class ListingRulesTests {

	private static final Theme BUILT_IN = Theme.builtIn("default");

	@TempDir
	Path temp;

	@Test
	void siteWithoutBlockIsDisabled() throws IOException {
		Site site = site(Map.of());
		ListingRule rule = prepare(site).rule(site, null);
		assertThat(rule.enabled()).isFalse();
	}

	@Test
	void trueSwitchesListingsOnWithTheDefaults() throws IOException {
		Site site = site(Map.of("dirlisting", true));
		ListingRule rule = prepare(site).rule(site, null);
		assertThat(rule.enabled()).isTrue();
		assertThat(rule.theme()).isSameAs(BUILT_IN);
		assertThat(rule.sort()).isEqualTo(SortKey.NAME);
		assertThat(rule.order()).isEqualTo(SortOrder.ASC);
		assertThat(rule.readme()).isFalse();
		assertThat(rule.maxEntries()).isEqualTo(DirListingSettings.DEFAULT_MAX_ENTRIES);
	}

	@Test
	void mappingSwitchesListingsOnAndSetsItsValues() throws IOException {
		Site site = site(Map.of("dirlisting",
				Map.of("readme", true, "sort", "time", "order", "desc", "hide", List.of("*.bak"))));
		ListingRule rule = prepare(site).rule(site, null);
		assertThat(rule.enabled()).isTrue();
		assertThat(rule.readme()).isTrue();
		assertThat(rule.sort()).isEqualTo(SortKey.TIME);
		assertThat(rule.order()).isEqualTo(SortOrder.DESC);
		assertThat(rule.hides("x.bak")).isTrue();
	}

	@Test
	void mappingMaySwitchListingsOff() throws IOException {
		Site site = site(Map.of("dirlisting", Map.of("enabled", false)));
		assertThat(prepare(site).rule(site, null).enabled()).isFalse();
	}

	@Test
	void hidePatternsAddUpFromGlobalToSiteToLocation() throws IOException {
		Site site = site(Map.of("dirlisting", Map.of("hide", "*.bak"), "locations",
				List.of(Map.of("path", "/private/", "dirlisting", Map.of("hide", List.of("secret*"))))));
		ListingRules rules = prepare(site, DirListingSettings.defaults().withHide(List.of("*.tmp")));
		ListingRule location = rules.rule(site, site.locations().get(0));
		assertThat(location.hide()).containsExactly("*.tmp", "*.bak", "secret*");
		assertThat(rules.rule(site, null).hide()).containsExactly("*.tmp", "*.bak");
	}

	@Test
	void locationInheritsTheSiteBlock() throws IOException {
		Site site = site(Map.of("dirlisting", Map.of("sort", "size"), "locations",
				List.of(Map.of("path", "/a/", "dirlisting", Map.of("order", "desc")), Map.of("path", "/b/"))));
		ListingRules rules = prepare(site);
		ListingRule a = rules.rule(site, site.locations().get(0));
		assertThat(a.sort()).isEqualTo(SortKey.SIZE);
		assertThat(a.order()).isEqualTo(SortOrder.DESC);
		assertThat(rules.rule(site, site.locations().get(1))).isSameAs(rules.rule(site, null));
	}

	@Test
	void locationFalseSwitchesOffAndTrueSwitchesOn() throws IOException {
		Site on = site(Map.of("dirlisting", true, "locations", List.of(Map.of("path", "/x/", "dirlisting", false))));
		assertThat(prepare(on).rule(on, on.locations().get(0)).enabled()).isFalse();
		Site off = site(Map.of("locations", List.of(Map.of("path", "/x/", "dirlisting", true))));
		assertThat(prepare(off).rule(off, off.locations().get(0)).enabled()).isTrue();
	}

	@Test
	void themeDirectoryIsReadOncePerTable() throws IOException {
		Path dir = Files.createDirectories(this.temp.resolve("theme"));
		for (String part : List.of("header.html", "entry.html", "footer.html")) {
			Files.writeString(dir.resolve(part), part);
		}
		Site site = site(Map.of("dirlisting", Map.of("theme", "theme"), "locations",
				List.of(Map.of("path", "/x/", "dirlisting", Map.of("theme", dir.toString())))));
		ListingRules rules = prepare(site);
		assertThat(rules.rule(site, null).theme()).isNotSameAs(BUILT_IN)
			.isSameAs(rules.rule(site, site.locations().get(0)).theme());
	}

	@Test
	void invalidValuesAreRefusedNamingSiteAndField() throws IOException {
		assertRefused(Map.of("dirlisting", "yes"), "site test: dirlisting: 'yes' (expected: true, false or a "
				+ "mapping of enabled, hide, order, readme, sort, theme)");
		assertRefused(Map.of("dirlisting", Map.of("sort", "owner")),
				"site test: dirlisting.sort: 'owner' (expected: name, size or time)");
		assertRefused(Map.of("dirlisting", Map.of("order", "up")),
				"site test: dirlisting.order: 'up' (expected: asc or desc)");
		assertRefused(Map.of("dirlisting", Map.of("readme", "yes")),
				"site test: dirlisting.readme: 'yes' (expected: true or false)");
		assertRefused(Map.of("dirlisting", Map.of("colour", "red")),
				"site test: dirlisting.colour: unknown key (expected one of: enabled, hide, order, readme, sort, theme)");
		assertRefused(Map.of("dirlisting", Map.of("hide", List.of("*.bak", "[x"))),
				"site test: dirlisting.hide[1]: '[x' (expected: ] to close [)");
		assertRefused(Map.of("locations", List.of(Map.of("path", "/", "dirlisting", Map.of("sort", 1)))),
				"site test: locations[0].dirlisting.sort: '1' (expected: name, size or time)");
	}

	@Test
	void missingThemeDirectoryIsRefusedNamingSiteAndField() throws IOException {
		Site site = site(Map.of("dirlisting", Map.of("theme", "no-such-theme-dir")));
		assertThatIllegalArgumentException().isThrownBy(() -> prepare(site))
			.withMessage("site test: dirlisting.theme: " + this.temp.resolve("no-such-theme-dir")
					+ " (expected: a theme directory)");
	}

	@Test
	void missingGlobalThemeIsRefusedNamingTheProperty() {
		DirListingSettings settings = DirListingSettings.defaults().withTheme("missing");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ListingRules.defaults(settings, BUILT_IN, this.temp, "capuchin.plugins.dirlisting."))
			.withMessageStartingWith("capuchin.plugins.dirlisting.theme: ");
	}

	@Test
	void hidesAnySegmentChecksEveryDirectoryOfThePath() throws IOException {
		Site site = site(Map.of("dirlisting", Map.of("hide", List.of("secret*"))));
		ListingRule rule = prepare(site).rule(site, null);
		assertThat(rule.hidesAnySegment("/a/secret-dir/b/")).isTrue();
		assertThat(rule.hidesAnySegment("/a/b/")).isFalse();
		assertThat(rule.hidesAnySegment("/")).isFalse();
	}

	private void assertRefused(Map<String, Object> keys, String message) throws IOException {
		Site site = site(keys);
		assertThatIllegalArgumentException().isThrownBy(() -> prepare(site)).withMessage(message);
	}

	private ListingRules prepare(Site site) {
		return prepare(site, DirListingSettings.defaults());
	}

	private ListingRules prepare(Site site, DirListingSettings settings) {
		ListingRule defaults = ListingRules.defaults(settings, BUILT_IN, this.temp, "capuchin.plugins.dirlisting.");
		return ListingRules.prepare(SiteTable.of(site), defaults, BUILT_IN, this.temp);
	}

	private Site site(Map<String, Object> extra) throws IOException {
		Path root = Files.createDirectories(this.temp.resolve("htdocs"));
		Map<String, Object> keys = new LinkedHashMap<>();
		keys.put("name", "test");
		keys.put("server-names", List.of("localhost"));
		keys.put("document-root", root.toString());
		keys.putAll(extra);
		return new SiteLoader(this.temp).parse(keys, "test");
	}

}
