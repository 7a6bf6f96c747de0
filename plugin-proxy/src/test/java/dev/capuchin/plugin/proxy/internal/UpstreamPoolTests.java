package dev.capuchin.plugin.proxy.internal;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.pool.AbstractChannelPoolHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker's pool of connections to one server, on a real loop and a real socket.
 */
class UpstreamPoolTests {

	private EventLoopGroup group;

	private ServerSocket backend;

	@BeforeEach
	void startALoopAndABackend() throws Exception {
		this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
		this.backend = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
	}

	@AfterEach
	void stopThem() throws Exception {
		this.backend.close();
		this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
	}

	/**
	 * Netty announces that a loop group has terminated on its one global thread: a pool
	 * that waited there for a connection to close, while that connection's loop was busy
	 * or stopping, held every later stop of the node until its timeouts.
	 */
	@Test
	void closingAPoolWhileItsLoopIsBusyLeavesNettysGlobalThreadFree() throws Exception {
		EventLoop loop = this.group.next();
		UpstreamPool pool = new UpstreamPool(new Bootstrap().group(loop)
			.channel(NioSocketChannel.class)
			.remoteAddress(this.backend.getLocalSocketAddress()), new AbstractChannelPoolHandler() {

				@Override
				public void channelCreated(Channel channel) {
					UpstreamConnection.install(channel);
				}

			}, loop, 4, 5_000, TimeUnit.MINUTES.toNanos(1));
		Channel connection = pool.acquire().get(5, TimeUnit.SECONDS);
		try (Socket accepted = this.backend.accept()) {
			pool.release(connection).get(5, TimeUnit.SECONDS);
			CountDownLatch busy = new CountDownLatch(1);
			CountDownLatch release = new CountDownLatch(1);
			pool.closeAsync();
			// the loop runs the pool's close first, then stays busy
			loop.execute(() -> {
				busy.countDown();
				awaitQuietly(release);
			});
			assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
			try {
				Future<?> probe = GlobalEventExecutor.INSTANCE.submit(() -> {
				});
				assertThat(probe.await(2, TimeUnit.SECONDS)).as("Netty's global thread runs a task").isTrue();
			}
			finally {
				release.countDown();
			}
			assertThat(connection.closeFuture().await(5, TimeUnit.SECONDS)).as("the unused connection is closed")
				.isTrue();
		}
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
