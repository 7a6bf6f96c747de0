package dev.capuchin.core.internal.server;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.capuchin.core.internal.worker.Worker;
import dev.capuchin.core.internal.worker.WorkerGroup;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage {@link dev.capuchin.core.spi.Stage#CONNECT}: the first handler of every accepted
 * connection. It counts the connection on its worker, enforces the global and per-client
 * connection limits, runs the CONNECT plugins, and on close undoes all of it and runs the
 * CLOSE plugins. A refused connection is closed before a byte of it is read.
 */
@ChannelHandler.Sharable
final class ConnectionGate extends ChannelInboundHandlerAdapter {

	static final String NAME = "capuchin.gate";

	private static final Logger logger = LoggerFactory.getLogger(ConnectionGate.class);

	private static final byte[] BUSY = ("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
			+ "Retry-After: 1\r\nConnection: close\r\n\r\n")
		.getBytes(StandardCharsets.US_ASCII);

	private final WorkerGroup workers;

	private final ListenerSettings listener;

	private final Limits limits;

	private final PluginChain plugins;

	private final ConnectionCounters counters;

	ConnectionGate(WorkerGroup workers, ListenerSettings listener, Limits limits, PluginChain plugins,
			ConnectionCounters counters) {
		this.workers = workers;
		this.listener = listener;
		this.limits = limits;
		this.plugins = plugins;
		this.counters = counters;
	}

	/**
	 * Attach the connection's state and count it. Runs when the channel is initialized on
	 * its worker.
	 */
	void register(Channel channel) {
		Worker worker = this.workers.workerOf(channel.eventLoop());
		ConnectionState state = new ConnectionState(channel, this.listener, worker);
		channel.attr(ConnectionState.KEY).set(state);
		if (worker != null) {
			this.workers.accepted(worker);
		}
		channel.closeFuture().addListener((ChannelFutureListener) (future) -> closed(state));
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) throws Exception {
		ConnectionState state = ctx.channel().attr(ConnectionState.KEY).get();
		if (state.remoteAddress() == null) {
			// reset by the client before it became active: io_uring then has no peer
			// address, and there is no one left to answer
			ctx.close();
			return;
		}
		InetAddress client = state.remoteAddress().getAddress();
		int total = this.counters.total.incrementAndGet();
		int fromClient = this.counters.perClient.compute(client, (key, count) -> {
			AtomicInteger counter = (count != null) ? count : new AtomicInteger();
			counter.incrementAndGet();
			return counter;
		}).get();
		state.counted = true;
		if (total > this.limits.maxConnections() || fromClient > this.limits.maxConnectionsPerClient()) {
			logger.warn("connection {} refused: {} open in all (limit {}), {} from {} (limit {})", state.id(), total,
					this.limits.maxConnections(), fromClient, client.getHostAddress(),
					this.limits.maxConnectionsPerClient());
			refuse(ctx);
			return;
		}
		if (!this.plugins.connect(state)) {
			ctx.close();
			return;
		}
		ctx.pipeline().remove(this);
		super.channelActive(ctx);
	}

	private void refuse(ChannelHandlerContext ctx) {
		if (this.listener.tls() != null) {
			ctx.close();
			return;
		}
		ctx.writeAndFlush(Unpooled.wrappedBuffer(BUSY)).addListener(ChannelFutureListener.CLOSE);
	}

	private void closed(ConnectionState state) {
		if (state.workerRef() != null) {
			state.workerRef().connectionClosed();
		}
		if (state.counted) {
			this.counters.total.decrementAndGet();
			InetAddress client = state.remoteAddress().getAddress();
			this.counters.perClient.computeIfPresent(client,
					(key, count) -> (count.decrementAndGet() <= 0) ? null : count);
		}
		this.plugins.close(state);
		// after the CLOSE plugins, which may still read what they kept
		state.closeAttributes();
	}

	/** Open-connection counts shared by every listener of one server. */
	static final class ConnectionCounters {

		final AtomicInteger total = new AtomicInteger();

		final ConcurrentHashMap<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();

	}

}
