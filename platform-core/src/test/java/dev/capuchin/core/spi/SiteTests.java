package dev.capuchin.core.spi;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SiteTests {

	private final Site site = new Site("shop", List.of("shop.test"), true, null, Path.of("/srv/shop"),
			List.of("index.html"), Map.of(404, "/404.html"), true, false, false, true, null,
			List.of(new Location("/a/", null, Map.of())), Map.of("logger", Map.of()), new Hsts(31536000, true, false),
			true, new ResponseHeaders(Map.of("X-Frame-Options", "DENY"), Set.of("Server")));

	@Test
	void otherLocationsKeepEveryOtherSetting() {
		List<Location> locations = List.of(new Location("/b/", null, Map.of()));
		assertThat(this.site.withLocations(locations)).usingRecursiveComparison()
			.ignoringFields("locations")
			.isEqualTo(this.site);
		assertThat(this.site.withLocations(locations).locations()).isEqualTo(locations);
	}

	@Test
	void notDefaultKeepsEveryOtherSetting() {
		assertThat(this.site.withDefault(false)).usingRecursiveComparison()
			.ignoringFields("isDefault")
			.isEqualTo(this.site);
		assertThat(this.site.withDefault(false).isDefault()).isFalse();
	}

}
