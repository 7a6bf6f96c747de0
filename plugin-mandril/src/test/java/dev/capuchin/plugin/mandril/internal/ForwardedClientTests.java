package dev.capuchin.plugin.mandril.internal;

import java.net.InetSocketAddress;
import java.util.List;

import dev.capuchin.plugin.mandril.Cidr;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ForwardedClientTests {

	private final AddressSet trusted = AddressSet.of(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("2001:db8:1::/48")));

	@Test
	void theRightMostUntrustedAddressIsTheClient() {
		assertThat(client(headers("X-Forwarded-For", "198.51.100.7, 203.0.113.9, 10.0.0.2"))).isEqualTo("203.0.113.9");
	}

	@Test
	void addressesLeftOfTheClientAreTheClientsOwnClaimsAndIgnored() {
		assertThat(client(headers("X-Forwarded-For", "10.0.0.5, 203.0.113.9"))).isEqualTo("203.0.113.9");
	}

	@Test
	void severalHeaderLinesFormOneList() {
		HttpHeaders headers = new DefaultHttpHeaders().add("X-Forwarded-For", "203.0.113.9")
			.add("X-Forwarded-For", "10.0.0.3");
		assertThat(client(headers)).isEqualTo("203.0.113.9");
	}

	@Test
	void whenEveryHopIsTrustedTheLeftMostIsTheClient() {
		assertThat(client(headers("X-Forwarded-For", "10.0.0.9, 10.0.0.8"))).isEqualTo("10.0.0.9");
	}

	@Test
	void anEntryThatIsNoAddressEndsTheWalkAtTheLastTrustedHop() {
		assertThat(client(headers("X-Forwarded-For", "203.0.113.9, unknown, 10.0.0.8"))).isEqualTo("10.0.0.8");
		assertThat(client(headers("X-Forwarded-For", "garbage"))).isNull();
	}

	@Test
	void aHostNameInTheHeaderIsNeverLookedUp() {
		assertThat(client(headers("X-Forwarded-For", "localhost"))).isNull();
	}

	@Test
	void portsAndBracketsAreUnderstood() {
		assertThat(client(headers("X-Forwarded-For", "203.0.113.9:4711"))).isEqualTo("203.0.113.9");
		assertThat(client(headers("X-Forwarded-For", "[2001:db8:cafe::17]:4711")))
			.isEqualTo("2001:db8:cafe:0:0:0:0:17");
		assertThat(client(headers("X-Forwarded-For", "2001:db8:cafe::17, 2001:db8:1::1")))
			.isEqualTo("2001:db8:cafe:0:0:0:0:17");
	}

	@Test
	void forwardedNamesTheClientInItsForParameters() {
		HttpHeaders headers = headers("Forwarded",
				"for=198.51.100.1;proto=https, for=\"[2001:db8:cafe::17]:4711\";by=10.0.0.1, For=10.0.0.2");
		InetSocketAddress client = ForwardedClient.resolve(headers, this.trusted);
		assertThat(client.getAddress().getHostAddress()).isEqualTo("2001:db8:cafe:0:0:0:0:17");
		assertThat(client.getPort()).isEqualTo(4711);
	}

	@Test
	void forwardedWinsOverXForwardedFor() {
		HttpHeaders headers = headers("Forwarded", "for=203.0.113.1").add("X-Forwarded-For", "203.0.113.2");
		assertThat(client(headers)).isEqualTo("203.0.113.1");
	}

	@Test
	void anObfuscatedForwardedNodeEndsTheWalk() {
		assertThat(client(headers("Forwarded", "for=203.0.113.1, for=_hidden, for=10.0.0.7"))).isEqualTo("10.0.0.7");
	}

	@Test
	void withoutForwardingHeadersThereIsNoClient() {
		assertThat(client(new DefaultHttpHeaders())).isNull();
	}

	private String client(HttpHeaders headers) {
		InetSocketAddress client = ForwardedClient.resolve(headers, this.trusted);
		return (client != null) ? client.getAddress().getHostAddress() : null;
	}

	private static HttpHeaders headers(String name, String value) {
		return new DefaultHttpHeaders().add(name, value);
	}

}
