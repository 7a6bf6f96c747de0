package dev.capuchin.plugin.mandril.autoconfigure;

import java.nio.file.Path;
import java.util.List;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class MandrilPropertyRowsTests {

	@Test
	void everyGlobalPropertyIsARowWithItsValue() {
		MandrilProperties properties = new MandrilProperties(true,
				new MandrilProperties.Ip(List.of("10.0.0.0/8"), List.of()), List.of(), 5,
				new MandrilProperties.Rate(2.5, 10, 1000), List.of("127.0.0.1"), null);
		assertThat(MandrilPropertyRows.of(properties))
			.extracting(MandrilPropertyRows.Row::property, MandrilPropertyRows.Row::value)
			.containsExactly(row("capuchin.plugins.mandril.ip.allow", "10.0.0.0/8"),
					row("capuchin.plugins.mandril.ip.deny", "none"),
					row("capuchin.plugins.mandril.trusted-proxies", "127.0.0.1"),
					row("capuchin.plugins.mandril.max-connections-per-ip", "5"),
					row("capuchin.plugins.mandril.rate.requests-per-second", "2.5"),
					row("capuchin.plugins.mandril.rate.burst", "10"),
					row("capuchin.plugins.mandril.rate.max-clients", "1000"));
	}

	@Test
	void eachListenerAndAMonkeyFileAddTheirRows() {
		MandrilProperties properties = new MandrilProperties(true, new MandrilProperties.Ip(List.of(), List.of()),
				List.of(new MandrilProperties.Listener("127.0.0.1:8080",
						new MandrilProperties.Ip(List.of(), List.of("192.0.2.1")))),
				0, new MandrilProperties.Rate(0, 0, 100_000), List.of(), Path.of("/etc/monkey/mandril.conf"));
		assertThat(MandrilPropertyRows.of(properties)).extracting(MandrilPropertyRows.Row::property)
			.contains("capuchin.plugins.mandril.listeners[0].address", "capuchin.plugins.mandril.listeners[0].ip.deny",
					"capuchin.plugins.mandril.monkey-config");
		assertThat(MandrilPropertyRows.of(properties)).allSatisfy((row) -> assertThat(row.meaning()).isNotBlank());
	}

	private static Tuple row(String property, String value) {
		return tuple(property, value);
	}

}
