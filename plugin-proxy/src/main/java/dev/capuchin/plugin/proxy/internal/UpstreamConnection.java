package dev.capuchin.plugin.proxy.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;

/**
 * The last handler of a pooled connection to a server, after Netty's
 * {@code HttpClientCodec}: hands what the server sends to the exchange in progress. A
 * connection that is idle in its pool has none; anything the server sends then is a
 * protocol error, and closes it.
 */
final class UpstreamConnection extends ChannelInboundHandlerAdapter {

	private static final AttributeKey<UpstreamConnection> KEY = AttributeKey.valueOf(UpstreamConnection.class,
			"connection");

	private @Nullable UpstreamCall call;

	private long idleSince;

	static UpstreamConnection install(Channel channel) {
		UpstreamConnection connection = new UpstreamConnection();
		channel.attr(KEY).set(connection);
		return connection;
	}

	static UpstreamConnection of(Channel channel) {
		return channel.attr(KEY).get();
	}

	void call(@Nullable UpstreamCall call) {
		this.call = call;
	}

	long idleSince() {
		return this.idleSince;
	}

	void idleSince(long nanos) {
		this.idleSince = nanos;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		UpstreamCall current = this.call;
		if (current != null) {
			current.read(msg);
		}
		else {
			ReferenceCountUtil.release(msg);
			ctx.close();
		}
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		UpstreamCall current = this.call;
		if (current != null) {
			current.closed();
		}
		ctx.fireChannelInactive();
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		UpstreamCall current = this.call;
		if (current != null) {
			current.fail(cause);
		}
		ctx.close();
	}

}
