package dev.capuchin.plugin.logger;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.capuchin.core.internal.site.SiteLoader;
import dev.capuchin.core.spi.Location;
import dev.capuchin.core.spi.Site;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class LogDestinationsTests {

	@TempDir
	Path temp;

	@Test
	void aSiteWithoutABlockLogsToTheGlobalFileResolvedAgainstTheBase() {
		LogDestinations destinations = new LogDestinations(true, "logs/access.log", null, this.temp);
		LogDestination destination = destinations.destination(site(Map.of()), LogKind.ACCESS);
		assertThat(destination.where()).isEqualTo(LogDestination.Where.FILE);
		assertThat(destination.path()).isEqualTo(this.temp.resolve("logs/access.log"));
		assertThat(destination.origin()).isEqualTo("capuchin.plugins.logger.access-log");
		assertThat(destination.explanation()).isNull();
	}

	@Test
	void theSiteBlockOverridesTheGlobalLog() {
		LogDestinations destinations = new LogDestinations(true, "global.log", "global-error.log", this.temp);
		Site site = site(Map.of("logger", Map.of("error-log", "shop-error.log")));
		LogDestination error = destinations.destination(site, LogKind.ERROR);
		assertThat(error.path()).isEqualTo(this.temp.resolve("shop-error.log"));
		assertThat(error.origin()).isEqualTo("site shop: logger.error-log");
		assertThat(destinations.destination(site, LogKind.ACCESS).path()).isEqualTo(this.temp.resolve("global.log"));
	}

	@Test
	void aSiteBlockSwitchedOffWritesNoLog() {
		LogDestinations destinations = new LogDestinations(true, "global.log", null, this.temp);
		LogDestination destination = destinations.destination(site(Map.of("logger", false)), LogKind.ACCESS);
		assertThat(destination.where()).isEqualTo(LogDestination.Where.OFF);
		assertThat(destination.explanation()).contains("site shop: logger is off")
			.contains("capuchin.plugins.logger.access-log");
	}

	@Test
	void standardOutputIsNotAFile() {
		LogDestinations destinations = new LogDestinations(true, "stdout", null, this.temp);
		LogDestination destination = destinations.destination(site(Map.of()), LogKind.ACCESS);
		assertThat(destination.where()).isEqualTo(LogDestination.Where.STDOUT);
		assertThat(destination.path()).isNull();
	}

	@Test
	void everyLogIsDisabledWhileThePluginIsOff() {
		LogDestinations destinations = new LogDestinations(false, "global.log", null, this.temp);
		LogDestination destination = destinations.destination(site(Map.of()), LogKind.ACCESS);
		assertThat(destination.where()).isEqualTo(LogDestination.Where.DISABLED);
		assertThat(destination.explanation()).contains("capuchin.plugins.logger.enabled=true");
	}

	@Test
	void theFinderReadsThePluginsProperties() {
		Map<String, String> properties = Map.of("capuchin.plugins.logger.enabled", "true",
				"capuchin.plugins.logger.error-log", "error.log");
		LogDestinations destinations = LogDestinations.fromProperties(properties::get, this.temp);
		assertThat(destinations.enabled()).isTrue();
		assertThat(destinations.destination(site(Map.of()), LogKind.ERROR).path())
			.isEqualTo(this.temp.resolve("error.log"));
		assertThat(destinations.destination(site(Map.of()), LogKind.ACCESS).where())
			.isEqualTo(LogDestination.Where.OFF);
	}

	@Test
	void withoutPropertiesThePluginIsOff() {
		assertThat(LogDestinations.fromProperties((name) -> null, this.temp).enabled()).isFalse();
	}

	@Test
	void aLocationWithALoggerBlockHasLogsOfItsOwn() {
		Site site = site(Map.of("locations",
				List.of(Map.of("path", "/api/", "logger", Map.of("access-log", "api.log")), Map.of("path", "/"))));
		List<Location> locations = site.locations();
		assertThat(LogDestinations.hasOwnLogs(locations.get(0))).isTrue();
		assertThat(LogDestinations.hasOwnLogs(locations.get(1))).isFalse();
	}

	@Test
	void kindsAreFoundByIdentifier() {
		assertThat(LogKind.of("error")).isEqualTo(LogKind.ERROR);
		assertThat(LogKind.ACCESS.key()).isEqualTo("access-log");
	}

	private Site site(Map<String, Object> extra) {
		Map<String, Object> keys = new LinkedHashMap<>();
		keys.put("name", "shop");
		keys.put("server-names", List.of("shop.test"));
		keys.put("document-root", this.temp.toString());
		keys.putAll(extra);
		return new SiteLoader(this.temp).parse(keys, "shop");
	}

}
