package dev.capuchin.core.internal.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.internal.worker.Balancing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Name-based and IP-based virtual hosts over real sockets: the site that answers is the
 * one the request names, on the address it arrived on. Runs on every transport.
 */
@EveryTransport
class VirtualHostSocketTests {

	@TempDir
	Path temp;

	private KernelFixture kernel;

	@Parameter
	Transport transport;

	/**
	 * Skips before any test asks this transport for its socket options, which an
	 * unavailable native transport cannot answer.
	 */
	@BeforeEach
	void transportIsAvailable() {
		assumeTrue(this.transport.isAvailable(), () -> this.transport.configName() + " is not available here");
	}

	@AfterEach
	void stop() {
		if (this.kernel != null) {
			this.kernel.close();
		}
	}

	@Test
	void hostHeaderChoosesTheSite() throws IOException {
		start(new InetSocketAddress("127.0.0.1", 0));
		assertThat(whoAnswers(this.kernel.address(), "a.test")).isEqualTo("site a");
		assertThat(whoAnswers(this.kernel.address(), "b.test")).isEqualTo("site b");
	}

	@Test
	void hostHeaderWithPortChoosesTheSite() throws IOException {
		start(new InetSocketAddress("127.0.0.1", 0));
		assertThat(whoAnswers(this.kernel.address(), "b.test:" + this.kernel.port())).isEqualTo("site b");
	}

	@Test
	void eachRequestOnAKeptAliveConnectionChoosesItsOwnSite() throws IOException {
		start(new InetSocketAddress("127.0.0.1", 0));
		try (RawHttp http = this.kernel.connect()) {
			assertThat(http.exchange(RawHttp.get("/who.txt", "a.test")).text()).isEqualTo("site a");
			assertThat(http.exchange(RawHttp.get("/who.txt", "b.test")).text()).isEqualTo("site b");
			assertThat(http.exchange(RawHttp.get("/who.txt", "a.test")).text()).isEqualTo("site a");
		}
	}

	@Test
	void unknownHostGoesToTheDefaultSite() throws IOException {
		start(new InetSocketAddress("127.0.0.1", 0));
		assertThat(whoAnswers(this.kernel.address(), "nobody.test")).isEqualTo("default site");
	}

	@Test
	void wildcardSiteAnswersItsSubdomains() throws IOException {
		start(new InetSocketAddress("127.0.0.1", 0));
		assertThat(whoAnswers(this.kernel.address(), "www.wild.test")).isEqualTo("site wild");
		assertThat(whoAnswers(this.kernel.address(), "a.b.wild.test")).isEqualTo("site wild");
		assertThat(whoAnswers(this.kernel.address(), "wild.test")).isEqualTo("default site");
	}

