package dev.capuchin.plugin.logger.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.ZoneOffset;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FormatContextTests {

	private final FormatContext context = new FormatContext(ZoneOffset.UTC);

	@ParameterizedTest
	@ValueSource(strings = { "0.0.0.0", "255.255.255.255", "192.0.2.1", "10.20.30.40", "127.0.0.1", "128.0.0.255" })
	void ipv4AddressesAreWrittenAsDottedQuads(String address) throws Exception {
		assertThat(client(new InetSocketAddress(InetAddress.getByName(address), 80), false)).isEqualTo(address);
		assertThat(client(new InetSocketAddress(InetAddress.getByName(address), 80), true))
			.isEqualTo("\"" + address + "\"");
	}

	@Test
	void ipv6AddressesAreWrittenAsJavaFormatsThem() throws Exception {
		InetSocketAddress loopback = new InetSocketAddress(InetAddress.getByName("::1"), 80);
		assertThat(client(loopback, false)).isEqualTo("0:0:0:0:0:0:0:1");
		assertThat(client(new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 80), true))
			.isEqualTo("\"2001:db8:0:0:0:0:0:7\"");
		assertThat(client(loopback, false)).isEqualTo("0:0:0:0:0:0:0:1");
	}

	@Test
	void anUnknownClientIsADash() {
		assertThat(client(null, false)).isEqualTo("-");
		assertThat(client(InetSocketAddress.createUnresolved("proxy\"host", 80), false)).isEqualTo("proxy\\x22host");
	}

	private String client(InetSocketAddress address, boolean json) {
		LineBuilder line = new LineBuilder();
		this.context.appendClient(address, json, line);
		return line.toString();
	}

}
