package dev.capuchin.app.shared.reload;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.awaitility.Awaitility.await;

class ReloadSignalTests {

	private static final Signal HUP = new Signal("HUP");

	private final List<String> ran = new CopyOnWriteArrayList<>();

	private ReloadSignal signal;

	@AfterEach
	void stop() {
		if (this.signal != null) {
			this.signal.stop();
		}
	}

	@Test
	void sighupRunsEveryActionInOrder() {
		assumeFalse(ReloadSignal.ignoredByProcess(), "SIGHUP is ignored by this process (started under nohup)");
		this.signal = new ReloadSignal(
				() -> List.of(action("one", () -> this.ran.add("one")), action("two", () -> this.ran.add("two"))));
		this.signal.start();
		assertThat(this.signal.isRunning()).isTrue();
		Signal.raise(HUP);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(this.ran).containsExactly("one", "two"));
	}

	@Test
	void aFailingActionDoesNotStopTheOthers() {
		this.signal = new ReloadSignal(() -> List.of(action("broken", () -> {
			throw new IllegalStateException("broken");
		}), action("two", () -> this.ran.add("two"))));
		this.signal.reload();
		assertThat(this.ran).containsExactly("two");
	}

	@Test
	void stopGivesTheSignalBackToTheHandlerBefore() {
		assumeFalse(ReloadSignal.ignoredByProcess(), "SIGHUP is ignored by this process (started under nohup)");
		AtomicInteger before = new AtomicInteger();
		SignalHandler jvm = Signal.handle(HUP, (received) -> before.incrementAndGet());
		try {
			this.signal = new ReloadSignal(() -> List.of(action("one", () -> this.ran.add("one"))));
			this.signal.start();
			this.signal.stop();
			assertThat(this.signal.isRunning()).isFalse();
			Signal.raise(HUP);
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(before).hasValue(1));
			assertThat(this.ran).isEmpty();
		}
		finally {
			Signal.handle(HUP, jvm);
		}
	}

	private static ReloadSignal.Action action(String name, Runnable body) {
		return new ReloadSignal.Action() {

			@Override
			public String name() {
				return name;
			}

			@Override
			public void reload() {
				body.run();
			}

		};
	}

}
