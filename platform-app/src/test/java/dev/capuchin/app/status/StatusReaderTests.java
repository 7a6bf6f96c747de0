package dev.capuchin.app.status;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Set;

import dev.capuchin.core.spi.PluginDescription;
import dev.capuchin.core.spi.Stage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StatusReaderTests {

	private final RequestCounter counter = new RequestCounter(Clock.systemUTC());

	@Test
	void withoutADataPlaneTheStatusHasNoWorkersOrSitesButListsThePluginModules() {
		StatusReader reader = new StatusReader(() -> null, () -> 7, this.counter,
				new RequestRates(this.counter, Clock.systemUTC()),
				List.of(new PluginDescription("logger", false, Set.of(Stage.LOG), "logger")));
		NodeStatus status = reader.read();
		assertThat(status.running()).isFalse();
		assertThat(status.transport()).isNull();
		assertThat(status.configurationVersion()).isEqualTo(7);
		assertThat(status.workers()).isEmpty();
		assertThat(status.sites()).isEmpty();
		assertThat(status.totals().fdtHitRate()).isNull();
		assertThat(status.plugins())
			.containsExactly(new NodeStatus.PluginStatus("logger", false, "logger", List.of("LOG"), null));
	}

	@Test
	void addressesAreWrittenAsPeopleWriteThem() throws Exception {
		assertThat(StatusReader.address(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8080)))
			.isEqualTo("127.0.0.1:8080");
		assertThat(StatusReader.address(new InetSocketAddress(InetAddress.getByName("::1"), 8443)))
			.isEqualTo("[0:0:0:0:0:0:0:1]:8443");
	}

}
