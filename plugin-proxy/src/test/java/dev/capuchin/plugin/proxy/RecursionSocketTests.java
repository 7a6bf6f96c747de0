package dev.capuchin.plugin.proxy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Monkey's recursion case: a node listed among its own servers, and a loop through
 * another proxy.
 */
class RecursionSocketTests {

	@TempDir
	Path temp;

	private KernelFixture a;

	private KernelFixture b;

	private Backend backend;

	@AfterEach
	void close() {
		if (this.a != null) {
			this.a.close();
		}
		if (this.b != null) {
			this.b.close();
		}
		if (this.backend != null) {
			this.backend.close();
		}
	}

	private KernelFixture kernel(Path dir, int port, List<String> servers) throws Exception {
		return KernelFixture.builder(dir)
			.listenerAddress(new InetSocketAddress("127.0.0.1", port))
			.plugin(new ProxyPlugin(ProxySettings.DEFAULTS))
			.defaultSite(Backend.proxied("/app/", Map.of("servers", servers, "balancer", "first-alive")))
			.start();
	}

	@Test
	void ownListenerInTheListIsSkipped() throws Exception {
		this.backend = Backend.named("b");
		int port = RefusedPort.find();
		this.a = kernel(this.temp, port, List.of("http://127.0.0.1:" + port, this.backend.url()));
		RawHttp.Response response = this.a.get("/app/");
		assertThat(response.status()).isEqualTo(200);
		assertThat(Backend.text(response.body())).isEqualTo("b");
	}

	@Test
	void listOfOnlyThisNodeGives508() throws Exception {
		int port = RefusedPort.find();
		this.a = kernel(this.temp, port, List.of("http://127.0.0.1:" + port, "http://localhost:" + port));
		assertThat(this.a.get("/app/").status()).isEqualTo(508);
	}

	@Test
	void requestWithThisNodeInViaGives508() throws Exception {
		this.backend = Backend.named("b");
		this.a = kernel(this.temp, 0, List.of(this.backend.url()));
		try (RawHttp http = this.a.connect()) {
			RawHttp.Response response = http.exchange("GET /app/ HTTP/1.1\r\nHost: localhost\r\nVia: 1.1 other, 1.1 "
					+ this.a.server().nodeId() + "\r\n\r\n");
			assertThat(response.status()).isEqualTo(508);
		}
		assertThat(this.backend.received).isEmpty();
	}

	@Test
	void loopThroughAnotherNodeGives508() throws Exception {
		int portA = RefusedPort.find();
		int portB = RefusedPort.find();
		this.a = kernel(this.temp.resolve("a"), portA, List.of("http://127.0.0.1:" + portB));
		this.b = kernel(this.temp.resolve("b"), portB, List.of("http://127.0.0.1:" + portA));
		assertThat(this.a.get("/app/").status()).isEqualTo(508);
	}

	@Test
	void loopAnsweredWith508MovesToTheNextServer() throws Exception {
		this.backend = Backend.named("c");
		int portA = RefusedPort.find();
		int portB = RefusedPort.find();
		this.a = kernel(this.temp.resolve("a"), portA, List.of("http://127.0.0.1:" + portB, this.backend.url()));
		this.b = kernel(this.temp.resolve("b"), portB, List.of("http://127.0.0.1:" + portA));
		RawHttp.Response response = this.a.get("/app/");
		assertThat(response.status()).isEqualTo(200);
		assertThat(Backend.text(response.body())).isEqualTo("c");
	}

}
