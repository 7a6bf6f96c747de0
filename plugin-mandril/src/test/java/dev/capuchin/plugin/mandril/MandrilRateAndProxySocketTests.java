package dev.capuchin.plugin.mandril;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import dev.capuchin.core.spi.RequestResult;
import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.spi.Exchange;
import dev.capuchin.core.spi.LogEvent;
import dev.capuchin.core.spi.Plugin;
import dev.capuchin.core.spi.Stage;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.yaml.snakeyaml.Yaml;
import reactor.core.publisher.Mono;

import static dev.capuchin.plugin.mandril.MandrilConnectSocketTests.FROM_127_0_0_2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@EveryTransport
class MandrilRateAndProxySocketTests {

	@TempDir
	Path temp;

	@Parameter
	Transport transport;

	private final List<String> seenByRequest = new CopyOnWriteArrayList<>();

	private final List<String> seenByLog = new CopyOnWriteArrayList<>();

	@Test
	void aClientOverTheRateGets429WithRetryAfterThenRecovers() throws Exception {
		AtomicLong now = new AtomicLong();
		MandrilPlugin mandril = new MandrilPlugin(MandrilSettings.builder().rate(1, 2).build(), now::get);
		try (KernelFixture kernel = fixture(mandril).start(); RawHttp client = kernel.connect()) {
			assertThat(client.exchange(RawHttp.get("/a.txt", "localhost")).status()).isEqualTo(200);
			assertThat(client.exchange(RawHttp.get("/a.txt", "localhost")).status()).isEqualTo(200);
			RawHttp.Response limited = client.exchange(RawHttp.get("/a.txt", "localhost"));
			assertThat(limited.status()).isEqualTo(429);
			assertThat(limited.header("Retry-After")).isEqualTo("1");
			assertThat(mandril.rateLimitedRequests()).isOne();
			now.addAndGet(Duration.ofSeconds(Long.parseLong(limited.header("Retry-After"))).toNanos());
			assertThat(client.exchange(RawHttp.get("/a.txt", "localhost")).status())
				.as("the same connection after Retry-After")
				.isEqualTo(200);
		}
	}

	@Test
	void aSlowRateAsksForALongerRetryAfter() throws Exception {
		MandrilPlugin mandril = new MandrilPlugin(MandrilSettings.builder().rate(0.25, 1).build());
		try (KernelFixture kernel = fixture(mandril).start(); RawHttp client = kernel.connect()) {
			assertThat(client.exchange(RawHttp.get("/a.txt", "localhost")).status()).isEqualTo(200);
			RawHttp.Response limited = client.exchange(RawHttp.get("/a.txt", "localhost"));
			assertThat(limited.status()).isEqualTo(429);
			assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(3L, 4L);
		}
	}

	@Test
	void eachClientAddressHasItsOwnRate() throws Exception {
		MandrilPlugin mandril = new MandrilPlugin(MandrilSettings.builder().rate(0.2, 1).build());
		try (KernelFixture kernel = fixture(mandril).start()) {
			assertThat(kernel.get("/a.txt").status()).isEqualTo(200);
			assertThat(kernel.get("/a.txt").status()).isEqualTo(429);
			try (RawHttp other = RawHttp.connect(kernel.address(), FROM_127_0_0_2)) {
				assertThat(other.exchange(RawHttp.get("/a.txt", "localhost")).status()).isEqualTo(200);
			}
		}
	}

	@Test
	void aSiteRateLimitsOnlyThatSite() throws Exception {
		Path other = Files.createDirectories(this.temp.resolve("other"));
		Files.writeString(other.resolve("a.txt"), "other");
		MandrilPlugin mandril = new MandrilPlugin(MandrilSettings.builder().build());
		try (KernelFixture kernel = fixture(mandril)
			.defaultSite(new Yaml().load("mandril: { rate: { requests-per-second: 1, burst: 2 } }"))
			.site(Map.of("name", "other", "server-names", List.of("other.test"), "document-root", other.toString()))
			.start()) {
			assertThat(kernel.get("/a.txt").status()).isEqualTo(200);
			assertThat(kernel.get("/a.txt").status()).isEqualTo(200);
			RawHttp.Response limited = kernel.get("/a.txt");
			assertThat(limited.status()).isEqualTo(429);
			assertThat(limited.header("Retry-After")).isEqualTo("1");
			for (int i = 0; i < 5; i++) {
				assertThat(MandrilRequestSocketTests.get(kernel, "/a.txt", null, "other.test").status()).isEqualTo(200);
			}
		}
	}

	@Test
	void aTrustedProxyNamesTheRealClientForLaterPlugins() throws Exception {
		MandrilPlugin mandril = new MandrilPlugin(MandrilSettings.builder().trustedProxies("127.0.0.1/32").build());
		try (KernelFixture kernel = fixture(mandril).plugin(recorder()).start()) {
			RawHttp.Response response = MandrilRequestSocketTests.get(kernel, "/a.txt",
					"X-Forwarded-For: 192.0.2.44, 198.51.100.7");
			assertThat(response.status()).isEqualTo(200);
			await().atMost(Duration.ofSeconds(5)).until(() -> this.seenByLog.size() == 1);
			assertThat(this.seenByRequest).containsExactly("198.51.100.7");
			assertThat(this.seenByLog).containsExactly("198.51.100.7");
		}
	}

