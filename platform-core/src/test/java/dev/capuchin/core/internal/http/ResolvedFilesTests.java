package dev.capuchin.core.internal.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.capuchin.core.spi.Site;
import dev.capuchin.core.internal.site.SiteLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ResolvedFilesTests {

	private static final long MINUTE = 60_000_000_000L;

	@TempDir
	Path temp;

	@Test
	void aPathResolvedForASiteIsFoundUntilItsValidityEnds() throws IOException {
		Site site = site();
		ResolvedFiles files = new ResolvedFiles();
		FileInfo info = info("a.txt");
		files.put(site, "/a.txt", info);
		assertThat(files.get(site, "/a.txt", MINUTE)).isSameAs(info);
		assertThat(files.get(site, "/a.txt", 0)).isNull();
		assertThat(files.get(site, "/a.txt", MINUTE)).as("an expired entry is dropped").isNull();
	}

	@Test
	void anotherSiteObjectNeverSeesTheEntriesOfTheSiteItReplaced() throws IOException {
		Site old = site();
		Site replacement = site();
		ResolvedFiles files = new ResolvedFiles();
		files.put(old, "/a.txt", info("a.txt"));
		assertThat(replacement).isEqualTo(old);
		assertThat(files.get(replacement, "/a.txt", MINUTE)).isNull();
	}

	@Test
	void aFullCacheStartsOver() throws IOException {
		Site site = site();
		ResolvedFiles files = new ResolvedFiles();
		FileInfo info = info("a.txt");
		for (int i = 0; i < ResolvedFiles.MAX_ENTRIES; i++) {
			files.put(site, "/" + i, info);
		}
		assertThat(files.get(site, "/0", MINUTE)).isSameAs(info);
		files.put(site, "/one-more", info);
		assertThat(files.get(site, "/0", MINUTE)).isNull();
		assertThat(files.get(site, "/one-more", MINUTE)).isSameAs(info);
	}

	@Test
	void aRemovedPathIsResolvedAgain() throws IOException {
		Site site = site();
		ResolvedFiles files = new ResolvedFiles();
		files.put(site, "/a.txt", info("a.txt"));
		files.remove(site, "/a.txt");
		assertThat(files.get(site, "/a.txt", MINUTE)).isNull();
	}

	@Test
	void validatorsAndTypeAreFormattedOnceFromTheAttributes() throws IOException {
		FileInfo info = info("a.txt");
		assertThat(info.etag()).isEqualTo("\"" + Long.toHexString(info.modified()) + "-1\"");
		assertThat(info.contentType()).isEqualTo("text/plain; charset=utf-8");
		assertThat(info.lastModified()).isEqualTo(HttpDates.format(info.modified()));
		assertThat(info.encoding()).isNull();
	}

	private FileInfo info(String name) throws IOException {
		Path file = this.temp.resolve(name);
		if (!Files.exists(file)) {
			Files.writeString(file, "a");
		}
		return FileInfo.of(file, Files.readAttributes(file, BasicFileAttributes.class));
	}

	private Site site() {
		Map<String, Object> keys = new HashMap<>();
		keys.put("name", "site");
		keys.put("document-root", this.temp.toString());
		keys.put("server-names", List.of("localhost"));
		return new SiteLoader(this.temp).parse(keys, "site");
	}

}
