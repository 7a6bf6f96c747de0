import java.nio.channels.FileChannel;
import java.nio.file.Path;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * The floor under Capuchin's direct answers: plain Netty (no Reactor Netty, no stages) on
 * one epoll worker, answering every request with one file the way Capuchin does: up to
 * 16 KiB from a copy in memory, written with the headers, larger through
 * {@code sendfile(2)} from one open descriptor. Comparing it with Capuchin
 * and nginx (same pinning, same wrk) shows how much of a large-file request is Netty and
 * the JVM, and how much is Capuchin's.
 *
 * <pre>
 * cd platform-core && mvn -q dependency:build-classpath -Dmdep.outputFile=/tmp/capuchin.cp && cd ..
 * head -c 102400 /dev/urandom > /tmp/100k.bin
 * taskset -c 1 java -XX:+UseParallelGC -Xms256m -Xmx256m -XX:ActiveProcessorCount=1 \
 *     -cp "$(cat /tmp/capuchin.cp)" bench/baseline/NettyFileBaseline.java 18098 120 /tmp/100k.bin
 * taskset -c 0 wrk -t1 -c64 -d30s --latency http://127.0.0.1:18098/
 * </pre>
 */
public final class NettyFileBaseline {

	private static final int SMALL_FILE = 16 * 1024;

	public static void main(String[] args) throws Exception {
		int port = Integer.parseInt(args[0]);
		long seconds = Long.parseLong(args[1]);
		FileChannel file = FileChannel.open(Path.of(args[2]));
		long size = file.size();
		ByteBuf contents = null;
		if (size <= SMALL_FILE) {
			contents = Unpooled.unreleasableBuffer(Unpooled.directBuffer((int) size));
			contents.writeBytes(file, 0L, (int) size);
		}
		ByteBuf small = contents;
		EventLoopGroup worker = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
		EventLoopGroup acceptor = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
		new ServerBootstrap().group(acceptor, worker)
			.channel(EpollServerSocketChannel.class)
			.childOption(ChannelOption.TCP_NODELAY, true)
			.childHandler(new ChannelInitializer<SocketChannel>() {

				@Override
				protected void initChannel(SocketChannel channel) {
					channel.pipeline().addLast(new HttpServerCodec(), new FileAnswer(file, size, small));
				}

			})
			.bind("127.0.0.1", port)
			.sync();
		System.out.println("netty file baseline on 127.0.0.1:" + port + " for " + seconds + " s");
		Thread.sleep(seconds * 1000);
		worker.shutdownGracefully();
		acceptor.shutdownGracefully();
	}

	private static final class FileAnswer extends ChannelInboundHandlerAdapter {

		private final FileChannel file;

		private final long size;

		private final ByteBuf contents;

		private boolean unflushed;

		FileAnswer(FileChannel file, long size, ByteBuf contents) {
			this.file = file;
			this.size = size;
			this.contents = contents;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			if (msg instanceof HttpRequest && this.contents != null) {
				FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
						this.contents.duplicate());
				headers(response);
				ctx.write(response);
				this.unflushed = true;
			}
			else if (msg instanceof HttpRequest) {
				DefaultHttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
				headers(response);
				ctx.write(response);
				// the descriptor is shared: the region must not close it
				ctx.write(new DefaultFileRegion(this.file, 0, this.size) {

					@Override
					protected void deallocate() {
					}

				});
				ctx.write(LastHttpContent.EMPTY_LAST_CONTENT);
				this.unflushed = true;
			}
			ReferenceCountUtil.release(msg);
		}

		private void headers(HttpResponse response) {
			response.headers()
				.add(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream")
				.add(HttpHeaderNames.CONTENT_LENGTH, Long.toString(this.size));
		}

		@Override
		public void channelReadComplete(ChannelHandlerContext ctx) {
			if (this.unflushed) {
				this.unflushed = false;
				ctx.flush();
			}
		}

	}

}
