package dev.capuchin.plugin.sleepy;

import java.time.Duration;
import java.util.Set;

import dev.capuchin.core.spi.Exchange;
import dev.capuchin.core.spi.Plugin;
import dev.capuchin.core.spi.RequestResult;
import dev.capuchin.core.spi.Stage;
import reactor.core.publisher.Mono;

/**
 * A plugin that does what no plugin may: it sleeps on the event loop for requests to
 * {@code /sleep}. It lives in a package of its own, as a real plugin does, so that the
 * loop watchdog can name it from the blocked loop's stack.
 */
public final class SleepingPlugin implements Plugin {

	private final Duration sleep;

	/**
	 * A plugin that blocks its loop for {@code sleep} on each request to {@code /sleep}.
	 * @param sleep how long to block
	 */
	public SleepingPlugin(Duration sleep) {
		this.sleep = sleep;
	}

	@Override
	public String name() {
		return "sleepy";
	}

	@Override
	public Set<Stage> stages() {
		return Set.of(Stage.REQUEST);
	}

	@Override
	public Mono<RequestResult> onRequest(Exchange exchange) {
		if (exchange.path().equals("/sleep")) {
			blockTheLoop();
		}
		return CONTINUE;
	}

	private void blockTheLoop() {
		try {
			Thread.sleep(this.sleep.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
