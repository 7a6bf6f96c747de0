package dev.capuchin.core.internal.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A site's {@code headers} block on the answers of the direct path, the staged path and
 * errors: added headers go out, removed ones (here the default {@code nosniff}) do not,
 * except on the server's own error pages. Runs on every transport.
 */
@EveryTransport
class SiteHeadersSocketTests {

	@TempDir
	Path temp;

	@Parameter
	Transport transport;

	private KernelFixture kernel;

	@BeforeEach
	void start() throws IOException {
		this.kernel = KernelFixture.builder(this.temp)
			.transport(this.transport)
			.defaultSite(Map.of("headers",
					Map.of("add", Map.of("X-Frame-Options", "DENY", "Content-Security-Policy", "default-src 'self'"),
							"remove", List.of("X-Content-Type-Options"))))
			.file("who.txt", "default site")
			.start();
	}

	@AfterEach
	void stop() {
		if (this.kernel != null) {
			this.kernel.close();
		}
	}

	@Test
	void directAnswerCarriesTheSiteHeaders() throws IOException {
		try (RawHttp http = this.kernel.connect()) {
			RawHttp.Response response = http.exchange(RawHttp.get("/who.txt", "localhost"));
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.header("x-frame-options")).isEqualTo("DENY");
			assertThat(response.header("content-security-policy")).isEqualTo("default-src 'self'");
			assertThat(response.header("x-content-type-options")).isNull();
			assertThat(response.header("server")).isEqualTo("Capuchin");
		}
	}

	@Test
	void stagedAnswerCarriesTheSiteHeaders() throws IOException {
		try (RawHttp http = this.kernel.connect()) {
			RawHttp.Response response = http
				.exchange("GET /who.txt HTTP/1.1\r\nHost: localhost\r\nRange: bytes=0-1\r\n\r\n");
			assertThat(response.status()).isEqualTo(206);
			assertThat(response.header("x-frame-options")).isEqualTo("DENY");
			assertThat(response.header("x-content-type-options")).isNull();
		}
	}

	@Test
	void errorAnswerCarriesTheSiteHeadersAndKeepsNosniff() throws IOException {
		try (RawHttp http = this.kernel.connect()) {
			RawHttp.Response response = http.exchange(RawHttp.get("/missing.txt", "localhost"));
			assertThat(response.status()).isEqualTo(404);
			assertThat(response.header("x-frame-options")).isEqualTo("DENY");
			// the server's own error page is never sniffed, whatever the site removes
			assertThat(response.header("x-content-type-options")).isEqualTo("nosniff");
		}
	}

}
