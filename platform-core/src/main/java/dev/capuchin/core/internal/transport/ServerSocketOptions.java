package dev.capuchin.core.internal.transport;

import io.netty.channel.ChannelOption;

/**
 * Listener socket options that only some transports offer; a {@code null} option is not
 * supported by the transport.
 *
 * @param reusePort {@code SO_REUSEPORT}
 * @param deferAccept {@code TCP_DEFER_ACCEPT} (seconds)
 * @param fastOpen server-side {@code TCP_FASTOPEN} (queue length)
 */
public record ServerSocketOptions(ChannelOption<Boolean> reusePort, ChannelOption<Integer> deferAccept,
		ChannelOption<Integer> fastOpen) {

}
