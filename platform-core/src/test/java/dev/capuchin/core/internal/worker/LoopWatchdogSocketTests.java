package dev.capuchin.core.internal.worker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.capuchin.core.internal.server.Limits;
import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;
import dev.capuchin.plugin.sleepy.SleepingPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The loop watchdog over a real socket, on every transport: a plugin that blocks its
 * worker's loop is named in one warning while the other workers serve on, and a loop that
 * is only busy is never reported.
 */
@EveryTransport
@ExtendWith(OutputCaptureExtension.class)
class LoopWatchdogSocketTests {

	private static final Duration WARNING = Duration.ofMillis(500);

	@TempDir
	Path temp;

	@Parameter
	Transport transport;

	@Test
	void aPluginThatBlocksItsLoopIsNamedInOneWarningWhileOtherWorkersServe(CapturedOutput output) throws Exception {
		try (KernelFixture kernel = fixture(new SleepingPlugin(Duration.ofSeconds(2)), WARNING).workers(2).start();
				RawHttp sleeper = kernel.connect()) {
			CompletableFuture<Integer> slept = CompletableFuture.supplyAsync(() -> {
				try {
					return sleeper.exchange(RawHttp.get("/sleep", "localhost")).status();
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});
			await().atMost(Duration.ofSeconds(5))
				.until(() -> (output.getOut() + output.getErr()).contains("blocked for"));
			// the sleeper's connection holds one worker; a new connection goes to the
			// other
			assertThat(slept).isNotDone();
			try (RawHttp other = kernel.connect()) {
				assertThat(other.exchange(RawHttp.get("/a.txt", "localhost")).status()).isEqualTo(200);
			}
			assertThat(slept.get(10, TimeUnit.SECONDS)).isEqualTo(200);
			assertThat(kernel.server().blockedLoopStalls()).isEqualTo(1);
		}
		String log = output.getOut() + output.getErr();
		assertThat(log).containsPattern("worker capuchin-worker-\\d+ blocked for \\d+\\.\\d s in "
				+ "dev\\.capuchin\\.plugin\\.sleepy\\.SleepingPlugin\\.blockTheLoop \\(plugin sleepy\\)");
		assertThat(log).contains("dev.capuchin.plugin.sleepy.SleepingPlugin.onRequest(SleepingPlugin.java:");
		assertThat(log.split("blocked for", -1)).hasSize(2);
	}

	@Test
	void aLoopBusyWithManyShortRequestsGivesNoWarning(CapturedOutput output) throws Exception {
		// the default warning: a shared test machine may pause a thread for a few hundred
		// milliseconds, which is not what this test is about
		Duration warning = Limits.DEFAULT_BLOCKED_LOOP_WARNING;
		try (KernelFixture kernel = fixture(new SleepingPlugin(Duration.ZERO), warning).workers(1).start()) {
			long end = System.nanoTime() + warning.multipliedBy(3).toNanos();
			int served = 0;
			while (System.nanoTime() < end) {
				// well below the requests a connection may carry
				try (RawHttp client = kernel.connect()) {
					for (int i = 0; i < 100; i++) {
						assertThat(client.exchange(RawHttp.get("/a.txt", "localhost")).status()).isEqualTo(200);
						served++;
					}
				}
			}
			assertThat(served).isGreaterThan(100);
			assertThat(kernel.server().blockedLoopStalls()).isZero();
		}
		assertThat(output.getOut() + output.getErr()).doesNotContain("blocked for");
	}

	private KernelFixture.Builder fixture(SleepingPlugin plugin, Duration warning) throws Exception {
		return KernelFixture.builder(this.temp)
			.transport(this.transport)
			.settings((settings) -> settings.withLimits(settings.limits().withBlockedLoopWarning(warning)))
			.plugin(plugin)
			.file("a.txt", "static")
			.file("sleep", "slept");
	}

}
