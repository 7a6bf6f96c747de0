package dev.capuchin.core.internal.tls;

import java.nio.ByteBuffer;
import java.util.List;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a ClientHello is read for TLS-ALPN-01: the hellos are the JDK client's own, taken
 * from its first flight.
 */
class AcmeTlsAlpnHandlerTests {

	@Test
	void aHelloOfferingAcmeTls1GivesItsServerNameInLowerCase() throws Exception {
		assertThat(AcmeTlsAlpnHandler.acmeTlsServerName(hello("Shop.Example.COM", "acme-tls/1")))
			.isEqualTo("shop.example.com");
	}

	@Test
	void aHelloOfferingAcmeTls1AmongOthersIsAValidation() throws Exception {
		assertThat(AcmeTlsAlpnHandler.acmeTlsServerName(hello("shop.example.com", "h2", "acme-tls/1")))
			.isEqualTo("shop.example.com");
	}

	@Test
	void aHelloOfferingHttpOnlyIsNoValidation() throws Exception {
		assertThat(AcmeTlsAlpnHandler.acmeTlsServerName(hello("shop.example.com", "h2", "http/1.1"))).isNull();
	}

	@Test
	void aHelloWithoutAlpnIsNoValidation() throws Exception {
		assertThat(AcmeTlsAlpnHandler.acmeTlsServerName(hello("shop.example.com"))).isNull();
	}

	@Test
	void aHelloWithoutServerNameIsNoValidation() throws Exception {
		assertThat(AcmeTlsAlpnHandler.acmeTlsServerName(hello(null, "acme-tls/1"))).isNull();
	}

	@Test
	void aTruncatedHelloIsNoValidation() throws Exception {
		ByteBuf whole = hello("shop.example.com", "acme-tls/1");
		for (int length : List.of(0, 10, 40, whole.readableBytes() / 2, whole.readableBytes() - 1)) {
			assertThat(AcmeTlsAlpnHandler.acmeTlsServerName(whole.slice(0, length))).as("first %d bytes", length)
				.isNull();
		}
	}

	// the ClientHello body of a JDK client: its first record less the record header (5
	// bytes) and the handshake header (4 bytes)
	private static ByteBuf hello(String serverName, String... protocols) throws Exception {
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, null, null);
		SSLEngine engine = context.createSSLEngine("peer.invalid", 443);
		engine.setUseClientMode(true);
		SSLParameters parameters = engine.getSSLParameters();
		parameters.setServerNames((serverName != null) ? List.of(new SNIHostName(serverName)) : List.of());
		parameters.setApplicationProtocols(protocols);
		engine.setSSLParameters(parameters);
		ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
		engine.wrap(ByteBuffer.allocate(0), out);
		out.flip();
		ByteBuf record = Unpooled.wrappedBuffer(out);
		int length = record.getUnsignedMedium(6);
		return record.slice(9, length);
	}

}
