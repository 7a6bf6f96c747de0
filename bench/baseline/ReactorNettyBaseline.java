import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * The floor under Capuchin's HTTP layer: a bare Reactor Netty server on one epoll worker that
 * answers every request with the same 1 KiB from memory. Comparing it with Capuchin (same
 * pinning, same wrk) shows how much of a small-file request is the framework and how much is
 * ours.
 *
 * <pre>
 * cd platform-core && mvn -q dependency:build-classpath -Dmdep.outputFile=/tmp/capuchin.cp && cd ..
 * taskset -c 1 java -XX:+UseParallelGC -Xms256m -Xmx256m -XX:ActiveProcessorCount=1 \
 *     -cp "$(cat /tmp/capuchin.cp)" bench/baseline/ReactorNettyBaseline.java 18099 120
 * taskset -c 0 wrk -t1 -c64 -d30s --latency http://127.0.0.1:18099/
 * </pre>
 */
public final class ReactorNettyBaseline {

	public static void main(String[] args) throws InterruptedException {
		int port = (args.length > 0) ? Integer.parseInt(args[0]) : 18099;
		long seconds = (args.length > 1) ? Long.parseLong(args[1]) : 120;
		byte[] body = new byte[1024];
		EventLoopGroup worker = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
		EventLoopGroup acceptor = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
		LoopResources loops = new LoopResources() {
			@Override
			public EventLoopGroup onServer(boolean useNative) {
				return worker;
			}

			@Override
			public EventLoopGroup onServerSelect(boolean useNative) {
				return acceptor;
			}
		};
		DisposableServer server = HttpServer.create()
			.host("127.0.0.1")
			.port(port)
			.runOn(loops, true)
			.handle((request, response) -> response.header("Content-Type", "application/octet-stream")
				.header("Content-Length", "1024")
				.sendObject(Unpooled.wrappedBuffer(body))
				.then())
			.bindNow();
		System.out.println("baseline on 127.0.0.1:" + port + " for " + seconds + " s");
		Thread.sleep(seconds * 1000);
		server.disposeNow();
		worker.shutdownGracefully();
		acceptor.shutdownGracefully();
	}

}
