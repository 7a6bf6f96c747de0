package dev.capuchin.core.internal.transport;

import java.util.Locale;
import java.util.Optional;

import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringIoHandler;

/**
 * The I/O transport under every listener. This is the only type that touches the native
 * epoll and io_uring classes; everything else asks it.
 */
public enum Transport {

	/** Linux epoll through Netty's native transport: the default on Linux. */
	EPOLL {
		@Override
		public Optional<Throwable> unavailabilityCause() {
			return Epoll.isAvailable() ? Optional.empty() : Optional.of(Epoll.unavailabilityCause());
		}

		@Override
		public IoHandlerFactory ioHandlerFactory() {
			return EpollIoHandler.newFactory();
		}

		@Override
		public ServerSocketOptions serverSocketOptions() {
			return new ServerSocketOptions(EpollChannelOption.SO_REUSEPORT, EpollChannelOption.TCP_DEFER_ACCEPT,
					Epoll.isTcpFastOpenServerSideAvailable() ? EpollChannelOption.TCP_FASTOPEN : null);
		}

		@Override
		public ChannelOption<Boolean> tcpCork() {
			return EpollChannelOption.TCP_CORK;
		}

	},

	/** Linux io_uring through Netty's native transport: opt-in. */
	IO_URING {
		@Override
		public Optional<Throwable> unavailabilityCause() {
			return IoUring.isAvailable() ? Optional.empty() : Optional.of(IoUring.unavailabilityCause());
		}

		@Override
		public IoHandlerFactory ioHandlerFactory() {
			return IoUringIoHandler.newFactory();
		}

		@Override
		public ServerSocketOptions serverSocketOptions() {
			return new ServerSocketOptions(IoUringChannelOption.SO_REUSEPORT, null,
					IoUring.isTcpFastOpenServerSideAvailable() ? IoUringChannelOption.TCP_FASTOPEN : null);
		}

		@Override
		public ChannelOption<Boolean> tcpCork() {
			return IoUringChannelOption.TCP_CORK;
		}

	},

	/** Java NIO selectors: the portable fallback. */
	NIO {
		@Override
		public Optional<Throwable> unavailabilityCause() {
			return Optional.empty();
		}

		@Override
		public IoHandlerFactory ioHandlerFactory() {
			return NioIoHandler.newFactory();
		}

		@Override
		public ServerSocketOptions serverSocketOptions() {
			return new ServerSocketOptions(null, null, null);
		}

		@Override
		public ChannelOption<Boolean> tcpCork() {
			return null;
		}

	};

	/**
	 * Why this transport cannot run here, or empty when it can.
	 * @return the cause of unavailability
	 */
	public abstract Optional<Throwable> unavailabilityCause();

	/**
	 * Whether this transport can run on this machine.
	 * @return {@code true} when available
	 */
	public boolean isAvailable() {
		return unavailabilityCause().isEmpty();
	}

	/**
	 * The Netty 4.2 I/O handler factory for event loops of this transport.
	 * @return a new factory
	 */
	public abstract IoHandlerFactory ioHandlerFactory();

	/**
	 * The transport-specific listener socket options; absent ones are not supported.
	 * @return the options this transport offers
	 */
	public abstract ServerSocketOptions serverSocketOptions();

	/**
	 * The connection option that holds partial segments back until it is cleared
	 * ({@code TCP_CORK}), so that a response's headers leave in the same segment as the
	 * first bytes of a file sent after them, as nginx's {@code tcp_nopush}.
	 * @return the option, or {@code null} when this transport has none
	 */
	public abstract ChannelOption<Boolean> tcpCork();

	/**
	 * Whether Reactor Netty should pick native channel classes for this transport.
	 * @return {@code true} for the native transports
	 */
	public boolean isNative() {
		return this != NIO;
	}

	/**
	 * The configuration name of this transport, as in {@code capuchin.server.transport}.
	 * @return the lower-case, hyphenated name
	 */
	public String configName() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
