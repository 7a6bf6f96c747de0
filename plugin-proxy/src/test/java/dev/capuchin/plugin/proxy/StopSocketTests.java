package dev.capuchin.plugin.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.testing.KernelFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The proxy across the server's stop: its kept-alive connections to backends close while
 * the worker loops they live on still run.
 */
@EveryTransport
class StopSocketTests {

	@TempDir
	Path temp;

	@Parameter
	Transport transport;

	@Test
	void stoppingClosesTheKeptConnectionsToBackends() throws Exception {
		try (CountingBackend backend = new CountingBackend()) {
			KernelFixture kernel = KernelFixture.builder(this.temp)
				.transport(this.transport)
				.plugin(new ProxyPlugin(ProxySettings.DEFAULTS))
				.defaultSite(Backend.proxied("/app/", Map.of("servers", List.of(backend.url()))))
				.start();
			try {
				assertThat(kernel.get("/app/a").status()).isEqualTo(200);
				await().atMost(Duration.ofSeconds(5)).until(() -> backend.open() == 1);
			}
			finally {
				kernel.close();
			}
			await("the backend sees its connection closed").atMost(Duration.ofSeconds(3))
				.until(() -> backend.open() == 0);
		}
	}

	/**
	 * A backend on plain sockets that answers every request on a connection with "ok" and
	 * counts the connections its clients have not closed.
	 */
	private static final class CountingBackend implements AutoCloseable {

		private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());

		private final AtomicInteger open = new AtomicInteger();

		CountingBackend() throws IOException {
			Thread acceptor = new Thread(this::accept, "counting-backend");
			acceptor.setDaemon(true);
			acceptor.start();
		}

		String url() {
			return "http://127.0.0.1:" + this.server.getLocalPort();
		}

		int open() {
			return this.open.get();
		}

		private void accept() {
			while (!this.server.isClosed()) {
				try {
					Socket socket = this.server.accept();
					this.open.incrementAndGet();
					Thread serving = new Thread(() -> serve(socket), "counting-backend-connection");
					serving.setDaemon(true);
					serving.start();
				}
				catch (IOException ex) {
					return;
				}
			}
		}

		private void serve(Socket socket) {
			try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
				int matched = 0;
				int read;
				while ((read = in.read()) != -1) {
					// the requests carry no body: each ends with its empty line
					matched = (read == "\r\n\r\n".charAt(matched)) ? matched + 1 : ((read == '\r') ? 1 : 0);
					if (matched == 4) {
						matched = 0;
						out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
						out.flush();
					}
				}
			}
			catch (IOException ex) {
				// a reset ends the connection as well as a close
			}
			finally {
				this.open.decrementAndGet();
			}
		}

		@Override
		public void close() throws IOException {
			this.server.close();
		}

	}

}
