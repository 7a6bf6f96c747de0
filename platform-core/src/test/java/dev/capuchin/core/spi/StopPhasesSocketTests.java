package dev.capuchin.core.spi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The order of the server's stop as plugins see it: {@link Plugin#drain()} while the
 * worker loops run, {@link Plugin#stop()} once they ended and no event is left.
 */
@EveryTransport
class StopPhasesSocketTests {

	@TempDir
	Path temp;

	@Parameter
	Transport transport;

	@Test
	void pluginsDrainWhileTheLoopsRunAndStopAfterTheLastEvents() throws Exception {
		Recorder recorder = new Recorder();
		KernelFixture kernel = KernelFixture.builder(this.temp)
			.transport(this.transport)
			.file("a.txt", "static")
			.plugin(recorder)
			.start();
		try (RawHttp client = kernel.connect()) {
			// a kept-alive connection, idle when the stop begins: its CLOSE event comes
			// during the stop
			assertThat(client.exchange(RawHttp.get("/a.txt", "localhost")).status()).isEqualTo(200);
			// the LOG event follows the response's last write by a moment
			await().atMost(Duration.ofSeconds(5)).until(() -> recorder.events.contains("log"));
			kernel.close();
		}
		assertThat(recorder.events).containsSubsequence("log", "drain", "stop")
			.containsSubsequence("close", "stop")
			.endsWith("stop");
		assertThat(recorder.loopRanTaskAtDrain).as("a task submitted to a worker loop while draining ran").isTrue();
		assertThat(recorder.loopsEndedAtStop).as("the worker loops ended before the plugins stopped").isTrue();
	}

	@Test
	void pluginsThatOnlyStopKeepWorking() throws Exception {
		List<String> stopped = new CopyOnWriteArrayList<>();
		Plugin plain = new Plugin() {

			@Override
			public String name() {
				return "plain";
			}

			@Override
			public Set<Stage> stages() {
				return Set.of(Stage.LOG);
			}

			@Override
			public void stop() {
				stopped.add("stop");
			}

		};
		KernelFixture kernel = KernelFixture.builder(this.temp)
			.transport(this.transport)
			.file("a.txt", "static")
			.plugin(plain)
			.start();
		assertThat(kernel.get("/a.txt").status()).isEqualTo(200);
		kernel.close();
		assertThat(stopped).containsExactly("stop");
	}

	/** Records the events and the hooks in the order they come. */
	private static final class Recorder implements Plugin {

		final List<String> events = new CopyOnWriteArrayList<>();

		private volatile EventLoopGroup loops;

		volatile boolean loopRanTaskAtDrain;

		volatile boolean loopsEndedAtStop;

		@Override
		public String name() {
			return "recorder";
		}

		@Override
		public Set<Stage> stages() {
			return Set.of(Stage.LOG, Stage.CLOSE);
		}

		@Override
		public void start(NodeContext node) {
			this.loops = node.clientLoops().onClient(node.nativeTransport());
		}

		@Override
		public void onLog(LogEvent event) {
			this.events.add("log");
		}

		@Override
		public void onClose(ClientConnection connection) {
			this.events.add("close");
		}

		@Override
		public void drain() {
			this.events.add("drain");
			try {
				this.loops.next().submit(() -> this.loopRanTaskAtDrain = true).await(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		@Override
		public void stop() {
			this.loopsEndedAtStop = this.loops.isTerminated();
			this.events.add("stop");
		}

	}

}
