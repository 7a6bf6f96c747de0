package dev.capuchin.core.internal.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.capuchin.core.internal.site.SiteLoader;
import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.spi.Exchange;
import dev.capuchin.core.spi.HandleResult;
import dev.capuchin.core.spi.Plugin;
import dev.capuchin.core.spi.Stage;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * A location's {@code max-body-size} replaces the server's: larger uploads where a
 * location allows them, the server's limit everywhere else, and the limit handlers see.
 */
@EveryTransport
class LocationBodyLimitSocketTests {

	private static final long SERVER_LIMIT = 1024;

	@TempDir
	Path temp;

	@Parameter
	Transport transport;

	@Test
	void aLocationAcceptsABodyLargerThanTheServersLimit() throws Exception {
		try (KernelFixture kernel = start(); RawHttp http = kernel.connect()) {
			String body = "x".repeat(100_000);
			RawHttp.Response response = http.exchange("POST /uploads/file HTTP/1.1\r\nHost: localhost\r\n"
					+ "Content-Length: " + body.length() + "\r\n\r\n" + body);
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.text()).isEqualTo("read 100000 of at most 2097152");
		}
	}

	@Test
	void aBodyLargerThanTheLocationsLimitIs413BeforeAnyHandlerRuns() throws Exception {
		try (KernelFixture kernel = start(); RawHttp http = kernel.connect()) {
			RawHttp.Response response = http.exchange("POST /uploads/file HTTP/1.1\r\nHost: localhost\r\n"
					+ "Content-Length: " + (2 * 1024 * 1024 + 1) + "\r\n\r\n");
			assertThat(response.status()).isEqualTo(413);
		}
	}

	@Test
	void elsewhereTheServersLimitStays() throws Exception {
		try (KernelFixture kernel = start(); RawHttp http = kernel.connect()) {
			RawHttp.Response response = http.exchange("POST /other HTTP/1.1\r\nHost: localhost\r\n" + "Content-Length: "
					+ (SERVER_LIMIT + 1) + "\r\n\r\n");
			assertThat(response.status()).isEqualTo(413);
		}
	}

	@Test
	void aLimitThatIsNotASizeIsRefusedNamingTheField() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new SiteLoader(this.temp, SiteLoader.MissingFiles.ALLOW)
				.parse(Map.of("name", "shop", "document-root", this.temp.toString(), "locations",
						List.of(Map.of("path", "/uploads/", "max-body-size", "lots"))), null))
			.withMessageContaining("locations[0].max-body-size: 'lots' (expected: a size such as");
	}

	private KernelFixture start() throws Exception {
		Limits defaults = Limits.DEFAULTS;
		Limits limits = new Limits(defaults.maxRequestLine(), defaults.maxHeaderSize(), defaults.maxHeaderCount(),
				SERVER_LIMIT, defaults.keepAliveTimeout(), defaults.requestReadTimeout(),
				defaults.maxRequestsPerConnection(), defaults.maxConnections(), defaults.maxConnectionsPerClient());
		return KernelFixture.builder(this.temp)
			.transport(this.transport)
			.settings((settings) -> settings.withLimits(limits).withShutdownTimeout(Duration.ofSeconds(1)))
			.defaultSite(Map.of("locations", List.of(Map.of("path", "/uploads/", "max-body-size", "2MB"))))
			.plugin(new BodyCounter())
			.start();
	}

	/** Reads the whole body and says how long it was and what the limit was. */
	private static final class BodyCounter implements Plugin {

		@Override
		public String name() {
			return "body-counter";
		}

		@Override
		public Set<Stage> stages() {
			return Set.of(Stage.HANDLE);
		}

		@Override
		public Mono<HandleResult> handle(Exchange exchange) {
			return exchange.request()
				.receive()
				.map(ByteBuf::readableBytes)
				.reduce(0L, (total, length) -> total + length)
				.flatMap((total) -> exchange.response()
					.sendString(Mono.just("read " + total + " of at most " + exchange.maxBodySize()))
					.then())
				.thenReturn(HandleResult.DONE);
		}

	}

}
