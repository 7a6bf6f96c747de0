package dev.capuchin.plugin.dirlisting.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.capuchin.core.spi.Site;
import dev.capuchin.core.internal.site.SiteLoader;
import dev.capuchin.plugin.dirlisting.SortKey;
import dev.capuchin.plugin.dirlisting.SortOrder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Unit tests for {@link DirectoryReader}: the site's policy applied to each entry.
 */
class DirectoryReaderTests {

	@TempDir
	Path temp;

	private Path root;

	@BeforeEach
	void files() throws IOException {
		this.root = Files.createDirectories(this.temp.resolve("htdocs"));
		Files.writeString(this.root.resolve("b.txt"), "bb");
		Files.writeString(this.root.resolve("a.txt"), "a");
		Files.createDirectories(this.root.resolve("dir"));
		Files.writeString(this.temp.resolve("outside.txt"), "outside");
	}

	@Test
	void listsFilesAndDirectoriesSorted() throws IOException {
		Listing listing = read(site(Map.of()), rule(List.of(), false, 100));
		assertThat(names(listing)).containsExactly("dir", "a.txt", "b.txt");
		assertThat(listing.entries().get(2).size()).isEqualTo(2);
		assertThat(listing.entries().get(0).directory()).isTrue();
		assertThat(listing.truncated()).isFalse();
		assertThat(listing.readme()).isNull();
	}

	@Test
	void dotEntriesAreLeftOutUnlessTheSiteServesHiddenFiles() throws IOException {
		Files.writeString(this.root.resolve(".htpasswd"), "x");
		Files.createDirectories(this.root.resolve(".well-known"));
		assertThat(names(read(site(Map.of()), rule(List.of(), false, 100)))).containsExactly(".well-known", "dir",
				"a.txt", "b.txt");
		assertThat(names(read(site(Map.of("hidden-files", true)), rule(List.of(), false, 100))))
			.containsExactly(".well-known", "dir", ".htpasswd", "a.txt", "b.txt");
	}

	@Test
	void symbolicLinksAreLeftOutUnlessTheSiteFollowsThem() throws IOException {
		Files.createSymbolicLink(this.root.resolve("link.txt"), this.temp.resolve("outside.txt"));
		Files.createSymbolicLink(this.root.resolve("linkdir"), this.temp);
		Files.createSymbolicLink(this.root.resolve("dangling"), this.temp.resolve("nowhere"));
		assertThat(names(read(site(Map.of()), rule(List.of(), false, 100)))).containsExactly("dir", "a.txt", "b.txt");
		Listing followed = read(site(Map.of("follow-symlinks", true)), rule(List.of(), false, 100));
		assertThat(names(followed)).containsExactly("dir", "linkdir", "a.txt", "b.txt", "link.txt");
		assertThat(followed.entries().get(4).size()).isEqualTo("outside".length());
	}

	@Test
	void hidePatternsLeaveOutMatchingNames() throws IOException {
		assertThat(names(read(site(Map.of()), rule(List.of("b*", "di?"), false, 100)))).containsExactly("a.txt");
	}

	@Test
	void listingIsCutAtTheCap() throws IOException {
		Listing listing = read(site(Map.of()), rule(List.of(), false, 2));
		assertThat(listing.entries()).hasSize(2);
		assertThat(listing.truncated()).isTrue();
	}

	@Test
	void directoryExactlyAtTheCapIsNotCut() throws IOException {
		Listing listing = read(site(Map.of()), rule(List.of(), false, 3));
		assertThat(listing.entries()).hasSize(3);
		assertThat(listing.truncated()).isFalse();
	}

	@Test
	void readmePrefersMarkdownThenTextThenPlain() throws IOException {
		Files.writeString(this.root.resolve("README"), "plain");
		Files.writeString(this.root.resolve("readme.txt"), "text");
		assertThat(read(site(Map.of()), rule(List.of(), true, 100)).readme().name()).isEqualTo("readme.txt");
		Files.writeString(this.root.resolve("README.md"), "# md");
		Listing.Readme readme = read(site(Map.of()), rule(List.of(), true, 100)).readme();
		assertThat(readme.name()).isEqualTo("README.md");
		assertThat(readme.text()).isEqualTo("# md");
		assertThat(readme.cut()).isFalse();
	}

	@Test
	void readmeIsCutAtItsLimit() throws IOException {
		Files.writeString(this.root.resolve("README"), "0123456789");
		ListingRule rule = new ListingRule(true, null, List.of(), List.of(), true, SortKey.NAME, SortOrder.ASC, 100, 4);
		Listing.Readme readme = read(site(Map.of()), rule).readme();
		assertThat(readme.text()).isEqualTo("0123");
		assertThat(readme.cut()).isTrue();
	}

	@Test
	void readmeThatIsASymlinkIsNotShownUnlessTheSiteFollowsSymlinks() throws IOException {
		Files.createSymbolicLink(this.root.resolve("README"), this.temp.resolve("outside.txt"));
		assertThat(read(site(Map.of()), rule(List.of(), true, 100)).readme()).isNull();
		assertThat(read(site(Map.of("follow-symlinks", true)), rule(List.of(), true, 100)).readme().text())
			.isEqualTo("outside");
	}

	@Test
	void hiddenReadmeIsNotShown() throws IOException {
		Files.writeString(this.root.resolve("README"), "secret");
		assertThat(read(site(Map.of()), rule(List.of("READ*"), true, 100)).readme()).isNull();
	}

	private Listing read(Site site, ListingRule rule) throws IOException {
		return DirectoryReader.read(site, site.documentRoot(), "/", rule, SortKey.NAME, SortOrder.ASC);
	}

	private static ListingRule rule(List<String> hide, boolean readme, int maxEntries) {
		List<PathMatcher> patterns = hide.stream().map(Glob::compile).toList();
		return new ListingRule(true, null, hide, patterns, readme, SortKey.NAME, SortOrder.ASC, maxEntries, 1024);
	}

	private static List<String> names(Listing listing) {
		return listing.entries().stream().map(Entry::name).toList();
	}

	private Site site(Map<String, Object> extra) {
		Map<String, Object> keys = new LinkedHashMap<>();
		keys.put("name", "test");
		keys.put("server-names", List.of("localhost"));
		keys.put("document-root", this.root.toString());
		keys.putAll(extra);
		return new SiteLoader(this.temp).parse(keys, "test");
	}

}
