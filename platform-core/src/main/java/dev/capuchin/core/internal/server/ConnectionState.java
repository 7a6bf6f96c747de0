package dev.capuchin.core.internal.server;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

import dev.capuchin.core.spi.ClientConnection;
import dev.capuchin.core.internal.worker.Worker;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * The kernel's per-connection record, attached to the channel when it is accepted.
 */
final class ConnectionState implements ClientConnection {

	static final AttributeKey<ConnectionState> KEY = AttributeKey.valueOf("capuchin.connection");

	private static final AtomicLong IDS = new AtomicLong();

	private final String id;

	private final InetSocketAddress remote;

	private final InetSocketAddress local;

	private final ListenerSettings listener;

	private final Worker worker;

	boolean counted;

	private RequestReadTimeout readTimeout;

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
