package dev.capuchin.plugin.mandril;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.capuchin.core.internal.server.ListenerSettings;
import dev.capuchin.core.internal.server.ServerSettings;
import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@EveryTransport
class MandrilConnectSocketTests {

	static final InetSocketAddress FROM_127_0_0_2 = new InetSocketAddress("127.0.0.2", 0);

	@TempDir
	Path temp;

	@Parameter
	Transport transport;

	@Test
	void aDeniedClientIsClosedWithoutAResponse() throws Exception {
		MandrilPlugin mandril = new MandrilPlugin(MandrilSettings.builder().deny("127.0.0.2/32").build());
		try (KernelFixture kernel = fixture(mandril).start();
				RawHttp client = RawHttp.connect(kernel.address(), FROM_127_0_0_2)) {
			assertThat(client.isClosedByServer(2000)).isTrue();
			assertThat(mandril.deniedConnections()).isOne();
		}
	}

	@Test
	void ipv6ClientsMeetIpv6Rules() throws Exception {
		assumeIpv6Loopback();
		MandrilPlugin denyLoopback = new MandrilPlugin(MandrilSettings.builder().deny("::1/128").build());
		try (KernelFixture kernel = fixture(denyLoopback)
			.listener((listener) -> ListenerSettings.plain(new InetSocketAddress("::1", 0)))
			.start(); RawHttp client = RawHttp.connect(ipv6(kernel))) {
			assertThat(client.isClosedByServer(2000)).isTrue();
		}
		MandrilPlugin allowLoopback = new MandrilPlugin(MandrilSettings.builder().allow("::1/128").build());
		try (KernelFixture kernel = fixture(allowLoopback)
			.listener((listener) -> ListenerSettings.plain(new InetSocketAddress("::1", 0)))
			.start(); RawHttp client = RawHttp.connect(ipv6(kernel))) {
			assertThat(client.exchange(RawHttp.get("/a.txt", "localhost")).status()).isEqualTo(200);
		}
	}

	private static InetSocketAddress ipv6(KernelFixture kernel) {
		return new InetSocketAddress("::1", kernel.server().boundAddresses().get(0).getPort());
	}