	@Test
	void absoluteFormTargetChoosesTheSiteFromTheUri() throws IOException {
		start(new InetSocketAddress("127.0.0.1", 0));
		try (RawHttp http = this.kernel.connect()) {
			RawHttp.Response response = http
				.exchange("GET http://b.test/who.txt HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n");
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.text()).isEqualTo("site b");
		}
	}

	@Test
	void absoluteFormTargetWithPortChoosesTheSite() throws IOException {
		start(new InetSocketAddress("127.0.0.1", 0));
		assertThat(absoluteForm("http://b.test:" + this.kernel.port() + "/who.txt", "a.test")).isEqualTo("site b");
	}

	@Test
	void absoluteFormTargetIsMatchedCaseInsensitively() throws IOException {
		start(new InetSocketAddress("127.0.0.1", 0));
		assertThat(absoluteForm("HTTP://B.Test/who.txt", "a.test")).isEqualTo("site b");
	}

	@Test
	void absoluteFormTargetWithQueryAndNoPathChoosesTheSite() throws IOException {
		start(new InetSocketAddress("127.0.0.1", 0));
		Files.writeString(this.temp.resolve("b/index.html"), "index b", StandardCharsets.UTF_8);
		assertThat(absoluteForm("http://b.test?page=1", "a.test")).isEqualTo("index b");
	}

	@Test
	void absoluteFormTargetWithUserInfoIsRefused() throws IOException {
		start(new InetSocketAddress("127.0.0.1", 0));
		assertThat(absoluteFormStatus("http://a.test@b.test/who.txt")).isEqualTo(400);
	}

	@Test
	void absoluteFormTargetWithEmptyHostIsRefused() throws IOException {
		start(new InetSocketAddress("127.0.0.1", 0));
		assertThat(absoluteFormStatus("http:///who.txt")).isEqualTo(400);
	}

	@Test
	void ipBasedSiteAnswersOnlyOnItsAddress() throws IOException {
		start(new InetSocketAddress("0.0.0.0", 0));
		int port = this.kernel.port();
		Path root = Files.createDirectories(this.temp.resolve("ip"));
		Files.writeString(root.resolve("who.txt"), "site ip", StandardCharsets.UTF_8);
		this.kernel.addSite(Map.of("name", "ip", "server-names", List.of("a.test"), "listen", "127.0.0.2:" + port,
				"document-root", root.toString()));
		assertThat(whoAnswers(new InetSocketAddress("127.0.0.2", port), "a.test")).isEqualTo("site ip");
		assertThat(whoAnswers(new InetSocketAddress("127.0.0.2", port), "nobody.test")).isEqualTo("site ip");
		assertThat(whoAnswers(new InetSocketAddress("127.0.0.1", port), "a.test")).isEqualTo("site a");
	}

	@Test
	void portBasedSiteAnswersOnEveryReusePortSocket() throws IOException {
		assumeTrue(this.transport.serverSocketOptions().reusePort() != null, "SO_REUSEPORT is not supported");
		int port = freePort();
		this.kernel = KernelFixture.builder(this.temp)
			.transport(this.transport)
			.workers(4)
			.settings((settings) -> settings.withBalancing(Balancing.REUSEPORT))
			.listenerAddress(new InetSocketAddress("0.0.0.0", port))
			.file("who.txt", "default site")
			.site(site("a", "a.test"))
			.start();
		Path root = Files.createDirectories(this.temp.resolve("port"));
		Files.writeString(root.resolve("who.txt"), "site port", StandardCharsets.UTF_8);
		this.kernel
			.addSite(Map.of("name", "port", "listen", "*:" + port, "default", true, "document-root", root.toString()));
		for (int i = 0; i < 40; i++) {
			assertThat(whoAnswers(this.kernel.address(), "nobody.test")).as("connection %d", i).isEqualTo("site port");
		}
		assertThat(this.kernel.server().workers()).allSatisfy((worker) -> assertThat(worker.accepted()).isPositive());
	}

	private static int freePort() throws IOException {
		try (ServerSocket probe = new ServerSocket(0)) {
			return probe.getLocalPort();
		}
	}

	private void start(InetSocketAddress listener) throws IOException {
		this.kernel = KernelFixture.builder(this.temp)
			.transport(this.transport)
			.listenerAddress(listener)
			.file("who.txt", "default site")
			.site(site("a", "a.test"))
			.site(site("b", "b.test"))
			.site(site("wild", "*.wild.test"))
			.start();
		assertThat(this.kernel.server().transport().transport()).isEqualTo(this.transport);
	}

	private Map<String, Object> site(String name, String serverName) throws IOException {
		Path root = Files.createDirectories(this.temp.resolve(name));
		Files.writeString(root.resolve("who.txt"), "site " + name, StandardCharsets.UTF_8);
		return Map.of("name", name, "server-names", List.of(serverName), "document-root", root.toString());
	}

	private String absoluteForm(String target, String host) throws IOException {
		try (RawHttp http = this.kernel.connect()) {
			RawHttp.Response response = http
				.exchange("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
			assertThat(response.status()).as("status for %s", target).isEqualTo(200);
			return response.text();
		}
	}

	private int absoluteFormStatus(String target) throws IOException {
		try (RawHttp http = this.kernel.connect()) {
			return http.exchange("GET " + target + " HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n").status();
		}
	}

	private static String whoAnswers(InetSocketAddress address, String host) throws IOException {
		try (RawHttp http = RawHttp.connect(address)) {
			RawHttp.Response response = http
				.exchange("GET /who.txt HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
			assertThat(response.status()).as("status from %s for Host %s", address, host).isEqualTo(200);
			return response.text();
		}
	}

}
