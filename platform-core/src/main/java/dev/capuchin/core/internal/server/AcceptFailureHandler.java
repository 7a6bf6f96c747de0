package dev.capuchin.core.internal.server;

import java.net.SocketAddress;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says when a listener cannot accept connections, and when it accepts again. Sits first
 * on a listening channel, before Reactor Netty's acceptor, which handles an accept
 * failure (most often {@code EMFILE}: the process is out of file descriptors) by pausing
 * accepts for a second at a time, without a busy loop, and says nothing. Connections
 * already open are served meanwhile; those waiting in the backlog are accepted once
 * descriptors are free. One warning per outage, at most one per minute, however often the
 * pause repeats; one line when accepting works again.
 */
final class AcceptFailureHandler extends ChannelInboundHandlerAdapter {

	/** The shortest time between two warnings. */
	static final long WARN_INTERVAL_NANOS = 60_000_000_000L;

	private static final Logger logger = LoggerFactory.getLogger(AcceptFailureHandler.class);

	private final SocketAddress listener;

	// the listening channel's event loop only

	private boolean failing;

	private boolean warned;

	private long warnedAt;

	private long failures;

	AcceptFailureHandler(SocketAddress listener) {
		this.listener = listener;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (this.failing) {
			this.failing = false;
			if (this.warned) {
				logger.info("Listener {} accepts connections again ({} failed accept attempt(s))", this.listener,
						this.failures);
			}
			this.failures = 0;
		}
		ctx.fireChannelRead(msg);
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		this.failures++;
		if (!this.failing) {
			this.failing = true;
			long now = System.nanoTime();
			this.warned = this.warnedAt == 0 || now - this.warnedAt >= WARN_INTERVAL_NANOS;
			if (this.warned) {
				this.warnedAt = now;
				logger.warn(
						"Listener {} cannot accept connections: {}; open connections are still served, accepting "
								+ "is paused and retried every second{}",
						this.listener, cause.getMessage(), hint(cause));
			}
		}
		ctx.fireExceptionCaught(cause);
	}

	private static String hint(Throwable cause) {
		String message = String.valueOf(cause.getMessage());
		return message.contains("Too many open files")
				? " (raise the descriptor limit: LimitNOFILE= in the systemd unit, ulimit -n; or lower "
						+ "capuchin.server.limits.max-connections)"
				: "";
	}

}
