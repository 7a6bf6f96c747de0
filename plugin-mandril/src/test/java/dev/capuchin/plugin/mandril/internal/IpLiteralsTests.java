package dev.capuchin.plugin.mandril.internal;

import java.net.InetAddress;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Unit tests for {@link IpLiterals}.
 */
class IpLiteralsTests {

	@ParameterizedTest(name = "{0} is {1}")
	@CsvSource({ "192.0.2.7, 192.0.2.7", "010.0.0.1, 10.0.0.1", "2001:db8::1, 2001:db8:0:0:0:0:0:1",
			"[2001:db8::1], 2001:db8:0:0:0:0:0:1", "::1, 0:0:0:0:0:0:0:1", "::ffff:192.0.2.7, 192.0.2.7",
			"::FFFF:192.0.2.7, 192.0.2.7" })
	void literalsAreParsed(String text, String address) {
		InetAddress parsed = IpLiterals.parse(text);
		assertThat(parsed).isNotNull();
		assertThat(parsed.getHostAddress()).isEqualTo(address);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "localhost", "example.com", "192.0.2", "192.0.2.7.1", "192.0.2.256", "[192.0.2.7]",
			"[::1", "::1]", "::g", "1::2::3", " 192.0.2.7", "fe80::1%eth0", "fe80::1%2", "0x7f.0.0.1" })
	void anythingElseIsNotAnAddress(String text) {
		assertThat(IpLiterals.parse(text)).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "localhost", "a.root-servers.net" })
	void namesAreNeverLookedUp(String name) {
		assertThat(IpLiterals.parse(name)).isNull();
	}

}
