package dev.capuchin.core.internal.worker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.spi.ClientConnection;
import dev.capuchin.core.spi.Plugin;
import dev.capuchin.core.spi.ConnectResult;
import dev.capuchin.core.spi.Stage;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@EveryTransport
class WorkerSelectionSocketTests {

	@TempDir
	Path temp;

	@Parameter
	Transport transport;

	@Test
	void aNewConnectionGoesToTheLeastLoadedWorker() throws Exception {
		WorkerRecorder recorder = new WorkerRecorder();
		try (KernelFixture kernel = KernelFixture.builder(this.temp)
			.transport(this.transport)
			.workers(3)
			.plugin(recorder)
			.file("a.txt", "a")
			.start()) {
			List<Worker> workers = kernel.server().workers();
			List<RawHttp> clients = new ArrayList<>();
			try {
				for (int i = 0; i < 4; i++) {
					clients.add(served(kernel));
				}
				// 4 connections over 3 idle workers: one worker has two
				assertThat(loads(workers)).containsExactlyInAnyOrder(2, 1, 1);
				int twoIndex = indexOf(workers, 2);
				int emptied = (twoIndex + 1) % 3;
				int other = (twoIndex + 2) % 3;
				RawHttp onEmptied = clients.stream()
					.filter((client) -> recorder.workerOf(client).equals(workers.get(emptied).name()))
					.findFirst()
					.orElseThrow();
				onEmptied.close();
				clients.remove(onEmptied);
				await().atMost(Duration.ofSeconds(5)).until(() -> workers.get(emptied).connections() == 0);
				clients.add(served(kernel));
				assertThat(workers.get(emptied).connections()).as("the idle worker got the connection").isEqualTo(1);
				assertThat(workers.get(other).connections()).isEqualTo(1);
				assertThat(workers.get(twoIndex).connections()).isEqualTo(2);
			}
			finally {
				for (RawHttp client : clients) {
					client.close();
				}
			}
		}
	}

	@Test
	void reusePortModeSpreadsConnectionsOverWorkersAndCountsThem() throws Exception {
		try (KernelFixture kernel = KernelFixture.builder(this.temp)
			.transport(this.transport)
			.workers(2)
			.settings((settings) -> settings.withBalancing(Balancing.REUSEPORT))
			.file("a.txt", "a")
			.start()) {
			List<RawHttp> clients = new ArrayList<>();
			try {
				for (int i = 0; i < 16; i++) {
					clients.add(served(kernel));
				}
				List<Worker> workers = kernel.server().workers();
				assertThat(workers.stream().mapToInt(Worker::connections).sum()).isEqualTo(16);
			}
			finally {
				for (RawHttp client : clients) {
					client.close();
				}
			}
		}
	}

	private static RawHttp served(KernelFixture kernel) throws Exception {
		RawHttp client = kernel.connect();
		assertThat(client.exchange(RawHttp.get("/a.txt", "localhost")).status()).isEqualTo(200);
		return client;
	}

	/** Records which worker each client port's connection was given, at stage CONNECT. */
	static final class WorkerRecorder implements Plugin {

		private final Map<Integer, String> workers = new ConcurrentHashMap<>();

		@Override
		public String name() {
			return "worker-recorder";
		}

		@Override
		public Set<Stage> stages() {
			return Set.of(Stage.CONNECT);
		}

		@Override
		public ConnectResult onConnect(ClientConnection connection) {
			this.workers.put(connection.remoteAddress().getPort(), connection.worker());
			return ConnectResult.CONTINUE;
		}

		String workerOf(RawHttp client) {
			return this.workers.get(client.socket().getLocalPort());
		}

	}

	private static List<Integer> loads(List<Worker> workers) {
		return workers.stream().map(Worker::connections).toList();
	}

	private static int indexOf(List<Worker> workers, int load) {
		for (int i = 0; i < workers.size(); i++) {
			if (workers.get(i).connections() == load) {
				return i;
			}
		}
		throw new AssertionError("no worker with " + load + " connections: " + loads(workers));
	}

}
