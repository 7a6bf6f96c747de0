package dev.capuchin.core.internal.server;

import java.util.function.Consumer;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

/**
 * Waits on a TLS connection of a listener that offers HTTP/2 for the end of the
 * handshake, when ALPN has chosen the protocol and Reactor Netty has built the pipeline
 * for it, and hands an HTTP/1.1 pipeline to {@code http1} so that it gets the same codec
 * and direct answers as a connection of an HTTP/1.1-only listener. It then leaves the
 * pipeline.
 * <p>
 * It must sit behind Reactor Netty's protocol negotiation handler, which builds the
 * pipeline when it sees the handshake's completion and then passes the event on: this
 * handler sees the event after the pipeline is built, and before any request is read,
 * because the TLS handler delivers the completion before the application data that came
 * with it.
 */
final class NegotiatedHttp1 extends ChannelInboundHandlerAdapter {

	static final String NAME = "capuchin.negotiatedHttp1";

	private final Consumer<ChannelPipeline> http1;

	NegotiatedHttp1(Consumer<ChannelPipeline> http1) {
		this.http1 = http1;
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
		if (event instanceof SslHandshakeCompletionEvent completion) {
			ChannelPipeline pipeline = ctx.pipeline();
			pipeline.remove(this);
			if (completion.isSuccess()) {
				this.http1.accept(pipeline);
			}
		}
		ctx.fireUserEventTriggered(event);
	}

}
