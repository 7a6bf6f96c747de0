package dev.capuchin.core.internal.server;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import dev.capuchin.core.spi.ClientConnection;
import dev.capuchin.core.spi.ConnectionKey;
import dev.capuchin.core.internal.worker.Worker;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * The kernel's per-connection record, attached to the channel when it is accepted.
 */
final class ConnectionState implements ClientConnection {

	static final AttributeKey<ConnectionState> KEY = AttributeKey.valueOf("capuchin.connection");

	private static final AtomicLong IDS = new AtomicLong();

	private static final Object[] NO_ATTRIBUTES = new Object[0];

	/** The attributes of a closed connection: reads find nothing, writes are ignored. */
	private static final Object[] CLOSED = new Object[0];

	private final String id;

	private final InetSocketAddress remote;

	private final InetSocketAddress local;

	private final ListenerSettings listener;

	private final Worker worker;

	boolean counted;

	private RequestReadTimeout readTimeout;

	/**
	 * Plugins' connection attributes as key, value, key, value: a handful at most, so a
	 * scan by identity beats a map. Replaced, never changed, so a read on the event loop
	 * needs no lock; writes (which may come from another thread) take this object's lock.
	 */
	private volatile Object[] attributes = NO_ATTRIBUTES;

	ConnectionState(Channel channel, ListenerSettings listener, Worker worker) {
		this.id = Long.toHexString(IDS.incrementAndGet());
		this.remote = (InetSocketAddress) channel.remoteAddress();
		this.local = (InetSocketAddress) channel.localAddress();
		this.listener = listener;
		this.worker = worker;
	}

	static ConnectionState of(Channel channel) {
		Channel current = channel;
		while (current != null) {
			ConnectionState state = current.attr(KEY).get();
			if (state != null) {
				return state;
			}
			current = current.parent();
		}
		return null;
	}

	@Override
	public String id() {
		return this.id;
	}

	@Override
	public InetSocketAddress remoteAddress() {
		return this.remote;
	}

	@Override
	public InetSocketAddress localAddress() {
		return this.local;
	}

	@Override
	public InetSocketAddress listenerAddress() {
		return this.listener.address();
	}

	@Override
	public boolean isSecure() {
		return this.listener.tls() != null;
	}

	@Override
	public String worker() {
		return (this.worker != null) ? this.worker.name() : "unknown";
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> T attribute(ConnectionKey<T> key) {
		Object[] slots = this.attributes;
		for (int i = 0; i < slots.length; i += 2) {
			if (slots[i] == key) {
				return (T) slots[i + 1];
			}
		}
		return null;
	}

	@Override
	public <T> void attribute(ConnectionKey<T> key, T value) {
		Objects.requireNonNull(key, "key");
		Object checked = (value != null) ? key.type().cast(value) : null;
		synchronized (this) {
			Object[] slots = this.attributes;
			if (slots == CLOSED) {
				return;
			}
			int index = -1;
			for (int i = 0; i < slots.length; i += 2) {
				if (slots[i] == key) {
					index = i;
					break;
				}
			}
			if (checked == null) {
				if (index >= 0) {
					Object[] fewer = new Object[slots.length - 2];
					System.arraycopy(slots, 0, fewer, 0, index);
					System.arraycopy(slots, index + 2, fewer, index, slots.length - index - 2);
					this.attributes = fewer;
				}
				return;
			}
			if (index < 0 && slots.length / 2 >= MAX_ATTRIBUTES) {
				throw new IllegalStateException("connection " + this.id + ": " + key + ": already " + MAX_ATTRIBUTES
						+ " attributes (expected: keys created once per plugin)");
			}
			Object[] copy = Arrays.copyOf(slots, (index >= 0) ? slots.length : slots.length + 2);
			int at = (index >= 0) ? index : slots.length;
			copy[at] = key;
			copy[at + 1] = checked;
			this.attributes = copy;
		}
	}

	/**
	 * Drop every attribute and ignore later writes: the connection closed and the CLOSE
	 * plugins have run.
	 */
	void closeAttributes() {
		synchronized (this) {
			this.attributes = CLOSED;
		}
	}

	void readTimeout(RequestReadTimeout timeout) {
		this.readTimeout = timeout;
	}

	/**
	 * The connection's request-read timeout, or {@code null}.
	 */
	RequestReadTimeout readTimeout() {
		return this.readTimeout;
	}

	Worker workerRef() {
		return this.worker;
	}

	ListenerSettings listener() {
		return this.listener;
	}

	@Override
	public String toString() {
		return "#" + this.id + " " + this.remote;
	}

}
