package dev.capuchin.core.internal.site;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.capuchin.core.spi.Site;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the site file format: any file is a site or an {@link IllegalArgumentException}
 * naming the file, never another exception.
 */
class SiteLoaderFuzzTests {

	private static final Path DIRECTORY = temporaryDirectory();

	@FuzzTest(maxDuration = "2m")
	void loadFile(FuzzedDataProvider data) throws IOException {
		Path file = DIRECTORY.resolve("fuzzed.yml");
		Files.write(file, data.consumeRemainingAsBytes());
		try {
			Site site = new SiteLoader(DIRECTORY, SiteLoader.MissingFiles.ALLOW).loadFile(file);
			assertThat(site.name()).isNotBlank();
		}
		catch (IllegalArgumentException ex) {
			assertThat(ex.getMessage()).startsWith(file.toString());
		}
	}

	private static Path temporaryDirectory() {
		try {
			Path directory = Files.createTempDirectory("site-fuzz");
			directory.toFile().deleteOnExit();
			return directory;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
