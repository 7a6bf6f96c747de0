package dev.capuchin.plugin.dirlisting;

import java.nio.file.Path;

import dev.capuchin.core.spi.Stage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Unit tests for {@link DirListingPlugin}.
 */
class DirListingPluginTests {

	@Test
	void isALateHandler() {
		DirListingPlugin plugin = new DirListingPlugin(DirListingSettings.defaults(), Path.of("."));
		assertThat(plugin.name()).isEqualTo("dirlisting");
		assertThat(plugin.stages()).containsExactly(Stage.HANDLE);
		assertThat(plugin.order()).isEqualTo(DirListingPlugin.ORDER);
	}

	@Test
	void queryParametersAreReadRaw() {
		assertThat(DirListingPlugin.parameter("sort=size&order=desc", "order")).isEqualTo("desc");
		assertThat(DirListingPlugin.parameter("resort=x&sort=time", "sort")).isEqualTo("time");
		assertThat(DirListingPlugin.parameter("sort", "sort")).isNull();
		assertThat(DirListingPlugin.parameter("", "sort")).isNull();
		assertThat(DirListingPlugin.parameter("sort=", "sort")).isEmpty();
	}

}