	@Test
	void forwardingHeadersFromAnUntrustedPeerAreIgnored() throws Exception {
		MandrilPlugin mandril = new MandrilPlugin(MandrilSettings.builder().trustedProxies("127.0.0.1/32").build());
		try (KernelFixture kernel = fixture(mandril).plugin(recorder()).start();
				RawHttp client = RawHttp.connect(kernel.address(), FROM_127_0_0_2)) {
			client.exchange("GET /a.txt HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: 198.51.100.7\r\n"
					+ "Forwarded: for=198.51.100.8\r\n\r\n");
			assertThat(this.seenByRequest).containsExactly("127.0.0.2");
		}
	}

	@Test
	void siteAddressRulesApplyToTheForwardedClient() throws Exception {
		MandrilPlugin mandril = new MandrilPlugin(MandrilSettings.builder().trustedProxies("127.0.0.1").build());
		try (KernelFixture kernel = fixture(mandril)
			.defaultSite(new Yaml().load("mandril: { ip: { deny: [203.0.113.0/24] } }"))
			.start()) {
			assertThat(MandrilRequestSocketTests.get(kernel, "/a.txt", "X-Forwarded-For: 203.0.113.9").status())
				.isEqualTo(403);
			assertThat(MandrilRequestSocketTests.get(kernel, "/a.txt", "Forwarded: for=\"203.0.113.9:1234\"").status())
				.isEqualTo(403);
			assertThat(MandrilRequestSocketTests.get(kernel, "/a.txt", "X-Forwarded-For: 198.51.100.7").status())
				.isEqualTo(200);
			assertThat(MandrilRequestSocketTests.get(kernel, "/a.txt", "X-Forwarded-For: 203.0.113.9, 198.51.100.7")
				.status()).as("the client's own claim left of the proxy's entry").isEqualTo(200);
		}
	}

	@Test
	void aClientBehindAnUntrustedPeerCannotDodgeSiteRulesWithAHeader() throws Exception {
		MandrilPlugin mandril = new MandrilPlugin(MandrilSettings.builder().trustedProxies("127.0.0.1").build());
		try (KernelFixture kernel = fixture(mandril)
			.defaultSite(new Yaml().load("mandril: { ip: { deny: [127.0.0.2] } }"))
			.start(); RawHttp client = RawHttp.connect(kernel.address(), FROM_127_0_0_2)) {
			RawHttp.Response response = client
				.exchange("GET /a.txt HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: 198.51.100.7\r\n\r\n");
			assertThat(response.status()).isEqualTo(403);
		}
	}

	@Test
	void globalAddressRulesApplyToTheForwardedClient() throws Exception {
		MandrilPlugin mandril = new MandrilPlugin(
				MandrilSettings.builder().deny("203.0.113.0/24").trustedProxies("127.0.0.1").build());
		try (KernelFixture kernel = fixture(mandril).start()) {
			assertThat(MandrilRequestSocketTests.get(kernel, "/a.txt", "X-Forwarded-For: 203.0.113.9").status())
				.isEqualTo(403);
			assertThat(kernel.get("/a.txt").status()).isEqualTo(200);
		}
	}

	@Test
	void theRateIsCountedPerForwardedClient() throws Exception {
		MandrilPlugin mandril = new MandrilPlugin(
				MandrilSettings.builder().rate(0.2, 1).trustedProxies("127.0.0.1").build());
		try (KernelFixture kernel = fixture(mandril).start(); RawHttp proxy = kernel.connect()) {
			assertThat(proxy.exchange(forwarded("198.51.100.1")).status()).isEqualTo(200);
			assertThat(proxy.exchange(forwarded("198.51.100.1")).status()).isEqualTo(429);
			assertThat(proxy.exchange(forwarded("198.51.100.2")).status()).isEqualTo(200);
			assertThat(proxy.exchange(forwarded("198.51.100.2")).status()).isEqualTo(429);
		}
	}

	private static String forwarded(String client) {
		return "GET /a.txt HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: " + client + "\r\n\r\n";
	}

	private KernelFixture.Builder fixture(MandrilPlugin mandril) throws IOException {
		return KernelFixture.builder(this.temp).transport(this.transport).file("a.txt", "static").plugin(mandril);
	}

	private Plugin recorder() {
		return new Plugin() {

			@Override
			public String name() {
				return "recorder";
			}

			@Override
			public Set<Stage> stages() {
				return Set.of(Stage.REQUEST, Stage.LOG);
			}

			@Override
			public Mono<RequestResult> onRequest(Exchange exchange) {
				MandrilRateAndProxySocketTests.this.seenByRequest.add(address(exchange.clientAddress()));
				return CONTINUE;
			}

			@Override
			public void onLog(LogEvent event) {
				MandrilRateAndProxySocketTests.this.seenByLog.add(address(event.clientAddress()));
			}

		};
	}

	private static String address(InetSocketAddress address) {
		return address.getAddress().getHostAddress();
	}

}
