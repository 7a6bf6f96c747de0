package dev.capuchin.app.shared.config;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import static org.awaitility.Awaitility.await;

/**
 * A node's change listener on one store channel, for tests of what other nodes learn by
 * {@code NOTIFY}: {@link #on} returns once the listener listens, so from then on only a
 * notification brings a change before the node's poll.
 */
public final class ListeningNode implements AutoCloseable {

	private final ConfigListener listener;

	private ListeningNode(ConfigListener listener) {
		this.listener = listener;
	}

	/**
	 * Listen on a channel and wait until the listener listens.
	 * @param store the store
	 * @param channel the channel and what a change on it starts
	 * @return the listening node, to close at the end of the test
	 */
	public static ListeningNode on(DataSource store, StoreChannel channel) {
		AtomicBoolean listening = new AtomicBoolean();
		// the listener acts on every channel once its LISTEN took effect
		ConfigListener listener = new ConfigListener(store, List.of(new StoreChannel(channel.name(), () -> {
			listening.set(true);
			channel.changed().run();
		})));
		listener.start();
		await("the listener listens").atMost(Duration.ofSeconds(10)).untilTrue(listening);
		return new ListeningNode(listener);
	}

	@Override
	public void close() {
		this.listener.stop();
	}

}
