package dev.capuchin.core.server;

import java.nio.file.Path;

import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeTests {

	@TempDir
	Path temp;

	@Test
	void servesAFile() throws Exception {
		try (KernelFixture kernel = KernelFixture.builder(this.temp)
			.transport(System.getProperty("t", "auto"))
			.file("hello.txt", "hello")
			.start()) {
			RawHttp.Response response = kernel.get("/hello.txt");
			System.out.println(response + " body=[" + response.text() + "]");
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.text()).isEqualTo("hello");
			try (RawHttp http = kernel.connect()) {
				for (int i = 0; i < 3; i++) {
					RawHttp.Response r = http.exchange(RawHttp.get("/hello.txt", "localhost"));
					System.out.println(r.statusLine() + " " + r.headers() + " " + r.text());
				}
				RawHttp.Response r = http.exchange("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
				System.out.println(r.statusLine() + " " + r.headers() + " " + r.text());
			}
		}
	}

}
