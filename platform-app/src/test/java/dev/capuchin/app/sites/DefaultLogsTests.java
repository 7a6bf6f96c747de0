package dev.capuchin.app.sites;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class DefaultLogsTests {

	@TempDir
	Path temp;

	@Test
	void aNewSiteGetsAnAccessAndAnErrorLogNamedAfterIt() {
		Path dir = this.temp.resolve("logs");
		Map<String, Object> keys = new DefaultLogs(dir, true).apply(Map.of("name", "shop"));
		assertThat(keys).containsEntry("logger", Map.of("access-log", dir.resolve("shop.access.log").toString(),
				"error-log", dir.resolve("shop.error.log").toString()));
		assertThat(dir).isDirectory();
	}

	@Test
	void aSiteWithItsOwnLoggerBlockKeepsIt() {
		Map<String, Object> keys = Map.of("name", "shop", "logger", Map.of("access-log", "off"));
		assertThat(new DefaultLogs(this.temp, true).apply(keys)).isEqualTo(keys);
	}

	@Test
	void noDirectoryOrNoLoggerPluginMeansNoDefaultLogs() {
		Map<String, Object> keys = Map.of("name", "shop");
		assertThat(new DefaultLogs(null, true).apply(keys)).isEqualTo(keys);
		assertThat(new DefaultLogs(this.temp.resolve("unused"), false).apply(keys)).isEqualTo(keys);
		assertThat(Files.exists(this.temp.resolve("unused"))).isFalse();
	}

}
