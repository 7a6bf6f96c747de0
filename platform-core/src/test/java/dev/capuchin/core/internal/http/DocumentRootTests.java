package dev.capuchin.core.internal.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.SiteFile;
import dev.capuchin.core.internal.site.SiteLoader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Unit tests for {@link DocumentRoot}.
 */
class DocumentRootTests {

	@TempDir
	Path temp;

	private Path root;

	@BeforeEach
	void files() throws IOException {
		this.root = Files.createDirectories(this.temp.resolve("htdocs"));
		Files.writeString(this.root.resolve("a.txt"), "a");
		Files.createDirectories(this.root.resolve("dir"));
		Files.writeString(this.temp.resolve("outside.txt"), "outside");
	}

	@Test
	void existingFileResolvesWithItsAttributes() throws IOException {
		SiteFile resolved = DocumentRoot.resolve(site(Map.of()), "/a.txt");
		assertThat(resolved.found()).isTrue();
		assertThat(resolved.file()).isEqualTo(this.root.toRealPath().resolve("a.txt"));
		assertThat(resolved.attributes().size()).isEqualTo(1);
	}

	@Test
	void directoryResolves() throws IOException {
		SiteFile resolved = DocumentRoot.resolve(site(Map.of()), "/dir/");
		assertThat(resolved.found()).isTrue();
		assertThat(resolved.attributes().isDirectory()).isTrue();
	}

	@Test
	void missingFileIs404() throws IOException {
		assertThat(DocumentRoot.resolve(site(Map.of()), "/missing.txt").status()).isEqualTo(404);
	}

	@Test
	void pathThroughAFileIs404() throws IOException {
		assertThat(DocumentRoot.resolve(site(Map.of()), "/a.txt/b").status()).isEqualTo(404);
	}

	@Test
	void dotfileIs404UnlessTheSiteAllowsHiddenFiles() throws IOException {
		Files.writeString(this.root.resolve(".env"), "x");
		assertThat(DocumentRoot.resolve(site(Map.of()), "/.env").status()).isEqualTo(404);
		assertThat(DocumentRoot.resolve(site(Map.of("hidden-files", true)), "/.env").found()).isTrue();
	}

	@Test
	void symlinkIs403UnlessTheSiteFollowsSymlinks() throws IOException {
		Files.createSymbolicLink(this.root.resolve("link.txt"), this.temp.resolve("outside.txt"));
		assertThat(DocumentRoot.resolve(site(Map.of()), "/link.txt").status()).isEqualTo(403);
		assertThat(DocumentRoot.resolve(site(Map.of("follow-symlinks", true)), "/link.txt").found()).isTrue();
	}

	@Test
	void pathThroughASymlinkedDirectoryIs403() throws IOException {
		Files.createSymbolicLink(this.root.resolve("up"), this.temp);
		assertThat(DocumentRoot.resolve(site(Map.of()), "/up/outside.txt").status()).isEqualTo(403);
		assertThat(DocumentRoot.resolve(site(Map.of()), "/up/").status()).isEqualTo(403);
	}

	@Test
	void indexIsTheFirstIndexFileThatExists() throws IOException {
		Files.writeString(this.root.resolve("dir/index.htm"), "htm");
		Site site = site(Map.of());
		SiteFile index = DocumentRoot.index(site, DocumentRoot.resolve(site, "/dir/").file());
		assertThat(index.found()).isTrue();
		assertThat(index.file().getFileName()).hasToString("index.htm");
	}

	@Test
	void directoryWithoutIndexFileHasNoIndex() throws IOException {
		Files.createDirectories(this.root.resolve("dir/index.html"));
		Site site = site(Map.of());
		assertThat(DocumentRoot.index(site, DocumentRoot.resolve(site, "/dir/").file())).isNull();
	}

	@Test
	void symlinkedIndexFileIs403UnlessTheSiteFollowsSymlinks() throws IOException {
		Files.createSymbolicLink(this.root.resolve("dir/index.html"), this.temp.resolve("outside.txt"));
		Site site = site(Map.of());
		assertThat(DocumentRoot.index(site, DocumentRoot.resolve(site, "/dir/").file()).status()).isEqualTo(403);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			/                       | false
			/a.txt                  | false
			/.env                   | true
			/dir/.git/config        | true
			/.well-known/x          | false
			/.well-known/           | false
			/.well-knownx/y         | true
			/.well-known/.secret    | true
			/a..b                   | false
			""")
	void hiddenPathsHaveADotSegmentOtherThanWellKnown(String path, boolean hidden) {
		assertThat(DocumentRoot.isHidden(path)).isEqualTo(hidden);
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
