package dev.capuchin.plugin.fastcgi;

import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;

import io.netty.channel.unix.DomainSocketAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link FastCgiAddress}.
 */
class FastCgiAddressTests {

	@Test
	void unixSocketIsParsed() {
		FastCgiAddress address = FastCgiAddress.parse("unix:/run/php/php-fpm.sock");
		assertThat(address.isUnix()).isTrue();
		assertThat(address.socketAddress(false)).isEqualTo(new DomainSocketAddress("/run/php/php-fpm.sock"));
		assertThat(address.socketAddress(true)).isEqualTo(UnixDomainSocketAddress.of("/run/php/php-fpm.sock"));
		assertThat(address).hasToString("unix:/run/php/php-fpm.sock");
	}

	@Test
	void hostAndPortAreParsed() {
		FastCgiAddress address = FastCgiAddress.parse("127.0.0.1:9000");
		assertThat(address.isUnix()).isFalse();
		assertThat(address.socketAddress(false)).isEqualTo(InetSocketAddress.createUnresolved("127.0.0.1", 9000));
		assertThat(address).hasToString("127.0.0.1:9000");
	}

	@Test
	void bracketedIpv6IsParsed() {
		FastCgiAddress address = FastCgiAddress.parse("[::1]:9000");
		assertThat(address.host()).isEqualTo("::1");
		assertThat(address).hasToString("[::1]:9000");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "localhost", "localhost:0", "localhost:70000", "unix:relative.sock", ":9000",
			"::1:9000", "host:port" })
	void badAddressIsRefused(String text) {
		assertThatIllegalArgumentException().isThrownBy(() -> FastCgiAddress.parse(text))
			.withMessageContaining("expected");
	}

}
