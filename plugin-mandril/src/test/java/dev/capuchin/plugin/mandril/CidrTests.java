package dev.capuchin.plugin.mandril;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CidrTests {

	@ParameterizedTest(name = "{0} contains {1}: {2}")
	@CsvSource({ "10.0.0.0/8, 10.255.1.2, true", "10.0.0.0/8, 11.0.0.1, false", "192.168.3.150, 192.168.3.150, true",
			"192.168.3.150, 192.168.3.151, false", "10.20.1.1/24, 10.20.1.255, true", "10.20.1.1/24, 10.20.2.0, false",
			"172.16.0.0/12, 172.31.255.255, true", "172.16.0.0/12, 172.32.0.0, false", "0.0.0.0/0, 8.8.8.8, true",
			"127.0.0.2/31, 127.0.0.3, true", "127.0.0.2/31, 127.0.0.4, false" })
	void ipv4BlocksMatchTheirAddresses(String block, String address, boolean expected) throws Exception {
		assertThat(Cidr.parse(block).matches(InetAddress.getByName(address))).isEqualTo(expected);
	}

	@ParameterizedTest(name = "{0} contains {1}: {2}")
	@CsvSource({ "2001:db8::/32, 2001:db8:1::5, true", "2001:db8::/32, 2001:db9::1, false",
			"2001:db8:abcd:12::/64, 2001:db8:abcd:12:ffff:ffff:ffff:ffff, true",
			"2001:db8:abcd:12::/64, 2001:db8:abcd:13::, false", "::1/128, ::1, true", "::1, ::2, false",
			"[::1], ::1, true", "fe80::/10, febf::1, true", "fe80::/10, fec0::1, false", "::/0, 2a00:1450::1, true",
			"2001:db8::/33, 2001:db8:7fff::1, true", "2001:db8::/33, 2001:db8:8000::1, false" })
	void ipv6BlocksMatchTheirAddresses(String block, String address, boolean expected) throws Exception {
		assertThat(Cidr.parse(block).matches(InetAddress.getByName(address))).isEqualTo(expected);
	}

	@Test
	void ipv4AndIpv6NeverMatchEachOther() throws Exception {
		assertThat(Cidr.parse("0.0.0.0/0").matches(InetAddress.getByName("::1"))).isFalse();
		assertThat(Cidr.parse("::/0").matches(InetAddress.getByName("127.0.0.1"))).isFalse();
	}

	@Test
	void anIpv4MappedAddressMatchesItsIpv4Block() {
		byte[] mapped = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 1, 2, 3 };
		assertThat(Cidr.parse("10.0.0.0/8").matches(mapped)).isTrue();
		assertThat(Cidr.parse("::ffff:10.1.2.3")).isEqualTo(Cidr.parse("10.1.2.3/32"));
	}

	@Test
	void hostBitsAreClearedAsMonkeyDoes() {
		Cidr block = Cidr.parse("10.20.1.1/24");
		assertThat(block.network().getHostAddress()).isEqualTo("10.20.1.0");
		assertThat(block).hasToString("10.20.1.0/24").isEqualTo(Cidr.parse("10.20.1.0/24"));
		assertThat(Cidr.parse("2001:db8::ffff/32")).isEqualTo(Cidr.parse("2001:db8::/32"));
	}

	@Test
	void aSingleAddressIsAFullLengthBlock() {
		assertThat(Cidr.parse("192.0.2.7").prefix()).isEqualTo(32);
		assertThat(Cidr.parse("2001:db8::7").prefix()).isEqualTo(128);
	}

	@ParameterizedTest
	@ValueSource(strings = { "localhost", "example.com", "10.0.0.300", "10.0.0", "10.0.0.0.1", "1.2.3.4/", "1.2.3.4/x",
			"::g", "2001:db8::/", "", " ", "10.0.0.1/-1", "fe80::1%eth0", "+1.2.3.4" })
	void textThatIsNoAddressOrBlockIsRefused(String text) {
		assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse(text));
	}

	@Test
	void aPrefixBeyondTheAddressLengthIsRefusedWithTheRange() {
		assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse("10.0.0.0/33"))
			.withMessage("'10.0.0.0/33' has a prefix length out of range (expected: /0../32)");
		assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse("2001:db8::/129"))
			.withMessageContaining("/0../128");
	}

	@Test
	void aHostNameIsRefusedNotLookedUp() {
		assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse("localhost"))
			.withMessage("'localhost' is not an IP address or CIDR block");
	}

}