	private static void assumeIpv6Loopback() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
			Assumptions.assumeTrue(socket.isBound());
		}
		catch (IOException ex) {
			Assumptions.abort("no IPv6 loopback here: " + ex.getMessage());
		}
	}

	@Test
	void aDeniedClientGetsNoResponseEvenWhenItSendsARequest() throws Exception {
		MandrilPlugin mandril = new MandrilPlugin(MandrilSettings.builder().deny("127.0.0.2/31").build());
		try (KernelFixture kernel = fixture(mandril).start();
				RawHttp client = RawHttp.connect(kernel.address(), FROM_127_0_0_2)) {
			try {
				client.send(RawHttp.get("/a.txt", "localhost"));
			}
			catch (IOException ex) {
				// the server may have closed first
			}
			assertThat(client.isClosedByServer(2000)).isTrue();
		}
	}

	@Test
	void anAllowedClientIsServed() throws Exception {
		MandrilPlugin mandril = new MandrilPlugin(MandrilSettings.builder().deny("127.0.0.2/32").build());
		try (KernelFixture kernel = fixture(mandril).start()) {
			RawHttp.Response response = kernel.get("/a.txt");
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.text()).isEqualTo("static");
			assertThat(mandril.deniedConnections()).isZero();
		}
	}

	@Test
	void anAllowListAdmitsOnlyItsAddresses() throws Exception {
		MandrilPlugin mandril = new MandrilPlugin(MandrilSettings.builder().allow("127.0.0.1").build());
		try (KernelFixture kernel = fixture(mandril).start()) {
			try (RawHttp client = RawHttp.connect(kernel.address(), FROM_127_0_0_2)) {
				assertThat(client.isClosedByServer(2000)).isTrue();
			}
			assertThat(kernel.get("/a.txt").status()).isEqualTo(200);
		}
	}

	@Test
	void denyWinsOverAllow() throws Exception {
		MandrilPlugin mandril = new MandrilPlugin(
				MandrilSettings.builder().allow("127.0.0.0/8").deny("127.0.0.2").build());
		try (KernelFixture kernel = fixture(mandril).start()) {
			try (RawHttp client = RawHttp.connect(kernel.address(), FROM_127_0_0_2)) {
				assertThat(client.isClosedByServer(2000)).isTrue();
			}
			assertThat(kernel.get("/a.txt").status()).isEqualTo(200);
		}
	}

	@Test
	void listenerRulesApplyOnlyToTheirListener() throws Exception {
		int open = freePort();
		int guarded = freePort();
		MandrilPlugin mandril = new MandrilPlugin(MandrilSettings.builder()
			.listener(new InetSocketAddress("127.0.0.1", guarded), IpRules.of(List.of(), List.of("127.0.0.2")))
			.build());
		try (KernelFixture kernel = fixture(mandril)
			.listener((listener) -> ListenerSettings.plain(new InetSocketAddress("127.0.0.1", open)))
			.settings((settings) -> withListeners(settings, settings.listeners().get(0),
					ListenerSettings.plain(new InetSocketAddress("127.0.0.1", guarded))))
			.start()) {
			try (RawHttp client = RawHttp.connect(new InetSocketAddress("127.0.0.1", open), FROM_127_0_0_2)) {
				assertThat(client.exchange(RawHttp.get("/a.txt", "localhost")).status()).isEqualTo(200);
			}
			try (RawHttp client = RawHttp.connect(new InetSocketAddress("127.0.0.1", guarded), FROM_127_0_0_2)) {
				assertThat(client.isClosedByServer(2000)).isTrue();
			}
			try (RawHttp client = RawHttp.connect(new InetSocketAddress("127.0.0.1", guarded))) {
				assertThat(client.exchange(RawHttp.get("/a.txt", "localhost")).status()).isEqualTo(200);
			}
		}
	}

	@Test
	void aClientMayHoldOnlyMaxConnectionsPerIp() throws Exception {
		MandrilPlugin mandril = new MandrilPlugin(MandrilSettings.builder().maxConnectionsPerIp(2).build());
		InetAddress local = InetAddress.getByName("127.0.0.1");
		try (KernelFixture kernel = fixture(mandril).start();
				RawHttp first = kernel.connect();
				RawHttp second = kernel.connect()) {
			assertThat(first.exchange(RawHttp.get("/a.txt", "localhost")).status()).isEqualTo(200);
			assertThat(second.exchange(RawHttp.get("/a.txt", "localhost")).status()).isEqualTo(200);
			try (RawHttp third = kernel.connect()) {
				assertThat(third.isClosedByServer(2000)).isTrue();
			}
			assertThat(mandril.limitedConnections()).isOne();
			try (RawHttp other = RawHttp.connect(kernel.address(), FROM_127_0_0_2)) {
				assertThat(other.exchange(RawHttp.get("/a.txt", "localhost")).status())
					.as("another address has its own count")
					.isEqualTo(200);
			}
			first.close();
			await().atMost(Duration.ofSeconds(5)).until(() -> mandril.openConnections(local) == 1);
			try (RawHttp fourth = kernel.connect()) {
				assertThat(fourth.exchange(RawHttp.get("/a.txt", "localhost")).status()).isEqualTo(200);
			}
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> mandril.openConnections(local) == 0);
	}

	@Test
	void refusedConnectionsAreNotCountedAgainstTheLimit() throws Exception {
		MandrilPlugin mandril = new MandrilPlugin(
				MandrilSettings.builder().deny("127.0.0.2").maxConnectionsPerIp(1).build());
		try (KernelFixture kernel = fixture(mandril).start()) {
			for (int i = 0; i < 3; i++) {
				try (RawHttp denied = RawHttp.connect(kernel.address(), FROM_127_0_0_2)) {
					assertThat(denied.isClosedByServer(2000)).isTrue();
				}
			}
			assertThat(mandril.openConnections(InetAddress.getByName("127.0.0.2"))).isZero();
			assertThat(kernel.get("/a.txt").status()).isEqualTo(200);
		}
	}

	private KernelFixture.Builder fixture(MandrilPlugin mandril) throws IOException {
		return KernelFixture.builder(this.temp).transport(this.transport).file("a.txt", "static").plugin(mandril);
	}

	static ServerSettings withListeners(ServerSettings settings, ListenerSettings... listeners) {
		return new ServerSettings(List.of(listeners), settings.workers(), settings.transport(), settings.balancing(),
				settings.limits(), settings.fdt(), settings.shutdownTimeout());
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			return socket.getLocalPort();
		}
	}

}
